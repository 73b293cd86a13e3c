"""Constraints in the database, enrollment by code, invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from holdspace.accounts.models import Role
from holdspace.programs import services
from holdspace.programs.models import (
    Enrollment,
    Placement,
    Program,
    ProgramTherapist,
    TherapistInvitation,
)
from tests.factories import make_profile, make_user
from tests.programs.helpers import enrolled, join, make_organisation, make_program

pytestmark = pytest.mark.django_db


def refused(**changes: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=make_program(name=f"p{id(changes)}").pk).update(**changes)


def test_program_constraints() -> None:
    refused(session_allowance=0)
    refused(ends=timezone.localdate() - dt.timedelta(days=30))
    refused(code="SHORT")
    refused(name="")


def test_codes_are_random_unique_and_read_in_any_case() -> None:
    organisation = make_organisation()
    a = make_program(organisation, name="A")
    b = make_program(organisation, name="B")
    assert a.code != b.code
    assert len(a.code) == 12
    assert set(a.code) <= set(services.CODE_ALPHABET)
    assert services.normalise_code(a.display_code.lower()) == a.code
    assert a.display_code.count("-") == 2


def test_capacity_and_placements_are_checked_by_the_database() -> None:
    program = make_program()
    place = join(program, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramTherapist.objects.filter(pk=place.pk).update(capacity=0)
    enrollment = enrolled(program)
    now = timezone.now()
    Placement.objects.create(enrollment=enrollment, place=place, offered_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():  # one active offer per person
        Placement.objects.create(enrollment=enrollment, place=place, offered_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(priority=1.5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(status="withdrawn")  # no left_at


def test_enroll_with_a_code_under_the_pseudonym() -> None:
    program = make_program()
    seeker = make_user(Role.SEEKER)
    enrollment = services.enroll(
        seeker=seeker, code=f"  {program.display_code.lower()} ", need="soon"
    )
    assert enrollment.program == program
    assert enrollment.priority == 0.9
    assert enrollment.share_outcomes is False  # off unless chosen
    with pytest.raises(services.ProgramError, match="already enrolled"):
        services.enroll(seeker=seeker, code=program.code)


def test_a_wrong_code_saves_nothing() -> None:
    make_program()
    seeker = make_user(Role.SEEKER)
    with pytest.raises(services.ProgramError) as error:
        services.enroll(seeker=seeker, code="ABCD-EFGH-JKMN")
    assert error.value.message == services.WRONG_CODE
    assert not Enrollment.objects.exists()


def test_a_closed_or_ended_program_takes_no_one() -> None:
    today = timezone.localdate()
    ended = make_program(starts=today - dt.timedelta(days=30), ends=today - dt.timedelta(days=1))
    closed = make_program(name="Closed")
    closed.active = False
    closed.save()
    seeker = make_user(Role.SEEKER)
    for program in (ended, closed):
        with pytest.raises(services.ProgramError):
            services.enroll(seeker=seeker, code=program.code)
    assert not Enrollment.objects.exists()


def test_only_seekers_enroll() -> None:
    program = make_program()
    with pytest.raises(services.ProgramError):
        services.enroll(seeker=make_user(Role.THERAPIST), code=program.code)


def test_answers_outside_the_programs_states_are_refused() -> None:
    program = make_program(jurisdictions=["US-CO"])
    with pytest.raises(services.ProgramError, match="states it covers"):
        enrolled(program, location="US-AZ")


def test_an_invitation_works_once() -> None:
    program = make_program()
    _, token = services.create_invitation(program=program)
    assert token not in str(TherapistInvitation.objects.values_list("token_hash", flat=True)[0])
    profile = make_profile()
    place = services.accept_invitation(token=token, therapist=profile.user, capacity=2)
    assert (place.program, place.capacity) == (program, 2)
    with pytest.raises(services.ProgramError, match="already used"):
        services.accept_invitation(token=token, therapist=make_profile().user, capacity=1)


def test_an_expired_invitation_is_refused() -> None:
    program = make_program()
    long_ago = timezone.now() - dt.timedelta(days=15)
    _, token = services.create_invitation(program=program, now=long_ago)
    with pytest.raises(services.ProgramError, match="expired"):
        services.accept_invitation(token=token, therapist=make_profile().user, capacity=1)
    assert not ProgramTherapist.objects.exists()


def test_only_therapists_with_a_profile_join() -> None:
    program = make_program()
    _, token = services.create_invitation(program=program)
    with pytest.raises(services.ProgramError, match="profile"):
        services.accept_invitation(token=token, therapist=make_user(Role.THERAPIST), capacity=1)
    assert TherapistInvitation.objects.get().used_at is None  # still usable by the right person


def test_rejoining_after_leaving_updates_the_place() -> None:
    program = make_program()
    place = join(program, capacity=1)
    services.leave_as_therapist(place=place)
    _, token = services.create_invitation(program=program)
    again = services.accept_invitation(token=token, therapist=place.profile.user, capacity=3)
    assert again.pk == place.pk
    assert again.capacity == 3
    assert again.left_at is None
