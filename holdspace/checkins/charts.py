"""Trend charts as plain data for a server-rendered SVG (templates/checkins/includes/chart.html).

No JavaScript and nothing from other hosts: the template draws what this module measures. Points
are evenly spaced in the order taken (two check-ins on one day stay readable); the dates are on
the axis, in each point's <title> and in the data table beside the chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from holdspace.checkins import content
from holdspace.checkins.presenters import band_range, number, scale_range
from holdspace.core.instruments import instrument

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 136, 16, 44


@dataclass(frozen=True)
class Entry:
    taken_at: dt.datetime  # already in local time
    value: float | None
    band_label: str | None


SEVERITY_LEVELS = 5  # colours from calm (0) to severe (4), in checkins.css


@dataclass(frozen=True)
class BandRect:
    y: float
    height: float
    label: str
    label_y: float
    severity: int  # 0 (calm) .. SEVERITY_LEVELS - 1 (severe): the band's colour
    range_text: str  # "5 to 9", for the legend


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str
    # Dates only: "first", "last", "inner" or "only". A phone shows the ends alone, with
    # bigger text, anchored inwards (checkins.css).
    place: str = ""


@dataclass(frozen=True)
class Chart:
    id: str
    scale_name: str
    title: str
    desc: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bands: list[BandRect]
    points: list[Point]
    polyline: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    rows: list[tuple[str, str, str]]  # date, score, band

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def label_x(self) -> int:
        return self.plot_right + 8

    @property
    def has_bands(self) -> bool:
        return bool(self.bands)

    @property
    def legend(self) -> list[BandRect]:
        """The bands from the calmest colour to the most severe."""
        return sorted(self.bands, key=lambda band: band.severity)


def day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def severity(index: int, count: int, *, higher_is_harder: bool) -> int:
    """The colour level of band ``index`` (bands run from low scores to high) among ``count``:
    the hardest band is the most severe colour, the easiest the calmest, the rest spread
    evenly between. Where a high score is good (compassion satisfaction) the order flips."""
    if count <= 1:
        return 0
    harder = index if higher_is_harder else count - 1 - index
    return round(harder * (SEVERITY_LEVELS - 1) / (count - 1))


# Tick steps a person reads easily: whole numbers only, so a PHQ-9 axis never says 13.5 (25s
# suit the CBI, whose answers are worth 0, 25, 50, 75 and 100).
_NICE_STEPS = (1, 2, 5, 10, 25, 50, 100)


def integer_ticks(low: float, high: float, *, most: int = 6) -> list[int]:
    """At most ``most`` whole-number ticks from ``low`` to ``high``, at the smallest "nice" step
    that fits: 0 5 10 15 20 25 for PHQ-9 (0 to 27), 10 20 30 40 50 for ProQOL."""

    def ticks(step: int) -> list[int]:
        return list(range(math.ceil(low / step) * step, math.floor(high) + 1, step))

    return next(
        (found for step in _NICE_STEPS if len(found := ticks(step)) <= most),
        ticks(_NICE_STEPS[-1]),
    )


def _place(index: int, count: int) -> str:
    if count == 1:
        return "only"
    return "first" if index == 0 else "last" if index == count - 1 else "inner"


def trend_chart(instrument_id: str, scale_id: str, entries: Sequence[Entry]) -> Chart:
    inst = instrument(instrument_id)
    scale = inst.scale(scale_id)
    copy = content.SCALES[(instrument_id, scale_id)]
    short = content.INSTRUMENTS[instrument_id].short_name
    low, high = scale_range(inst, scale)
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return round(plot_bottom - (value - low) / (high - low) * (plot_bottom - plot_top), 1)

    scored = [e for e in entries if e.value is not None]
    step = (plot_right - plot_left) / max(len(scored) - 1, 1)

    def x_of(index: int) -> float:
        if len(scored) == 1:
            return (plot_left + plot_right) / 2
        return round(plot_left + index * step, 1)

    bands: list[BandRect] = []
    for index, band in enumerate(scale.bands):
        # Integer scores: draw each boundary halfway between the last score of one band and
        # the first of the next, so a score on a boundary sits clearly inside its band.
        top_value = high if band.max is None else min(high, band.max + 0.5)
        bottom_value = low if band.min is None else max(low, band.min - 0.5)
        y_top, y_bottom = y_of(top_value), y_of(bottom_value)
        bands.append(
            BandRect(
                y=y_top,
                height=round(y_bottom - y_top, 1),
                label=band.label,
                label_y=round((y_top + y_bottom) / 2 + 4, 1),
                severity=severity(index, len(scale.bands), higher_is_harder=copy.higher_is_harder),
                range_text=band_range(band.min, band.max, low, high),
            )
        )
    points = [
        Point(x_of(i), y_of(e.value), f"{day(e.taken_at)}: {number(e.value)}")
        for i, e in enumerate(scored)
        if e.value is not None
    ]
    y_ticks = [Tick(plot_left - 8, y_of(v) + 4, str(v)) for v in integer_ticks(low, high)]
    if len(points) <= 6:
        x_ticks = [
            Tick(p.x, plot_bottom + 20, day(e.taken_at))
            for p, e in zip(points, scored, strict=True)
        ]
    else:
        x_ticks = [
            Tick(points[0].x, plot_bottom + 20, day(scored[0].taken_at)),
            Tick(points[-1].x, plot_bottom + 20, day(scored[-1].taken_at)),
        ]
    x_ticks = [replace(tick, place=_place(i, len(x_ticks))) for i, tick in enumerate(x_ticks)]
    direction = "Higher is harder." if copy.higher_is_harder else "Higher is better."
    if scored:
        values = ", ".join(number(e.value) for e in scored if e.value is not None)
        desc = (
            f"{len(scored)} check-in{'s' if len(scored) != 1 else ''} from "
            f"{day(scored[0].taken_at)} to {day(scored[-1].taken_at)}, in order: {values}. "
            f"Scores run from {number(low)} to {number(high)}. {direction}"
        )
    else:
        desc = "No scores for this part yet."
    return Chart(
        id=f"chart-{instrument_id}-{scale_id}",
        scale_name=copy.name,
        title=f"{short}: {copy.name} over time",
        desc=desc,
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bands=bands,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rows=[
            (
                day(e.taken_at),
                number(e.value) if e.value is not None else "no score",
                e.band_label or "",
            )
            for e in entries
        ],
    )
