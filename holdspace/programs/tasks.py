"""Program e-mails, sent by the background worker. They say only that something happened and
where to look: never a therapist's or seeker's name, never a program member's answers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from holdspace.programs.models import Enrollment

SUBJECTS = {
    "offer": "A therapist is ready for you",
    "waiting": "You're on the waiting list",
}


@task
def send_enrollment_email(*, enrollment_id: int, event: str) -> int:
    enrollment = Enrollment.objects.select_related("seeker").filter(pk=enrollment_id).first()
    if enrollment is None or event not in SUBJECTS:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("programs:enrollment", args=[enrollment.pk])
    body = render_to_string("programs/email/notice.txt", {"event": event, "link": link})
    return send_mail(f"Holdspace: {SUBJECTS[event]}", body, None, [enrollment.seeker.email])


@task
def send_invitation_email(*, address: str, link: str) -> int:
    body = render_to_string("programs/email/invitation.txt", {"link": link})
    return send_mail("Holdspace: You're invited to join a program", body, None, [address])
