"""Shared outreach fixtures: a listed Colorado video therapist (bookable every day), a seeker
with a canary legal name, and a request between them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach.models import ConsultationRequest
from tests.factories import make_profile, make_request, make_schedule

CANARY_NAME = "Canary Legalname"
CANARY_SITUATION = "canary-situation-7f3a"


@pytest.fixture
def profile(therapist: User) -> TherapistProfile:
    return make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))


@pytest.fixture
def private_seeker(seeker: User) -> User:
    seeker.legal_name = CANARY_NAME
    seeker.save()
    return seeker


@pytest.fixture
def sent(private_seeker: User, profile: TherapistProfile) -> ConsultationRequest:
    return make_request(private_seeker, profile, situation=CANARY_SITUATION)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
