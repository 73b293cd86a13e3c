"""Background tasks for deletion (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.time_zones import zone_for
from holdspace.scheduling.models import Booking


@task
def delete_seeker_data(*, deletion_id: int) -> bool:
    from holdspace.mydata import services  # services queue this task

    return services.run_deletion(deletion_id=deletion_id)


@task
def tell_therapist_cancelled(*, booking_id: int) -> int:
    """The scheduling app's own neutral cancellation notice, to the therapist only: it says a
    session was cancelled, never why and never who."""
    booking = Booking.objects.select_related("profile__user").filter(pk=booking_id).first()
    if booking is None:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("scheduling:detail", args=[booking.pk])
    with timezone.override(zone_for(booking.profile.user)):  # the therapist's zone
        body = render_to_string(
            "scheduling/email/notice.txt",
            {
                "event": "cancelled",
                "party": "therapist",
                "start": booking.start,
                "status": booking.status,
                "link": link,
            },
        )
    subject = "Holdspace: A session was cancelled"
    return send_mail(subject, body, None, [booking.profile.user.email])
