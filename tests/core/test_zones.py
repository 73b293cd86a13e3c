"""Writing an instant for a person: their zone's wall clock, with the zone named, right on
both sides of a daylight-saving change; the zones we offer and guess."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from holdspace.core import zones

DENVER, NEW_YORK = ZoneInfo("America/Denver"), ZoneInfo("America/New_York")
# The regression of issue 11: 20:00 UTC, shown unlabelled on the client chart.
SESSION = dt.datetime(2027, 1, 12, 20, 0, tzinfo=dt.UTC)


def test_one_instant_two_readers() -> None:
    assert zones.write(SESSION.astimezone(DENVER)) == "Tue 12 Jan 2027, 1:00 PM MST"
    assert zones.write(SESSION.astimezone(NEW_YORK)) == "Tue 12 Jan 2027, 3:00 PM EST"
    assert zones.write(SESSION.astimezone(DENVER), "long") == (
        "Tuesday 12 January 2027, 1:00 PM MST"
    )
    assert zones.write(SESSION.astimezone(DENVER), "time") == "1:00 PM MST"


def test_midnight_and_noon_read_as_people_say_them() -> None:
    midnight = dt.datetime(2027, 1, 12, 7, 0, tzinfo=dt.UTC).astimezone(DENVER)
    noon = dt.datetime(2027, 1, 12, 19, 5, tzinfo=dt.UTC).astimezone(DENVER)
    assert zones.write(midnight, "time") == "12:00 AM MST"
    assert zones.write(noon, "time") == "12:05 PM MST"


def test_the_daylight_saving_boundary() -> None:
    # Denver springs forward at 2:00 AM local on 14 March 2027 (09:00 UTC).
    before = dt.datetime(2027, 3, 14, 8, 59, tzinfo=dt.UTC).astimezone(DENVER)
    after = dt.datetime(2027, 3, 14, 9, 0, tzinfo=dt.UTC).astimezone(DENVER)
    assert zones.write(before) == "Sun 14 Mar 2027, 1:59 AM MST"
    assert zones.write(after) == "Sun 14 Mar 2027, 3:00 AM MDT"
    # Falls back at 2:00 AM MDT on 7 November 2027: 1:30 AM happens twice, named apart.
    first = dt.datetime(2027, 11, 7, 7, 30, tzinfo=dt.UTC).astimezone(DENVER)
    second = dt.datetime(2027, 11, 7, 8, 30, tzinfo=dt.UTC).astimezone(DENVER)
    assert zones.write(first, "time") == "1:30 AM MDT"
    assert zones.write(second, "time") == "1:30 AM MST"


def test_zones_without_a_short_name_get_their_offset() -> None:
    moment = SESSION.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert zones.write(moment, "time") == "5:00 PM UTC−3"
    kathmandu = SESSION.astimezone(ZoneInfo("Asia/Kathmandu"))
    assert zones.write(kathmandu, "time") == "1:45 AM UTC+5:45"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        zones.write(dt.datetime(2027, 1, 12, 13, 0))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3 * 86_400, "3 days left"),
        (2 * 86_400 + 5 * 3_600 + 59, "2 days, 5 hours left"),
        (86_400 + 60, "1 day left"),
        (3_600 + 40 * 60, "1 hour, 40 minutes left"),
        (40 * 60 + 5, "40 minutes left"),
        (59, "less than a minute left"),
        (0, "no time left"),
        (-3_600, "no time left"),
    ],
)
def test_time_left(seconds: int, words: str) -> None:
    assert zones.time_left(SESSION + dt.timedelta(seconds=seconds), SESSION) == words


def test_names_are_checked_against_the_zone_database() -> None:
    assert zones.is_known("America/Denver")
    assert zones.is_known("Asia/Calcutta")  # an old name browsers still report
    for name in ("Mars/Olympus", "", "localtime", "Factory", "../etc/passwd", "america/denver"):
        assert not zones.is_known(name)


def test_reports_that_hide_the_place_are_real_zone_names() -> None:
    assert zones.UNINFORMATIVE.issubset(zones.known())
    assert "Europe/London" not in zones.UNINFORMATIVE


def test_labels() -> None:
    assert zones.label("America/Denver") == "Mountain time (Denver)"
    assert zones.label("Europe/Lisbon") == "Lisbon (Europe)"
    assert zones.label("America/Argentina/Buenos_Aires") == "Buenos Aires (America/Argentina)"


def test_every_jurisdiction_guess_is_a_real_zone() -> None:
    assert zones.for_jurisdiction("US-NY") == "America/New_York"
    assert zones.for_jurisdiction("US-AZ") == "America/Phoenix"
    assert zones.for_jurisdiction("XX-YY") is None
    assert all(zones.is_known(name) for name in zones.JURISDICTION_ZONES.values())
    assert zones.is_known(zones.FALLBACK)


def test_the_select_offers_common_zones_first_then_every_place_once() -> None:
    groups = zones.grouped_choices()
    assert groups[0][0] == "Common time zones"
    assert groups[0][1][:3] == list(zones.COMMON[:3])
    names = [name for _, choices in groups for name, _ in choices]
    assert len(names) == len(set(names))
    assert "Europe/Lisbon" in names
    assert not {"US/Eastern", "EST5EDT", "Etc/GMT+5"} & set(names)  # legacy names stay out
    # ...unless it is the person's own.
    mine = zones.grouped_choices("US/Eastern")
    assert ("US/Eastern", "Eastern (US)") in mine[0][1]


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (dt.timedelta(hours=72), "3 days left"),
        (dt.timedelta(hours=52, minutes=59), "2 days, 4 hours left"),
        (dt.timedelta(days=1, minutes=30), "1 day left"),
        (dt.timedelta(hours=5, minutes=59), "5 hours left"),
        (dt.timedelta(hours=1, minutes=20), "1 hour, 20 minutes left"),
        (dt.timedelta(minutes=40, seconds=59), "40 minutes left"),
        (dt.timedelta(seconds=59), "less than a minute left"),
        (dt.timedelta(0), "no time left"),
        (dt.timedelta(minutes=-5), "no time left"),
    ],
)
def test_time_left_is_said_plainly_and_never_rounded_up(left: dt.timedelta, words: str) -> None:
    now = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)
    assert zones.time_left(now + left, now) == words
