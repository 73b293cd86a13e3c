"""Bookable slots from a therapist's weekly availability, in the therapist's own time zone.

Pure Python (no Django): the scheduling app turns its rows into these inputs and stores what
comes out. Every instant that leaves this module is an aware UTC ``datetime``; local times are
only ever produced for display (``to_local``).

Daylight saving time (``zoneinfo``) — the choices, in one place:

* Slots sit on a **wall-clock grid**: a window 09:00–12:00 with a 60-minute step offers 09:00,
  10:00 and 11:00 local time on every day of the year, because that is what a therapist means.
* A session lasts its **real** duration: a 50-minute session is 50 elapsed minutes even when
  the clocks change during it.
* **Spring gap** (e.g. 02:00–03:00 does not exist in New York on the second Sunday of March):
  a grid time that does not exist is skipped, never shifted, so nobody is offered "02:30".
  A window *bound* inside the gap is read forwards (02:30 means 03:30 daylight time).
* **Autumn repeat** (01:00–02:00 happens twice on the first Sunday of November): a repeated
  grid time is offered once, at its first occurrence (``fold=0``, still daylight time). The
  second pass of the hour is not a new set of slots, so there are never duplicates.
* Slots within one window never overlap, even around a change (a later slot that would start
  before the previous one ends is dropped).

Intervals are half-open ``[start, end)``: a session ending at 09:50 and one starting at 09:50
do not overlap.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC


class SlotError(ValueError):
    """Inputs that cannot describe availability (unknown zone, naive instant, bad window)."""


class SessionKind(StrEnum):
    CONSULTATION = "consultation"
    SESSION = "session"
    CHECK_IN = "check_in"


@dataclass(frozen=True, slots=True)
class SessionSpec:
    """A kind of appointment: its length and the gap kept free after it (the buffer)."""

    kind: SessionKind
    label: str
    minutes: int
    buffer_minutes: int
    free: bool

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes)

    @property
    def buffer(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_minutes)

    @property
    def step(self) -> dt.timedelta:
        """Grid step: the session plus its buffer, so a 50-minute session starts on the hour."""
        return dt.timedelta(minutes=self.minutes + self.buffer_minutes)


# The defaults every therapist starts with (each can switch a kind off or change its buffer).
DEFAULT_SESSIONS: tuple[SessionSpec, ...] = (
    SessionSpec(SessionKind.CONSULTATION, "Free 15-minute consultation", 15, 0, free=True),
    SessionSpec(SessionKind.SESSION, "50-minute session", 50, 10, free=False),
    SessionSpec(SessionKind.CHECK_IN, "30-minute check-in", 30, 0, free=False),
)


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """Available every ``weekday`` (0 = Monday) from ``start`` to ``end``, local wall time.
    Windows do not cross midnight: a late evening is two windows (…–24:00 is ``time.max``)."""

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise SlotError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise SlotError("window times are local wall times, without a time zone")
        if self.end <= self.start:
            raise SlotError(f"a window must end after it starts ({self.start}–{self.end})")


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open span ``[start, end)`` of aware instants."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        _require_aware(self.start)
        _require_aware(self.end)
        if self.end <= self.start:
            raise SlotError(f"an interval must end after it starts ({self.start}–{self.end})")

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; unknown names raise SlotError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SlotError(f"unknown time zone {name!r}") from None


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise SlotError(f"{moment} has no time zone")


def exists(local: dt.datetime, tz: ZoneInfo) -> bool:
    """Whether naive wall time ``local`` happens in ``tz`` (False inside a spring gap)."""
    aware = local.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local


def is_repeated(local: dt.datetime, tz: ZoneInfo) -> bool:
    """Whether naive wall time ``local`` happens twice in ``tz`` (the autumn repeated hour)."""
    first = local.replace(tzinfo=tz, fold=0).utcoffset()
    second = local.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and exists(local, tz)


def to_utc(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Naive wall time to UTC: a repeated time is read as its first occurrence; a time in a
    spring gap is read forwards (with the offset in force before the gap)."""
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def to_local(moment: dt.datetime, time_zone: str) -> dt.datetime:
    """An aware instant as wall time in ``time_zone`` (for display)."""
    _require_aware(moment)
    return moment.astimezone(zone(time_zone))


def local_days(first_day: dt.date, last_day: dt.date) -> Iterator[dt.date]:
    day = first_day
    while day <= last_day:
        yield day
        day += dt.timedelta(days=1)


def _window_bounds(day: dt.date, window: WeeklyWindow, tz: ZoneInfo) -> Interval:
    start = to_utc(dt.datetime.combine(day, window.start), tz)
    if window.end == dt.time.max:
        end = to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
    else:
        end = to_utc(dt.datetime.combine(day, window.end), tz)
    return Interval(start, end)


def _grid(day: dt.date, window: WeeklyWindow, step: dt.timedelta) -> Iterator[dt.datetime]:
    """Naive wall-clock start times of one window on one day."""
    local = dt.datetime.combine(day, window.start)
    stop = dt.datetime.combine(day, dt.time.max if window.end == dt.time.max else window.end)
    while local < stop:
        yield local
        local += step


def window_slots(
    *,
    day: dt.date,
    window: WeeklyWindow,
    tz: ZoneInfo,
    duration: dt.timedelta,
    step: dt.timedelta,
) -> Iterator[Interval]:
    """Every slot of one window on one local day, before bookings and notice are applied."""
    if step <= dt.timedelta(0) or duration <= dt.timedelta(0):
        raise SlotError("duration and step must be positive")
    bounds = _window_bounds(day, window, tz)
    previous_end: dt.datetime | None = None
    for local in _grid(day, window, step):
        if not exists(local, tz):
            continue  # spring gap: this wall time never happens
        start = to_utc(local, tz)  # a repeated time: its first occurrence only
        end = start + duration
        if end > bounds.end:
            break
        if previous_end is not None and start < previous_end:
            continue
        previous_end = end
        yield Interval(start, end)


class _Busy:
    """Disjoint, sorted busy spans for fast overlap checks (a year of bookings stays cheap)."""

    def __init__(self, spans: Iterable[Interval], pad: dt.timedelta) -> None:
        merged: list[list[dt.datetime]] = []
        for span in sorted(spans):
            start, end = span.start - pad, span.end + pad
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [span[0] for span in merged]
        self._ends = [span[1] for span in merged]

    def overlaps(self, slot: Interval) -> bool:
        # The last busy span starting before the slot ends is the only one that can overlap.
        index = bisect.bisect_left(self._starts, slot.end) - 1
        return index >= 0 and self._ends[index] > slot.start


def bookable_slots(
    *,
    windows: Collection[WeeklyWindow],
    time_zone: str,
    first_day: dt.date,
    last_day: dt.date,
    duration: dt.timedelta,
    now: dt.datetime,
    busy: Iterable[Interval] = (),
    days_off: Collection[dt.date] = (),
    min_notice: dt.timedelta = dt.timedelta(0),
    buffer: dt.timedelta = dt.timedelta(0),
    step: dt.timedelta | None = None,
) -> list[Interval]:
    """Start/end instants (aware, UTC, sorted) a seeker may book, from ``first_day`` to
    ``last_day`` inclusive — local days in the therapist's ``time_zone``.

    Removed: whole local days in ``days_off``; anything starting before ``now + min_notice``;
    anything overlapping a ``busy`` span, with ``buffer`` kept free on either side (so a
    session never starts right after another one ends). ``step`` is the wall-clock grid
    (default: ``duration + buffer``). See the module docstring for daylight saving time.
    """
    _require_aware(now)
    if last_day < first_day:
        return []
    tz = zone(time_zone)
    grid = step if step is not None else duration + buffer
    earliest = now + min_notice
    taken = _Busy(busy, buffer)
    by_weekday: dict[int, list[WeeklyWindow]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    slots: list[Interval] = []
    for day in local_days(first_day, last_day):
        if day in days_off:
            continue
        for window in sorted(by_weekday.get(day.weekday(), []), key=lambda w: w.start):
            for slot in window_slots(day=day, window=window, tz=tz, duration=duration, step=grid):
                if slot.start >= earliest and not taken.overlaps(slot):
                    slots.append(slot)
    # Windows of one day may overlap each other; offer each instant once.
    return sorted(set(slots))


def within_availability(
    *,
    slot: Interval,
    windows: Collection[WeeklyWindow],
    time_zone: str,
    days_off: Collection[dt.date] = (),
) -> bool:
    """Whether ``slot`` lies wholly inside one window on a local day that is not a day off
    (used to re-check a requested time, which need not sit on the grid)."""
    tz = zone(time_zone)
    day = slot.start.astimezone(tz).date()  # windows never cross midnight
    if day in days_off:
        return False
    for window in windows:
        if window.weekday == day.weekday():
            bounds = _window_bounds(day, window, tz)
            if bounds.start <= slot.start and slot.end <= bounds.end:
                return True
    return False


def local_day_bounds(day: dt.date, time_zone: str) -> Interval:
    """The UTC instants a local day spans (23 or 25 hours on change days)."""
    tz = zone(time_zone)
    start = to_utc(dt.datetime.combine(day, dt.time()), tz)
    end = to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
    return Interval(start, end)
