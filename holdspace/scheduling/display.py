"""Times for people on the scheduling pages: an instant in a given zone, written the way a
calendar would (holdspace.core.zones does the writing; templates use the ``times`` library)."""

from __future__ import annotations

import datetime as dt

from holdspace.core import slots, zones


def when(moment: dt.datetime, time_zone: str) -> str:
    """'Monday 9 March 2026, 9:00 AM EDT' in ``time_zone``."""
    return zones.write(slots.to_local(moment, time_zone), "long")


def clock(moment: dt.datetime, time_zone: str) -> str:
    """'9:00 AM' in ``time_zone`` (under a heading that names the zone)."""
    local = slots.to_local(moment, time_zone)
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


def day_heading(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
