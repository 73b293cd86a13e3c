"""Background tasks for measurement plans (run by ``manage.py db_worker``).

The e-mail says only that a check-in is ready and where to sign in: never which questionnaire,
never the therapist's name, never a word about how anyone is doing. An inbox can be shared or
glanced at; the details wait behind the sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from holdspace.practice.models import CheckInInvitation

SUBJECT = "Holdspace: A check-in is ready"


@task
def send_checkin_invitation(*, invitation_id: int) -> int:
    """E-mail the client that a check-in is ready; at most once per invitation, and not at
    all once it is no longer asked for (plan stopped, care ended, done or expired)."""
    from holdspace.practice import services  # services queue this task

    invitation = (
        CheckInInvitation.objects.select_related("plan__request__seeker")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not services.claim_for_sending(invitation=invitation):
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("practice:asked")
    body = render_to_string("practice/email/checkin_ready.txt", {"link": link})
    return send_mail(SUBJECT, body, None, [invitation.plan.request.seeker.email])


@task
def send_due_checkins() -> int:
    """The same work as ``manage.py send_due_checkins``, for a scheduler that queues tasks."""
    from holdspace.practice import services

    return services.send_due_checkins()
