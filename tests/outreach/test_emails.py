"""Request emails go through the real task queue and worker and say only that something
happened, with a link: never what was shared, never a message, never a name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services
from tests.factories import make_request
from tests.outreach.conftest import CANARY_NAME, CANARY_SITUATION, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

CANARY_MESSAGE = "canary-message-0c4d"


def test_request_emails_carry_no_clinical_content(
    private_seeker: User, profile: TherapistProfile
) -> None:
    therapist = profile.user
    first = make_request(
        private_seeker, profile, situation=CANARY_SITUATION, preferred_times="Tuesdays"
    )
    assert mail.outbox == []  # queued, not sent inline
    run_worker()
    (received,) = mail.outbox
    assert received.to == [therapist.email]
    assert received.subject == "Holdspace: You have a new consultation request"
    assert reverse("outreach:detail", args=[first.pk]) in received.body

    services.accept_request(therapist=therapist, request=first)
    services.post_message(sender=private_seeker, request=first, body=CANARY_MESSAGE)
    services.post_message(sender=therapist, request=first, body=CANARY_MESSAGE)
    run_worker()
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox[1:])
    assert subjects == sorted([
        (private_seeker.email, "Holdspace: Your request was accepted"),
        (therapist.email, "Holdspace: You have a new message"),
        (private_seeker.email, "Holdspace: You have a new message"),
    ])  # fmt: skip
    message_mail = next(m for m in mail.outbox if m.subject.endswith("new message"))
    assert reverse("outreach:thread", args=[first.pk]) in message_mail.body

    other = make_request(private_seeker, _second_profile(), situation=CANARY_SITUATION)
    services.decline_request(
        therapist=other.profile.user, request=other, reason="fit", note="canary-note"
    )
    run_worker()
    assert any(m.subject == "Holdspace: About your request" for m in mail.outbox)

    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in (
            CANARY_SITUATION, CANARY_MESSAGE, CANARY_NAME, "Tuesdays", "canary-note",
            private_seeker.pseudonym, private_seeker.email, profile.display_name,
        ):  # fmt: skip
            assert secret not in text
    # Everything ran; only the 72-hour expiry checks wait for their time.
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL", "READY"}
    assert DBTaskResult.objects.filter(status="READY").count() == 2


def _second_profile() -> TherapistProfile:
    from tests.factories import make_profile

    return make_profile(display_name="Second Therapist")
