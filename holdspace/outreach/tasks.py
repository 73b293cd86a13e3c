"""Background tasks: request emails and the 72-hour expiry (run by ``manage.py db_worker``).

Emails say only that something happened and where to look: never what the seeker shared, never
a message, never a name or pseudonym.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.time_zones import zone_for
from holdspace.outreach.models import ConsultationRequest

SUBJECTS = {
    "received": "You have a new consultation request",
    "accepted": "Your request was accepted",
    "declined": "About your request",
    "expired": "Your request wasn't answered in time",
    "message": "You have a new message",
}
TO_THERAPIST = {"received"}


@task
def send_request_email(*, request_id: int, event: str, recipient_id: int | None = None) -> int:
    """Tell one party that something happened to a request (``recipient_id`` for messages)."""
    request = (
        ConsultationRequest.objects.select_related("seeker", "profile__user")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    if event == "message":
        to_therapist = recipient_id == request.profile.user_id
    else:
        to_therapist = event in TO_THERAPIST
    recipient = request.profile.user if to_therapist else request.seeker
    view = "outreach:thread" if event == "message" else "outreach:detail"
    link = settings.SITE_URL.rstrip("/") + reverse(view, args=[request.pk])
    with timezone.override(zone_for(recipient)):  # the deadline in the reader's zone
        body = render_to_string(
            "outreach/email/notice.txt", {"event": event, "link": link, "due_at": request.due_at}
        )
    return send_mail(f"Holdspace: {SUBJECTS[event]}", body, None, [recipient.email])


@task
def expire_if_unanswered(*, request_id: int) -> bool:
    """Queued for 72 hours after a request is sent; does nothing if it was answered."""
    from holdspace.outreach import services  # services queue this task

    return services.expire_request(request_id=request_id)
