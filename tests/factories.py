"""Builders for test data: real model rows through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.directory import services
from holdspace.directory.models import Term, TermKind, TherapistProfile, VerificationStatus
from holdspace.network.models import Entity

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


# --- network (issue 3) -------------------------------------------------------------------------


def make_entity(name: str, kind: str = "employer_unit") -> Entity:
    from holdspace.network import services as network_services

    return network_services.find_or_create_entity(kind=kind, name=name, created_by=None)


def affiliate(
    user: User,
    entity: Entity,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    exclude_all: bool = False,
) -> None:
    from holdspace.network import services as network_services

    network_services.add_affiliation(
        user=user, entity=entity, start=start, end=end, exclude_all=exclude_all
    )


def tie(user: User, identifier_kind: str, value: str, kind: str = "colleague") -> None:
    from holdspace.network import services as network_services

    network_services.add_tie(user=user, kind=kind, identifier_kind=identifier_kind, value=value)


# Scheduling ----------------------------------------------------------------------------------


def make_schedule(
    profile: TherapistProfile,
    *,
    start: dt.time = dt.time(9),
    end: dt.time = dt.time(17),
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6),
    video_url: str = "https://video.example.test/room-42",
) -> TherapistProfile:
    """Weekly availability on ``weekdays`` from ``start`` to ``end`` in the profile's zone."""
    from holdspace.core.slots import WeeklyWindow
    from holdspace.scheduling import services as scheduling

    scheduling.set_weekly_availability(
        profile=profile, windows=[WeeklyWindow(day, start, end) for day in weekdays]
    )
    scheduling.update_settings(profile=profile, video_url=video_url, notice_hours=12)
    return profile


def local_time(day: dt.date, clock: str, zone: str) -> dt.datetime:
    """``clock`` ("09:00") on local ``day`` in ``zone``, as an aware UTC instant."""
    from zoneinfo import ZoneInfo

    hour, minute = (int(part) for part in clock.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def days_ahead(days: int, zone: str = "America/New_York") -> dt.date:
    """The local date ``days`` from now in ``zone``."""
    from zoneinfo import ZoneInfo

    return (timezone.now().astimezone(ZoneInfo(zone)) + dt.timedelta(days=days)).date()


# Outreach ------------------------------------------------------------------------------------

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from holdspace.matching.answers import Answers
    from holdspace.outreach.models import ConsultationRequest


def find_answers(location: str = "US-CO", formats: tuple[str, ...] = ("video",)) -> Answers:
    """Find answers as the matching flow keeps them: where, needs, an empty world."""
    from holdspace.matching.answers import Answers, Needs, Where

    return Answers(
        where=Where(location=location, formats=list(formats)),
        needs=Needs(concerns=["burnout"], language="en"),
        world_done=True,
    )


def make_request(
    seeker: User,
    profile: TherapistProfile,
    *,
    situation: str = "Night shifts and a hard month.",
    answers: Answers | None = None,
    preferred_times: str = "",
) -> ConsultationRequest:
    """A consultation request sent through the real service (rules checked)."""
    from holdspace.outreach import services as outreach

    return outreach.send_request(
        seeker=seeker,
        profile=profile,
        answers=answers or find_answers(),
        situation=situation,
        preferred_times=preferred_times,
    )


# MFA (issue 6) --------------------------------------------------------------------------------

MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_mfa(user: User, secret: str = MFA_SECRET) -> str:
    """Give ``user`` an authenticator app (TOTP) with ``secret``, as activating one in allauth
    would (the secret stored encrypted); returns the secret. Idempotent."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return str(decrypt(existing.data["secret"]))
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str = MFA_SECRET, *, at: float | None = None) -> str:
    """The authenticator app's current six-digit code for ``secret``."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    now = time.time() if at is None else at
    return str(format_hotp_value(hotp_value(secret, int(now) // 30)))


# Practice ------------------------------------------------------------------------------------

if TYPE_CHECKING:
    from holdspace.scheduling.models import Booking


def make_client(
    therapist: User, seeker: User | None = None, *, accepted_at: dt.datetime | None = None
) -> ConsultationRequest:
    """An accepted request (a client of ``therapist``), accepted at ``accepted_at``."""
    from holdspace.outreach import services as outreach

    profile = getattr(therapist, "therapist_profile", None) or make_schedule(
        make_profile(user=therapist)
    )
    request = make_request(seeker or make_user(Role.SEEKER), profile)
    return outreach.accept_request(therapist=therapist, request=request, now=accepted_at)


def make_session(
    client: ConsultationRequest, *, start: dt.datetime, kind: str = "session"
) -> Booking:
    """A confirmed booking between a client and their therapist, written directly so it may
    lie in the past."""
    from holdspace.scheduling.models import Booking, BookingStatus, SessionType

    session_type = SessionType.objects.get(profile=client.profile, kind=kind)
    return Booking.objects.create(
        profile=client.profile,
        seeker=client.seeker,
        session_type=session_type,
        start=start,
        end=start + dt.timedelta(minutes=session_type.minutes),
        status=BookingStatus.CONFIRMED,
        seeker_time_zone="America/New_York",
    )
