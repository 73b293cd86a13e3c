"""Booking emails and the 24-hour reminder go through the real task queue and the real
worker (``db_worker --batch``), and say nothing but that something happened, when, and where.

Transactional tests: tasks are queued by ``transaction.on_commit`` after real commits, and
the worker manages its own connection (which it may close) as it does in production."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import Booking, SessionKind
from tests.scheduling.conftest import at, book, session_type

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def private_seeker(seeker: User) -> User:
    seeker.legal_name = "Canary Legalname"
    seeker.save()
    return seeker


def test_booking_emails_both_parties_with_only_the_time_and_a_link(
    private_seeker: User,
    profile: TherapistProfile,
    day: dt.date,
) -> None:
    booking = book(private_seeker, profile, at(day, "09:00"))
    assert mail.outbox == []  # queued, not sent inline
    run_worker()
    (to_seeker,) = sent_to(private_seeker.email)
    (to_therapist,) = sent_to(profile.user.email)
    assert to_seeker.subject == "Holdspace: A session was booked"
    assert "9:00 AM EST" in to_seeker.body or "9:00 AM EDT" in to_seeker.body
    assert f"/schedule/bookings/{booking.pk}/" in to_therapist.body
    for message in mail.outbox:
        text = f"{message.subject} {message.body}"
        for secret in (
            "Canary Legalname",
            private_seeker.pseudonym,
            private_seeker.email,
            "video.example.test",
            profile.display_name,
        ):
            assert secret not in text
    assert set(DBTaskResult.objects.values_list("status", flat=True)) >= {"SUCCESSFUL"}


def test_the_reminder_comes_24_hours_before_and_only_once(
    seeker: User,
    profile: TherapistProfile,
    day: dt.date,
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    run_worker()
    mail.outbox.clear()
    with time_machine.travel(booking.start - dt.timedelta(hours=25), tick=False):
        run_worker()
        assert mail.outbox == []  # not due yet
    with time_machine.travel(booking.start - dt.timedelta(hours=23), tick=False):
        run_worker()
        run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seeker.email, profile.user.email])
    assert all(m.subject == "Holdspace: Reminder: a session tomorrow" for m in mail.outbox)
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


def test_a_moved_booking_is_reminded_at_its_new_time_only(
    seeker: User,
    profile: TherapistProfile,
    day: dt.date,
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "15:00"))
    run_worker()
    assert [m.subject for m in sent_to(profile.user.email)] == [
        "Holdspace: A session was booked",
        "Holdspace: A session was moved",
    ]
    mail.outbox.clear()
    with time_machine.travel(at(day, "09:00") - dt.timedelta(hours=23), tick=False):
        run_worker()
        assert mail.outbox == []  # the reminder for the old time does nothing
    with time_machine.travel(at(day, "15:00") - dt.timedelta(hours=23), tick=False):
        run_worker()
    assert len(mail.outbox) == 2
    assert "3:00 PM" in mail.outbox[0].body


def test_a_cancelled_booking_tells_both_and_is_never_reminded(
    seeker: User,
    profile: TherapistProfile,
    day: dt.date,
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    services.cancel(user=profile.user, booking_id=booking.pk, reason="Ill")
    run_worker()
    cancelled = [m for m in mail.outbox if m.subject == "Holdspace: A session was cancelled"]
    assert len(cancelled) == 2
    assert all("Ill" not in m.body for m in cancelled)
    mail.outbox.clear()
    with time_machine.travel(booking.start - dt.timedelta(hours=23), tick=False):
        run_worker()
    assert mail.outbox == []
    assert Booking.objects.get().reminder_sent_at is None


def test_confirming_tells_the_seeker(
    seeker: User,
    profile: TherapistProfile,
    day: dt.date,
) -> None:
    start = at(day, "09:00")
    seeker.time_zone = "America/Denver"
    seeker.save()
    booking = Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=session_type(profile, SessionKind.SESSION),
        start=start,
        end=start + dt.timedelta(minutes=50),
        seeker_time_zone="America/Denver",
    )
    services.confirm(therapist=profile.user, booking_id=booking.pk)
    run_worker()
    (message,) = mail.outbox
    assert message.to == [seeker.email]
    assert "is confirmed" in message.body
    assert "7:00 AM M" in message.body  # in the seeker's zone (Denver)
