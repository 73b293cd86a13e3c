"""Trend charts read at a glance: score ranges coloured from calm to severe (with a legend in
words, readable colours in light and dark), and whole-number axis ticks at an even step."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from holdspace.accounts.models import User
from holdspace.checkins.charts import Entry, integer_ticks, severity, trend_chart
from tests.checkins.helpers import answers, save
from tests.conftest import client_for

STATIC = Path(__file__).resolve().parents[2] / "holdspace"
SVG = "{http://www.w3.org/2000/svg}"
DAY = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def charts_on(html: str) -> dict[str, ET.Element]:
    """Every trend chart on a page, parsed as XML, by id (``chart-phq9-total``)."""
    found = {}
    for match in re.finditer(r'<svg class="trend-chart".*?</svg>', html, re.S):
        markup = match.group(0).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
        svg = ET.fromstring(markup)  # noqa: S314 (our own page's markup, in a test)
        title = svg.find(f"{SVG}title")
        assert title is not None
        found[str(title.get("id")).removesuffix("-title")] = svg
    return found


def y_ticks(svg: ET.Element) -> list[tuple[str, float]]:
    """The labels of the left axis, top to bottom, with their heights."""
    ticks = [
        (text.text or "", float(text.get("y", 0)))
        for text in svg.iter(f"{SVG}text")
        if text.get("class") == "tick" and text.get("text-anchor") == "end"
    ]
    return sorted(ticks, key=lambda tick: tick[1])


def bands(svg: ET.Element) -> list[tuple[int, float]]:
    """Each band's severity level, from the lowest scores (bottom) up."""
    found = []
    for rect in svg.iter(f"{SVG}rect"):
        level = re.search(r"band--sev-(\d)", rect.get("class", ""))
        if level:
            found.append((int(level.group(1)), float(rect.get("y", 0))))
    return [(level, y) for level, y in sorted(found, key=lambda band: -band[1])]


@pytest.mark.django_db
def test_every_instrument_has_whole_number_ticks_at_an_even_step(seeker: User) -> None:
    for instrument_id, first, second in (
        ("phq9", 1, 2),
        ("gad7", 1, 2),
        ("proqol5", 1, 2),
        ("cbi", 25, 50),
    ):
        save(seeker, instrument_id, answers(instrument_id, first), taken_at=DAY)
        save(seeker, instrument_id, answers(instrument_id, second), taken_at=DAY + dt.timedelta(7))
    html = client_for(seeker).get("/check-in/history/").content.decode()
    charts = charts_on(html)
    expected = {
        "chart-phq9-total": [25, 20, 15, 10, 5, 0],  # 0 to 27: never 13.5
        "chart-gad7-total": [20, 15, 10, 5, 0],  # 0 to 21: never 10.5
        "chart-proqol5-BO": [50, 40, 30, 20, 10],
        "chart-cbi-work": [100, 75, 50, 25, 0],
    }
    for chart_id, values in expected.items():
        ticks = y_ticks(charts[chart_id])
        assert [int(label) for label, _ in ticks] == values, chart_id  # int() refuses "13.5"
        gaps = [b[1] - a[1] for a, b in itertools.pairwise(ticks)]
        assert max(gaps) - min(gaps) < 0.2, (chart_id, gaps)  # evenly spaced (0.1 rounding)
    for chart_id, svg in charts.items():
        for label, _ in y_ticks(svg):
            assert label.isdigit(), (chart_id, label)


def test_ticks_for_any_range_are_whole_numbers_and_few() -> None:
    for low, high in ((0, 27), (0, 21), (10, 50), (0, 100), (0, 3), (1, 4), (0, 7)):
        ticks = integer_ticks(low, high)
        assert 2 <= len(ticks) <= 6, (low, high, ticks)
        assert all(isinstance(t, int) and low <= t <= high for t in ticks)
        assert len({b - a for a, b in itertools.pairwise(ticks)}) == 1


@pytest.mark.django_db
def test_bands_are_coloured_from_calm_to_severe(seeker: User) -> None:
    save(seeker, "phq9", answers("phq9", 1), taken_at=DAY)
    save(seeker, "proqol5", answers("proqol5", 3), taken_at=DAY)
    save(seeker, "gad7", answers("gad7", 1), taken_at=DAY)
    html = client_for(seeker).get("/check-in/history/").content.decode()
    charts = charts_on(html)
    # PHQ-9: minimal (bottom) is the calmest colour, severe (top) the most severe.
    assert [level for level, _ in bands(charts["chart-phq9-total"])] == [0, 1, 2, 3, 4]
    assert [level for level, _ in bands(charts["chart-gad7-total"])] == [0, 1, 3, 4]
    # Burnout: higher is harder. Compassion satisfaction: a low score is the hard one.
    assert [level for level, _ in bands(charts["chart-proqol5-BO"])] == [0, 2, 4]
    assert [level for level, _ in bands(charts["chart-proqol5-CS"])] == [4, 2, 0]
    # The colours are named in words beside the chart, calmest first, with their ranges.
    legend = re.search(
        r'<ul class="band-legend".*?aria-label="([^"]+)">(.*?)</ul>',
        html[html.index("chart-phq9-total") :],
        re.S,
    )
    assert legend is not None
    items = re.findall(r'band--sev-(\d)" aria-hidden="true"></span>([^<]+)</li>', legend.group(2))
    assert items == [
        ("0", "None-minimal: 0 to 4"),
        ("1", "Mild: 5 to 9"),
        ("2", "Moderate: 10 to 14"),
        ("3", "Moderately severe: 15 to 19"),
        ("4", "Severe: 20 to 27"),
    ]


def test_severity_spreads_any_number_of_bands_over_the_colours() -> None:
    assert [severity(i, 5, higher_is_harder=True) for i in range(5)] == [0, 1, 2, 3, 4]
    assert [severity(i, 3, higher_is_harder=False) for i in range(3)] == [4, 2, 0]
    assert severity(0, 1, higher_is_harder=True) == 0
    chart = trend_chart("cbi", "work", [Entry(DAY, 50.0, None)])
    assert chart.bands == []  # the CBI has no official bands: no colours claimed


def _tokens(css: str, scheme: str) -> dict[str, str]:
    """``--name: #hex`` pairs from the light (``:root``) or dark block of a stylesheet."""
    dark_start = css.find("@media (prefers-color-scheme: dark)")
    light, dark = css[:dark_start], css[dark_start:]
    if scheme == "dark":
        dark = dark[: dark.index("}\n}") + 1]
    return dict(
        re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", light if scheme == "light" else dark)
    )


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_line_and_points_stand_out_on_every_band(scheme: str) -> None:
    site = _tokens((STATIC / "static/holdspace/site.css").read_text(), scheme)
    bands_css = _tokens((STATIC / "checkins/static/checkins/checkins.css").read_text(), scheme)
    fills = [bands_css[f"sev-{level}"] for level in range(5)]
    assert len(set(fills)) == 5  # five different colours
    for fill in fills:
        # WCAG 1.4.11: graphics need 3:1; the line and points are drawn in --primary.
        assert contrast(site["primary"], fill) >= 3, (scheme, fill)
        assert contrast(site["muted"], fill) >= 4.5, (scheme, fill)  # text over a band
