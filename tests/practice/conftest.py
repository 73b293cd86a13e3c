"""Shared practice fixtures: a therapist with a client (an accepted request), a past session
between them, another therapist with their own client, and helpers to save check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.audit.models import AccessLog
from holdspace.outreach.models import ConsultationRequest
from holdspace.scheduling.models import Booking
from tests.checkins.helpers import answers, save
from tests.factories import make_client, make_session


@pytest.fixture
def client_request(therapist: User, seeker: User) -> ConsultationRequest:
    return make_client(therapist, seeker)


@pytest.fixture
def past_session(client_request: ConsultationRequest) -> Booking:
    return make_session(client_request, start=timezone.now() - dt.timedelta(days=2))


@pytest.fixture
def other_client(other_therapist: User) -> ConsultationRequest:
    return make_client(other_therapist)


def phq9(user: User, *, item9: int = 0, taken_at: dt.datetime | None = None) -> None:
    save(user, "phq9", answers("phq9", 1, _9=item9), taken_at=taken_at)


def logs(action: str) -> int:
    return AccessLog.objects.filter(action=action).count()
