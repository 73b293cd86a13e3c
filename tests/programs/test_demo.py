"""The demo coordinator runs a demo program that Dana offers places in; seeding twice is fine."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from holdspace.accounts.models import Role
from holdspace.directory.demo import COORDINATOR_EMAIL, THERAPIST_EMAIL, seed_demo
from holdspace.programs.models import CoordinatorMembership, Program, ProgramTherapist
from tests.factories import make_user
from tests.programs.helpers import make_organisation

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_coordinator_a_program_and_is_repeatable() -> None:
    seed_demo(therapists=3)
    seed_demo(therapists=3)
    program = Program.objects.get()
    membership = CoordinatorMembership.objects.get()
    assert membership.user.email == COORDINATOR_EMAIL
    assert membership.organisation == program.organisation
    place = ProgramTherapist.objects.get()
    assert place.profile.user.email == THERAPIST_EMAIL


def test_only_coordinator_accounts_can_be_members() -> None:
    membership = CoordinatorMembership(
        user=make_user(Role.SEEKER), organisation=make_organisation()
    )
    with pytest.raises(ValidationError):
        membership.full_clean()
