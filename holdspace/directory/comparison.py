"""What the compare page shows for each saved therapist: the public profile plus two things
other apps know (the next free consultation, the response-time record). Kept apart from
``selectors`` because scheduling and outreach build on the directory's selectors."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from holdspace.directory import selectors
from holdspace.directory.models import TherapistProfile
from holdspace.outreach.selectors import response_record
from holdspace.scheduling import selectors as scheduling
from holdspace.scheduling.models import SessionKind

# How far ahead to look for a free consultation: far enough to be useful, short enough that
# ten profiles stay a handful of small queries each.
LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Compared:
    profile: TherapistProfile
    licensed_in: list[str]
    next_consultation: dt.date | None  # the therapist's local date, within LOOK_AHEAD_DAYS
    response: str


def next_consultation(profile: TherapistProfile, *, now: dt.datetime) -> dt.date | None:
    consultation = (
        scheduling.offered_session_types(profile).filter(kind=SessionKind.CONSULTATION).first()
    )
    if consultation is None:
        return None
    zone = zoneinfo.ZoneInfo(profile.time_zone)
    first_day = now.astimezone(zone).date()
    free = scheduling.available_slots(
        profile=profile,
        session_type=consultation,
        first_day=first_day,
        last_day=first_day + dt.timedelta(days=LOOK_AHEAD_DAYS - 1),
        now=now,
    )
    return min(free, key=lambda slot: slot.start).start.astimezone(zone).date() if free else None


def compare(
    profiles: list[TherapistProfile], *, today: dt.date, now: dt.datetime
) -> list[Compared]:
    return [
        Compared(
            profile=profile,
            licensed_in=selectors.licensed_in(profile=profile, today=today),
            next_consultation=next_consultation(profile, now=now),
            response=response_record(profile),
        )
        for profile in profiles
    ]
