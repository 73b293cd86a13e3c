"""History: a seeker's own saved check-ins, trend charts as server-rendered SVG with text
alternatives and data tables, and a printable summary."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from tests.checkins.helpers import answers, save
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HISTORY = reverse("checkins:history")
PRINT = reverse("checkins:print")
DAY = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def three_phq9(user: User) -> None:
    for week, value in enumerate((2, 1, 0)):  # totals 18, 9, 0
        save(user, "phq9", answers("phq9", value), taken_at=DAY + dt.timedelta(weeks=week))


def test_history_lists_only_your_own_check_ins(seeker: User, other_seeker: User) -> None:
    save(seeker, "gad7", answers("gad7", 1), taken_at=DAY)
    save(other_seeker, "proqol5", answers("proqol5", 2), taken_at=DAY)
    response = client_for(seeker).get(HISTORY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "GAD-7" in html
    assert "ProQOL 5" not in html.split("<main", 1)[1].split("Take your data", 1)[0]
    theirs = client_for(other_seeker).get(HISTORY).content.decode()
    assert "Worry and tension over the last two weeks 7" not in theirs


def test_trend_chart_is_svg_with_points_text_alternative_and_table(seeker: User) -> None:
    three_phq9(seeker)
    html = client_for(seeker).get(HISTORY).content.decode()
    start = html.index('<svg class="trend-chart"')
    svg = html[start : html.index("</svg>", start) + 6]
    assert 'role="img"' in svg
    assert (
        '<title id="chart-phq9-total-title">PHQ-9: Mood over the last two weeks over time</title>'
        in svg
    )
    assert (
        '<desc id="chart-phq9-total-desc">3 check-ins from 2 Mar 2026 to 16 Mar 2026, '
        "in order: 18, 9, 0." in svg
    )
    assert svg.count('<circle class="trend-point"') == 3
    assert "<title>2 Mar 2026: 18</title>" in svg
    assert "<polyline" in svg
    # The PHQ-9's five bands drawn behind the line.
    assert svg.count('<rect class="band') == 5
    assert "moderately severe" in svg
    # Each point sits in its band: 18 in 14.5-19.5 on a 0-27 scale.
    ys = [float(y) for y in re.findall(r'cy="([\d.]+)"', svg)]
    assert ys[0] < ys[1] < ys[2]
    table = html[html.index('<table class="table trend-table">') :]
    assert '<th scope="row">2 Mar 2026</th><td>18</td><td>moderately severe</td>' in table
    assert "http" not in svg.replace("http://www.w3.org", "")  # nothing from other hosts


def test_cbi_charts_have_no_bands_and_skip_missing_scores(seeker: User) -> None:
    chosen = answers("cbi", 50)
    for item_id in ("14", "15", "16", "17", "18"):
        del chosen[item_id]
    save(seeker, "cbi", chosen, taken_at=DAY)
    html = client_for(seeker).get(HISTORY).content.decode()
    assert '<rect class="band' not in html
    assert "No scores for this part yet." in html
    assert "<td>no score</td>" in html


def test_history_shows_crisis_resources_when_the_latest_phq9_was_flagged(seeker: User) -> None:
    save(seeker, "phq9", answers("phq9", 0, _9=1), taken_at=DAY)
    html = client_for(seeker).get(HISTORY).content.decode()
    assert 'id="crisis-resources"' in html
    save(seeker, "phq9", answers("phq9", 0), taken_at=DAY + dt.timedelta(days=1))
    assert 'id="crisis-resources"' not in client_for(seeker).get(HISTORY).content.decode()


def test_empty_history_is_calm(seeker: User) -> None:
    html = client_for(seeker).get(HISTORY).content.decode()
    assert "You haven’t saved any check-ins yet." in html


def test_printable_summary_has_print_stylesheet_and_charts(seeker: User) -> None:
    three_phq9(seeker)
    response = client_for(seeker).get(PRINT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'href="/static/checkins/print.css" media="print"' in html
    assert "<svg" in html
    assert "Developed by Drs. Robert L. Spitzer" in html


@pytest.mark.parametrize("url", [HISTORY, PRINT])
def test_history_pages_need_a_seeker_account(url: str, therapist: User) -> None:
    assert Client().get(url)["Location"].startswith(reverse("account_login"))
    assert client_for(therapist).get(url).status_code == 403


def test_print_shows_only_your_own(seeker: User, other_seeker: User) -> None:
    save(other_seeker, "gad7", answers("gad7", 3), taken_at=DAY)
    html = client_for(seeker).get(PRINT).content.decode()
    assert "No saved check-ins yet." in html
