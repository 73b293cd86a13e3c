"""E-mails sent by the worker are written in each recipient's zone, as their pages are.

Transactional: tasks are queued by ``transaction.on_commit`` after real commits and run by the
real worker (``db_worker --batch``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from holdspace.accounts.models import Role, User
from holdspace.matching.models import FindProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import SessionKind, SessionType
from tests.factories import make_profile, make_request, make_schedule, make_user

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2027, 1, 5, 15, 0, tzinfo=dt.UTC)
SESSION = dt.datetime(2027, 1, 12, 20, 0, tzinfo=dt.UTC)  # 1:00 PM MST, 3:00 PM EST


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def body_to(user: User) -> str:
    (message,) = [m for m in mail.outbox if user.email in m.to]
    return str(message.body)


def test_the_booking_confirmation_names_each_readers_own_time() -> None:
    therapist = make_user(Role.THERAPIST)
    profile = make_profile(user=therapist)
    profile.time_zone = "America/Denver"
    profile.save()
    make_schedule(profile)
    seeker = make_user()
    FindProfile.objects.create(user=seeker, location="US-NY")
    services.book(
        seeker=seeker,
        profile=profile,
        session_type=SessionType.objects.get(profile=profile, kind=SessionKind.CONSULTATION),
        start=SESSION,
        seeker_time_zone="America/New_York",
    )
    assert mail.outbox == []  # queued, not sent inline
    run_worker()
    assert "booked for Tuesday 12 January 2027, 3:00 PM EST." in body_to(seeker)
    assert "for Tuesday 12 January 2027, 1:00 PM MST." in body_to(therapist)


def test_a_new_request_tells_the_therapist_its_deadline_in_their_zone() -> None:
    profile = make_profile()
    profile.time_zone = "America/Denver"
    profile.save()
    make_request(make_user(), profile)
    run_worker()
    assert "Please answer by Friday 8 January 2027, 8:00 AM MST" in body_to(profile.user)
