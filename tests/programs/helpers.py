"""Builders for program tests: real rows through the real services."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.programs import services
from holdspace.programs.models import Enrollment, Organisation, Program, ProgramTherapist
from tests.factories import find_answers, make_profile, make_schedule, make_user


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def make_organisation(
    name: str = "Mercy General Hospital", kind: str = "health_system"
) -> Organisation:
    return services.create_organisation(name=name, kind=kind)


def make_coordinator(organisation: Organisation) -> User:
    user = make_user(Role.COORDINATOR)
    services.add_coordinator(organisation=organisation, user=user)
    return user


def make_program(organisation: Organisation | None = None, **fields: object) -> Program:
    values: dict[str, object] = {
        "name": "After the incident",
        "description": "Support for staff after the November incident.",
        "starts": timezone.localdate() - dt.timedelta(days=1),
        "ends": None,
        "jurisdictions": ["US-CO"],
        "session_allowance": 6,
        "sponsor_paid": True,
    }
    values.update(fields)
    return services.create_program(organisation=organisation or make_organisation(), **values)  # type: ignore[arg-type]


def join(
    program: Program, *, capacity: int = 2, profile: TherapistProfile | None = None
) -> ProgramTherapist:
    profile = profile or make_schedule(make_profile())
    _, token = services.create_invitation(program=program)
    return services.accept_invitation(token=token, therapist=profile.user, capacity=capacity)


def enrolled(program: Program, seeker: User | None = None, *, need: str = "weeks",
             share: bool = False, location: str = "US-CO") -> Enrollment:  # fmt: skip
    seeker = seeker or make_user(Role.SEEKER)
    enrollment = services.enroll(seeker=seeker, code=program.code, need=need, share_outcomes=share)
    return services.save_enrollment_answers(
        enrollment=enrollment, answers=find_answers(location=location)
    )
