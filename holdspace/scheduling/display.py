"""The slot picker's labels: clock times under a heading that names the zone. Every other time
is written by the ``times`` template library (holdspace.core.zones)."""

from __future__ import annotations

import datetime as dt

from holdspace.core import slots


def clock(moment: dt.datetime, time_zone: str) -> str:
    """'9:00 AM' in ``time_zone`` (under a heading that names the zone)."""
    local = slots.to_local(moment, time_zone)
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


def day_heading(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
