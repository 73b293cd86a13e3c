"""Times for people: an instant in a chosen zone, written the way a calendar would."""

from __future__ import annotations

import datetime as dt

from holdspace.core import slots

# Offered in the seeker's time-zone select (the therapist's own zone is always added).
TIME_ZONES: list[tuple[str, str]] = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Arizona (no daylight saving)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro (Guam)"),
    ("America/Halifax", "Atlantic (Halifax)"),
    ("Europe/London", "United Kingdom and Ireland"),
    ("Europe/Berlin", "Central Europe"),
    ("Asia/Kolkata", "India"),
    ("Australia/Sydney", "Sydney"),
    ("UTC", "UTC"),
]
TIME_ZONE_NAMES = {name for name, _ in TIME_ZONES}


def zone_label(name: str) -> str:
    return dict(TIME_ZONES).get(name, name.replace("_", " "))


def when(moment: dt.datetime, time_zone: str) -> str:
    """'Monday 9 March 2026, 9:00 AM EDT' in ``time_zone``."""
    local = slots.to_local(moment, time_zone)
    hour = local.hour % 12 or 12
    return f"{local:%A} {local.day} {local:%B %Y}, {hour}:{local:%M %p %Z}"


def clock(moment: dt.datetime, time_zone: str) -> str:
    """'9:00 AM' in ``time_zone``."""
    local = slots.to_local(moment, time_zone)
    return f"{local.hour % 12 or 12}:{local:%M %p}"


def day_heading(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
