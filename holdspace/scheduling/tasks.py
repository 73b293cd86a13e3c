"""Background tasks: booking emails and the 24-hour reminder (run by ``manage.py db_worker``).

Emails say only that something happened, when, and where to look: never clinical content,
never a name (a seeker's pseudonym included), never the video link.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.time_zones import zone_for
from holdspace.scheduling.models import Booking, BookingStatus

SUBJECTS = {
    "booked": "A session was booked",
    "confirmed": "Your session is confirmed",
    "rescheduled": "A session was moved",
    "cancelled": "A session was cancelled",
    "reminder": "Reminder: a session tomorrow",
}
# Who hears about what: the person who acted still gets a record of it.
AUDIENCE = {
    "booked": ("seeker", "therapist"),
    "confirmed": ("seeker",),
    "rescheduled": ("seeker", "therapist"),
    "cancelled": ("seeker", "therapist"),
    "reminder": ("seeker", "therapist"),
}


def _send(booking: Booking, event: str) -> int:
    link = settings.SITE_URL.rstrip("/") + reverse("scheduling:detail", args=[booking.pk])
    sent = 0
    for party in AUDIENCE[event]:
        recipient = booking.seeker if party == "seeker" else booking.profile.user
        # Written in the recipient's zone, as their pages are.
        with timezone.override(zone_for(recipient)):
            body = render_to_string(
                "scheduling/email/notice.txt",
                {
                    "event": event,
                    "party": party,
                    "start": booking.start,
                    "status": booking.status,
                    "link": link,
                },
            )
        address = recipient.email
        sent += send_mail(f"Holdspace: {SUBJECTS[event]}", body, None, [address])
    return sent


def _booking(booking_id: int) -> Booking | None:
    return Booking.objects.select_related("seeker", "profile__user").filter(pk=booking_id).first()


@task
def send_booking_email(*, booking_id: int, event: str) -> int:
    """Tell the parties a booking was made, confirmed, moved or cancelled."""
    booking = _booking(booking_id)
    return _send(booking, event) if booking else 0


@task
def send_reminder(*, booking_id: int, start: str) -> int:
    """The reminder, 24 hours before. Queued with ``run_after`` when a time is booked; a
    reminder for a time the booking no longer has (moved, cancelled) does nothing."""
    booking = _booking(booking_id)
    if (
        booking is None
        or booking.status == BookingStatus.CANCELLED
        or booking.start != dt.datetime.fromisoformat(start)
        or booking.start <= timezone.now()
    ):
        return 0
    # Claim the reminder first so a duplicate run (a retried worker) sends nothing twice.
    claimed = Booking.objects.filter(
        pk=booking.pk, reminder_sent_at__isnull=True, start=booking.start
    ).update(reminder_sent_at=timezone.now())
    return _send(booking, "reminder") if claimed else 0
