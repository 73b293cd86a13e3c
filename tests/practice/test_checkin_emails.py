"""``manage.py send_due_checkins`` and the e-mail it queues, through the real task queue and
the real worker (``db_worker --batch``). The e-mail says only that a check-in is ready.

Transactional tests: e-mails are queued by ``transaction.on_commit`` after real commits."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from holdspace.accounts.models import User
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice import services
from holdspace.practice.models import CheckInInvitation
from holdspace.practice.tasks import SUBJECT
from tests.factories import make_profile, make_schedule, make_session

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
CANARY_NAME = "Canary Legalname"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def run_command() -> str:
    out = StringIO()
    call_command("send_due_checkins", stdout=out)
    return out.getvalue()


def checkin_mail() -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.subject == SUBJECT]


@pytest.fixture
def client_request(therapist: User, seeker: User) -> ConsultationRequest:
    from tests.factories import make_client

    seeker.legal_name = CANARY_NAME
    seeker.save()
    make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    return make_client(therapist, seeker)


@time_machine.travel(NOW, tick=False)
def test_a_session_check_in_is_mailed_once_and_says_nothing_clinical(
    therapist: User, client_request: ConsultationRequest
) -> None:
    services.start_plan(
        therapist=therapist, client=client_request, instrument="phq9", cadence="before_session"
    )
    make_session(client_request, start=NOW + dt.timedelta(hours=36))
    assert run_command() == "Queued 1 check-in invitation(s).\n"
    assert run_command() == "Queued 0 check-in invitation(s).\n"
    assert checkin_mail() == []  # queued, not sent inline
    run_worker()
    run_worker()
    (message,) = checkin_mail()
    seeker = client_request.seeker
    assert message.to == [seeker.email]
    assert "A check-in is ready for you on Holdspace." in message.body
    assert "/practice/asked/" in message.body
    text = f"{message.subject} {message.body}".lower()
    for secret in (
        CANARY_NAME,
        seeker.pseudonym,
        "Morgan Vale",
        therapist.email,
        "phq",
        "depress",
        "anxiety",
        "burnout",
        "therapist",
        "session",
        "mood",
    ):
        assert secret.lower() not in text, secret
    assert CheckInInvitation.objects.get().sent_at == NOW


def test_a_periodic_plan_mails_its_first_check_in_on_starting_and_the_next_when_due(
    therapist: User, client_request: ConsultationRequest
) -> None:
    with time_machine.travel(NOW, tick=False):
        services.start_plan(
            therapist=therapist, client=client_request, instrument="gad7", cadence="two_weeks"
        )
        run_worker()
        assert len(checkin_mail()) == 1
    with time_machine.travel(NOW + dt.timedelta(days=14), tick=False):
        run_command()
        run_command()
        run_worker()
    assert len(checkin_mail()) == 2
    assert CheckInInvitation.objects.filter(sent_at__isnull=False).count() == 2


def test_no_mail_once_care_ended_or_the_plan_stopped(
    therapist: User, client_request: ConsultationRequest
) -> None:
    with time_machine.travel(NOW, tick=False):
        plan = services.start_plan(
            therapist=therapist, client=client_request, instrument="gad7", cadence="two_weeks"
        )
        # Care ends before the worker gets to the e-mail: it is not sent.
        ConsultationRequest.objects.filter(pk=client_request.pk).update(status=Status.WITHDRAWN)
        run_worker()
    assert checkin_mail() == []
    assert plan.invitations.get().sent_at is None
    ConsultationRequest.objects.filter(pk=client_request.pk).update(status=Status.ACCEPTED)
    services.stop_plan(therapist=therapist, client=client_request, plan=plan)
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        assert run_command() == "Queued 0 check-in invitation(s).\n"
        run_worker()
    assert checkin_mail() == []


def test_an_invitation_whose_mail_was_never_queued_is_queued_again(
    therapist: User, client_request: ConsultationRequest
) -> None:
    with time_machine.travel(NOW, tick=False):
        services.start_plan(
            therapist=therapist, client=client_request, instrument="gad7", cadence="monthly"
        )
    # As if the queue had been down: drop the queued task.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path__endswith="send_checkin_invitation").delete()
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        run_command()
        run_worker()
    assert len(checkin_mail()) == 1
