"""Builders for test data: real model rows through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.directory import services
from holdspace.directory.models import Term, TermKind, TherapistProfile, VerificationStatus

_numbers = itertools.count(1)
PASSWORD = "a-long-test-password-1"


def make_user(role: str = Role.SEEKER, *, email: str | None = None, **fields: object) -> User:
    number = next(_numbers)
    if role == Role.SEEKER:
        fields.setdefault("pseudonym", f"Quiet Harbor {number}")
    return User.objects.create_user(
        email=email or f"{role}{number}@example.test", password=PASSWORD, role=role, **fields
    )


def make_staff() -> User:
    return make_user(Role.STAFF, is_staff=True, is_superuser=True)


def terms(kind: str, *codes: str) -> list[Term]:
    return list(Term.objects.filter(kind=kind, code__in=codes))


def make_profile(
    *,
    licenses: tuple[str, ...] = ("US-CO",),
    profession: str = "social_worker",
    verified: bool = True,
    expires: dt.date | None = None,
    confirmed_days_ago: int = 0,
    accepting: bool = True,
    capacity: int = 3,
    published: bool = True,
    formats: tuple[str, ...] = ("video",),
    modalities: tuple[str, ...] = ("emdr",),
    focus: tuple[str, ...] = ("burnout",),
    languages: tuple[str, ...] = ("en",),
    fee: int = 150,
    sliding_scale: bool = False,
    office: tuple[str, str] | None = None,
    authorizations: tuple[tuple[str, str], ...] = (),
    display_name: str | None = None,
    user: User | None = None,
) -> TherapistProfile:
    """A therapist profile as a therapist would build it, verified by staff if asked."""
    today = timezone.localdate()
    user = user or make_user(Role.THERAPIST)
    profile = services.start_profile(
        user=user, display_name=display_name or f"Therapist {user.pk}", profession=profession
    )
    profile.fee, profile.sliding_scale = fee, sliding_scale
    profile.accepting, profile.capacity = accepting, capacity
    if office:
        profile.office_jurisdiction, profile.office_zip = office
    profile.save()
    profile.formats.set(terms(TermKind.FORMAT, *formats))
    profile.modalities.set(terms(TermKind.MODALITY, *modalities))
    profile.focus_areas.set(terms(TermKind.FOCUS, *focus))
    profile.languages.set(terms(TermKind.LANGUAGE, *languages))
    staff = make_staff() if verified else None
    for number, jurisdiction in enumerate(licenses):
        license = services.add_license(
            profile=profile,
            profession=profession,
            jurisdiction=jurisdiction,
            number=f"L-{profile.pk}-{number}",
            expires=expires or today + dt.timedelta(days=365),
        )
        if staff:
            services.decide_license(
                license=license, decision=VerificationStatus.VERIFIED, staff=staff
            )
    for kind, jurisdiction in authorizations:
        authorization = services.add_authorization(
            profile=profile,
            kind=kind,
            jurisdiction=jurisdiction,
            expires=today + dt.timedelta(days=365),
        )
        if staff:
            services.decide_authorization(
                authorization=authorization, decision=VerificationStatus.VERIFIED, staff=staff
            )
    if published:
        services.publish_profile(
            profile=profile, today=today - dt.timedelta(days=confirmed_days_ago)
        )
    profile.refresh_from_db()
    return profile
