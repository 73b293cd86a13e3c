"""The one place the homes decide which time zone a person's times are shown in, and how.

Every time on the homes goes through ``viewer_zone`` and the ``in_zone`` / ``clock_in_zone``
filters (``templatetags/home.py``), so a per-person time zone setting is one change here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import display
from holdspace.scheduling.selectors import last_seeker_time_zone

DEFAULT_ZONE = "America/New_York"  # scheduling's default for a seeker who never chose one


def viewer_zone(user: User, *, profile: TherapistProfile | None = None) -> str:
    """Therapists: their practice's zone. Seekers: the zone they last booked in. Else Eastern."""
    if profile is not None:
        return profile.time_zone
    return last_seeker_time_zone(user) or DEFAULT_ZONE


def when(moment: dt.datetime, zone: str) -> str:
    """ "Monday 9 March 2026, 9:00 AM MDT": the day and time, with the zone named."""
    return display.when(moment, zone)


def short_when(moment: dt.datetime, zone: str) -> str:
    """ "Mon 9 Mar, 9:00 AM MDT": for lists of the coming days."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}, {display.clock(moment, zone)} {local:%Z}"


def day(moment: dt.datetime, zone: str) -> str:
    """ "2 December 2026": the local day only."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y}"


def clock(moment: dt.datetime, zone: str) -> str:
    """ "9:00 AM" (the zone is named once, in the heading of the list)."""
    return display.clock(moment, zone)


def zone_name(zone: str) -> str:
    """ "Mountain (Denver)": the zone in words, named once on a page."""
    return display.zone_label(zone)
