"""Bookable slots: the weekly grid in the therapist's zone, across both US clock changes in
New York and Denver (and Phoenix, which has none), seen from other zones."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.core.slots import (
    DEFAULT_SESSIONS,
    Interval,
    SessionKind,
    SessionSpec,
    SlotError,
    WeeklyWindow,
    bookable_slots,
    exists,
    is_repeated,
    local_day_bounds,
    to_local,
    within_availability,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 1, 1, tzinfo=UTC)
SESSION = dt.timedelta(minutes=50)
HOUR = dt.timedelta(hours=1)
# 2026: clocks go forward on Sunday 8 March and back on Sunday 1 November in both zones.
SPRING = dt.date(2026, 3, 8)
AUTUMN = dt.date(2026, 11, 1)
SUNDAY = 6


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def every_day(start: dt.time, end: dt.time) -> list[WeeklyWindow]:
    return [WeeklyWindow(day, start, end) for day in range(7)]


def local_starts(slots: list[Interval], zone: str) -> list[str]:
    return [f"{to_local(slot.start, zone):%H:%M %Z}" for slot in slots]


def slots_on(
    day: dt.date, zone: str, windows: list[WeeklyWindow], **options: object
) -> list[Interval]:
    arguments: dict[str, object] = {"duration": SESSION, "now": NOW} | options
    return bookable_slots(
        windows=windows,
        time_zone=zone,
        first_day=day,
        last_day=day,
        **arguments,  # type: ignore[arg-type]
    )


def test_an_ordinary_morning_sits_on_the_hour() -> None:
    monday = [WeeklyWindow(0, dt.time(9), dt.time(12))]
    slots = slots_on(dt.date(2026, 1, 5), "America/New_York", monday, step=HOUR)
    assert slots == [
        Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 14, 50)),
        Interval(utc(2026, 1, 5, 15), utc(2026, 1, 5, 15, 50)),
        Interval(utc(2026, 1, 5, 16), utc(2026, 1, 5, 16, 50)),
    ]
    assert all(slot.start.tzinfo is UTC for slot in slots)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/New_York", ["00:00 EST", "01:00 EST", "03:00 EDT", "04:00 EDT"]),
        ("America/Denver", ["00:00 MST", "01:00 MST", "03:00 MDT", "04:00 MDT"]),
    ],
)
def test_spring_gap_times_are_skipped(zone: str, expected: list[str]) -> None:
    windows = [WeeklyWindow(SUNDAY, dt.time(0), dt.time(5))]
    slots = slots_on(SPRING, zone, windows, step=HOUR)
    assert local_starts(slots, zone) == expected
    # Real durations: every session is 50 elapsed minutes, and none overlap.
    assert all(slot.end - slot.start == SESSION for slot in slots)
    assert all(a.end <= b.start for a, b in itertools.pairwise(slots))


@pytest.mark.parametrize("zone", ["America/New_York", "America/Denver"])
def test_no_quarter_hour_inside_the_spring_gap(zone: str) -> None:
    windows = [WeeklyWindow(SUNDAY, dt.time(1), dt.time(4))]
    quarter = dt.timedelta(minutes=15)
    slots = slots_on(SPRING, zone, windows, duration=quarter)
    hours = {to_local(slot.start, zone).hour for slot in slots}
    assert hours == {1, 3}
    assert len(slots) == 8  # 01:00–01:45 and 03:00–03:45


@pytest.mark.parametrize(
    ("zone", "expected", "first_repeat"),
    [
        (
            "America/New_York",
            ["00:00 EDT", "01:00 EDT", "02:00 EST", "03:00 EST"],
            utc(2026, 11, 1, 5),
        ),
        (
            "America/Denver",
            ["00:00 MDT", "01:00 MDT", "02:00 MST", "03:00 MST"],
            utc(2026, 11, 1, 7),
        ),
    ],
)
def test_the_repeated_autumn_hour_is_offered_once(
    zone: str, expected: list[str], first_repeat: dt.datetime
) -> None:
    windows = [WeeklyWindow(SUNDAY, dt.time(0), dt.time(4))]
    slots = slots_on(AUTUMN, zone, windows, step=HOUR)
    assert local_starts(slots, zone) == expected
    # 01:00 is its first occurrence (still daylight time); the second 01:00 is not offered.
    assert slots[1].start == first_repeat
    assert first_repeat + HOUR not in {slot.start for slot in slots}
    assert len({slot.start for slot in slots}) == len(slots)


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Friday 6 March (standard time) and Monday 9 March (daylight time), 09:00 local.
        ("America/New_York", utc(2026, 3, 6, 14), utc(2026, 3, 9, 13)),
        ("America/Denver", utc(2026, 3, 6, 16), utc(2026, 3, 9, 15)),
        ("America/Phoenix", utc(2026, 3, 6, 16), utc(2026, 3, 9, 16)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_the_spring_change(
    zone: str, before: dt.datetime, after: dt.datetime
) -> None:
    windows = every_day(dt.time(9), dt.time(10))
    slots = bookable_slots(
        windows=windows,
        time_zone=zone,
        first_day=dt.date(2026, 3, 6),
        last_day=dt.date(2026, 3, 9),
        duration=SESSION,
        now=NOW,
    )
    assert (slots[0].start, slots[-1].start) == (before, after)
    assert {to_local(slot.start, zone).time() for slot in slots} == {dt.time(9)}


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Friday 30 October (daylight time) and Monday 2 November (standard time).
        ("America/New_York", utc(2026, 10, 30, 13), utc(2026, 11, 2, 14)),
        ("America/Denver", utc(2026, 10, 30, 15), utc(2026, 11, 2, 16)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_the_autumn_change(
    zone: str, before: dt.datetime, after: dt.datetime
) -> None:
    slots = bookable_slots(
        windows=every_day(dt.time(9), dt.time(10)),
        time_zone=zone,
        first_day=dt.date(2026, 10, 30),
        last_day=dt.date(2026, 11, 2),
        duration=SESSION,
        now=NOW,
    )
    assert len(slots) == 4
    assert (slots[0].start, slots[-1].start) == (before, after)


def test_a_seeker_in_another_zone_sees_their_own_local_times() -> None:
    """A New York therapist's 09:00 before and after the US change, seen from London (which
    changes three weeks later), Phoenix (never changes) and Denver."""
    slots = bookable_slots(
        windows=every_day(dt.time(9), dt.time(10)),
        time_zone="America/New_York",
        first_day=dt.date(2026, 3, 6),
        last_day=dt.date(2026, 3, 30),
        duration=SESSION,
        now=NOW,
    )
    by_day = {to_local(slot.start, "America/New_York").date(): slot for slot in slots}
    friday, monday, after_uk = dt.date(2026, 3, 6), dt.date(2026, 3, 9), dt.date(2026, 3, 30)
    seen = {
        zone: [f"{to_local(by_day[day].start, zone):%H:%M}" for day in (friday, monday, after_uk)]
        for zone in ("Europe/London", "America/Phoenix", "America/Denver")
    }
    assert seen == {
        "Europe/London": ["14:00", "13:00", "14:00"],
        "America/Phoenix": ["07:00", "06:00", "06:00"],
        "America/Denver": ["07:00", "07:00", "07:00"],
    }


def test_busy_times_buffer_and_adjacent_sessions() -> None:
    monday = [WeeklyWindow(0, dt.time(9), dt.time(12))]
    day = dt.date(2026, 1, 5)
    busy = [Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 14, 50))]  # 09:00–09:50 local
    zone = "America/New_York"
    # Half-open intervals: with no buffer the next session may start at 09:50.
    back_to_back = slots_on(day, zone, monday, busy=busy, step=SESSION)
    assert local_starts(back_to_back, zone)[0] == "09:50 EST"
    # A 10-minute buffer keeps 09:50–10:00 free; 10:00 is still fine.
    buffered = slots_on(day, zone, monday, busy=busy, buffer=dt.timedelta(minutes=10))
    assert local_starts(buffered, zone) == ["10:00 EST", "11:00 EST"]
    # A busy span ending at 10:05 pushes into the buffer of the 10:00 slot as well.
    late = [Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 15, 5))]
    assert local_starts(slots_on(day, zone, monday, busy=late, step=HOUR), zone) == ["11:00 EST"]


def test_past_times_and_minimum_notice_are_removed() -> None:
    monday = [WeeklyWindow(0, dt.time(9), dt.time(12))]
    day = dt.date(2026, 1, 5)
    now = utc(2026, 1, 5, 14, 30)  # 09:30 in New York
    slots = slots_on(day, "America/New_York", monday, now=now, step=HOUR)
    assert local_starts(slots, "America/New_York") == ["10:00 EST", "11:00 EST"]
    notice = slots_on(
        day, "America/New_York", monday, now=now, step=HOUR, min_notice=dt.timedelta(hours=1)
    )
    assert local_starts(notice, "America/New_York") == ["11:00 EST"]


def test_days_off_are_whole_local_days() -> None:
    # 23:00–24:00 in New York on 5 January is already 6 January in UTC.
    windows = every_day(dt.time(23), dt.time.max)
    slots = bookable_slots(
        windows=windows,
        time_zone="America/New_York",
        first_day=dt.date(2026, 1, 5),
        last_day=dt.date(2026, 1, 7),
        duration=SESSION,
        now=NOW,
        days_off={dt.date(2026, 1, 6)},
    )
    assert [to_local(slot.start, "America/New_York").day for slot in slots] == [5, 7]
    assert slots[0].start == utc(2026, 1, 6, 4)


def test_a_window_bound_inside_the_spring_gap_is_read_forwards() -> None:
    windows = [WeeklyWindow(SUNDAY, dt.time(2, 30), dt.time(5))]
    slots = slots_on(SPRING, "America/New_York", windows, step=HOUR)
    assert local_starts(slots, "America/New_York") == ["03:30 EDT"]


def test_within_availability_checks_a_requested_time() -> None:
    monday = [WeeklyWindow(0, dt.time(9), dt.time(12))]
    zone = "America/New_York"
    inside = Interval(utc(2026, 1, 5, 14, 50), utc(2026, 1, 5, 15, 40))  # off the grid: fine
    spills = Interval(utc(2026, 1, 5, 16, 30), utc(2026, 1, 5, 17, 20))
    assert within_availability(slot=inside, windows=monday, time_zone=zone)
    assert not within_availability(slot=spills, windows=monday, time_zone=zone)
    assert not within_availability(
        slot=inside, windows=monday, time_zone=zone, days_off={dt.date(2026, 1, 5)}
    )


def test_local_day_bounds_and_clock_helpers() -> None:
    assert local_day_bounds(SPRING, "America/New_York").end - local_day_bounds(
        SPRING, "America/New_York"
    ).start == dt.timedelta(hours=23)
    assert local_day_bounds(AUTUMN, "America/Denver").end - local_day_bounds(
        AUTUMN, "America/Denver"
    ).start == dt.timedelta(hours=25)
    new_york = ZoneInfo("America/New_York")
    assert not exists(dt.datetime(2026, 3, 8, 2, 30), new_york)
    assert is_repeated(dt.datetime(2026, 11, 1, 1, 30), new_york)
    assert not is_repeated(dt.datetime(2026, 11, 1, 2, 30), new_york)


def test_default_session_kinds() -> None:
    by_kind = {spec.kind: spec for spec in DEFAULT_SESSIONS}
    assert by_kind[SessionKind.CONSULTATION].minutes == 15
    assert by_kind[SessionKind.CONSULTATION].free
    assert by_kind[SessionKind.SESSION].step == HOUR
    assert by_kind[SessionKind.CHECK_IN].duration == dt.timedelta(minutes=30)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(SlotError, match="unknown time zone"):
        slots_on(SPRING, "Mars/Olympus_Mons", every_day(dt.time(9), dt.time(10)))
    with pytest.raises(SlotError, match="end after"):
        WeeklyWindow(0, dt.time(10), dt.time(9))
    with pytest.raises(SlotError, match="weekday"):
        WeeklyWindow(7, dt.time(9), dt.time(10))
    with pytest.raises(SlotError, match="no time zone"):
        slots_on(SPRING, "America/New_York", [], now=dt.datetime(2026, 1, 1))
    backwards = bookable_slots(
        windows=every_day(dt.time(9), dt.time(10)),
        time_zone="America/New_York",
        first_day=SPRING,
        last_day=SPRING - dt.timedelta(days=1),
        duration=SESSION,
        now=NOW,
    )
    assert backwards == []


ZONES = ["America/New_York", "America/Denver", "America/Phoenix", "Europe/London"]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first_day=st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 20)),
    start_minute=st.integers(0, 22 * 4).map(lambda q: q * 15),
    length=st.integers(1, 8 * 4).map(lambda q: q * 15),
    spec=st.sampled_from(DEFAULT_SESSIONS),
)
def test_slots_are_sorted_distinct_on_the_grid_and_inside_the_window(
    zone: str, first_day: dt.date, start_minute: int, length: int, spec: SessionSpec
) -> None:
    start = dt.time(start_minute // 60, start_minute % 60)
    end_minute = min(start_minute + length, 24 * 60 - 1)
    end = dt.time(end_minute // 60, end_minute % 60)
    windows = every_day(start, end)
    slots = bookable_slots(
        windows=windows,
        time_zone=zone,
        first_day=first_day,
        last_day=first_day + dt.timedelta(days=9),
        duration=spec.duration,
        buffer=spec.buffer,
        now=NOW,
    )
    tz = ZoneInfo(zone)
    assert slots == sorted(set(slots))
    for before, after in itertools.pairwise(slots):
        assert before.end <= after.start  # one window a day: never overlapping
    for slot in slots:
        assert slot.end - slot.start == spec.duration
        local = slot.start.astimezone(tz)
        offset = (local.hour * 60 + local.minute) - start_minute
        assert offset >= 0
        assert offset % (spec.minutes + spec.buffer_minutes) == 0
        assert local.fold == 0
        assert within_availability(slot=slot, windows=windows, time_zone=zone)
