"""Shared scheduling fixtures: a listed New York therapist available every day 09:00–17:00,
a day a week ahead (outside every notice and cancellation window), and booking helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import Booking, SessionKind, SessionType
from tests.factories import days_ahead, local_time, make_profile, make_schedule

ZONE = "America/New_York"


@pytest.fixture
def profile(therapist: User) -> TherapistProfile:
    return make_schedule(make_profile(user=therapist))


@pytest.fixture
def day() -> dt.date:
    return days_ahead(8, ZONE)


def session_type(profile: TherapistProfile, kind: str = SessionKind.CONSULTATION) -> SessionType:
    return SessionType.objects.get(profile=profile, kind=kind)


@pytest.fixture
def consultation(profile: TherapistProfile) -> SessionType:
    return session_type(profile)


def at(day: dt.date, clock: str, zone: str = ZONE) -> dt.datetime:
    return local_time(day, clock, zone)


def book(
    seeker: User,
    profile: TherapistProfile,
    start: dt.datetime,
    kind: str = SessionKind.CONSULTATION,
) -> Booking:
    return services.book(
        seeker=seeker,
        profile=profile,
        session_type=session_type(profile, kind),
        start=start,
        seeker_time_zone=ZONE,
    )
