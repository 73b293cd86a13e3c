"""Reads for the therapist directory. Every read of a protected object goes through a
``get_<entity>_for(user, ...)`` function here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.core.compacts import Compacts, load_compacts
from holdspace.directory import search
from holdspace.directory.completeness import ProfileFacts
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import (
    Authorization,
    License,
    SavedTherapist,
    TherapistProfile,
    VerificationStatus,
)

TELEHEALTH_FORMATS = frozenset({"video", "phone"})
# A compare list longer than this stops being a comparison.
MAX_SAVED = 10


@dataclass(frozen=True)
class BrowseFilters:
    location: str = ""
    format: str = ""
    modality: str = ""
    focus: str = ""
    language: str = ""
    max_fee: int | None = None


def listed_profiles(*, today: dt.date) -> QuerySet[TherapistProfile]:
    """Published, accepting, confirmed within 30 days, with a verified unexpired license."""
    return TherapistProfile.objects.filter(listed_until__gte=today)


def telehealth_q(*, location: str, today: dt.date, compacts: Compacts | None = None) -> Q:
    """Profiles that may see a client located in ``location`` by video or phone (DESIGN.md,
    "Licensure"). Reads the precomputed reach bits; rows whose counted credentials have begun
    to lapse since they were computed use the exact rule instead."""
    fresh = Q(reach_until__gte=today) & search.has_any(
        "reach_bits", search.JURISDICTION_BITS[location]
    )
    stale = Q(reach_until__lt=today) & exact_telehealth_q(
        location=location, today=today, compacts=compacts
    )
    return fresh | stale


def exact_telehealth_q(*, location: str, today: dt.date, compacts: Compacts | None = None) -> Q:
    """The licensure rule of holdspace.core.compacts.telehealth_allowed, as SQL over the
    license and authorisation tables."""
    compacts = compacts or load_compacts()
    valid = Q(status=VerificationStatus.VERIFIED, expires__gte=today)
    condition = Q(pk__in=License.objects.filter(valid, jurisdiction=location).values("profile"))
    if location in compacts.psypact:
        # An APIT works from a licensed home state that is itself a member.
        home_licensed = License.objects.filter(
            valid, profile=OuterRef("profile"), jurisdiction=OuterRef("jurisdiction")
        )
        apit_holders = Authorization.objects.filter(
            valid, Exists(home_licensed), kind="psypact_apit", jurisdiction__in=compacts.psypact
        ).values("profile")
        condition |= Q(profession="psychologist", pk__in=apit_holders)
    if location in compacts.counseling:
        privilege_holders = Authorization.objects.filter(
            valid, kind="counseling_compact_privilege", jurisdiction=location
        ).values("profile")
        condition |= Q(pk__in=privilege_holders)
    return condition


def browse_profiles(*, filters: BrowseFilters, today: dt.date) -> QuerySet[TherapistProfile]:
    """Listed profiles matching the filters, most recently confirmed first. Every condition
    reads the covering index ``profile_browse`` (see search.py)."""
    profiles = listed_profiles(today=today)
    if filters.location:
        telehealth = telehealth_q(location=filters.location, today=today)
        in_person = Q(office_jurisdiction=filters.location)
        if filters.format in TELEHEALTH_FORMATS:
            profiles = profiles.filter(telehealth)
        elif filters.format:
            profiles = profiles.filter(in_person)
        else:
            profiles = profiles.filter(telehealth | in_person)
    wanted_terms = search.term_bits(
        modalities=[filters.modality] if filters.modality else [],
        focus=[filters.focus] if filters.focus else [],
        formats=[filters.format] if filters.format else [],
    )
    if wanted_terms:
        profiles = profiles.filter(search.has_all("term_bits", wanted_terms))
    if filters.language:
        profiles = profiles.filter(
            search.has_any("language_bits", search.LANGUAGE_BITS[filters.language])
        )
    if filters.max_fee is not None:
        profiles = profiles.filter(Q(fee__lte=filters.max_fee) | Q(sliding_scale=True))
    return profiles.order_by("-listed_until", "-last_confirmed", "-pk").prefetch_related(
        "modalities", "focus_areas", "formats", "languages"
    )


def count_upto(profiles: QuerySet[TherapistProfile], limit: int) -> int:
    """How many rows ``profiles`` has, counting no further than ``limit``: a COUNT over a
    LIMIT subquery, so a broad search never counts 100,000 rows to say "more than 1,000"."""
    return profiles.prefetch_related(None).order_by().values("pk")[:limit].count()


def get_listed_profile(*, profile_id: int, today: dt.date) -> TherapistProfile:
    """A public profile; unlisted ones are a 404 so nobody learns they exist."""
    try:
        return (
            listed_profiles(today=today)
            .prefetch_related(
                "modalities", "focus_areas", "formats", "languages", "professions_served"
            )
            .get(pk=profile_id)
        )
    except TherapistProfile.DoesNotExist:
        raise Http404("No such therapist") from None


def licensed_in(*, profile: TherapistProfile, today: dt.date) -> list[str]:
    """Names of the states where the profile holds a verified, current license (public)."""
    codes = profile.licenses.filter(
        status=VerificationStatus.VERIFIED, expires__gte=today
    ).values_list("jurisdiction", flat=True)
    return sorted({US_JURISDICTIONS.get(code, code) for code in codes})


def get_profile_for(user: User) -> TherapistProfile:
    """The signed-in therapist's own profile; anyone else gets a 404."""
    if not user.is_authenticated or user.role != Role.THERAPIST:
        raise Http404("Not a therapist")
    try:
        return TherapistProfile.objects.get(user=user)
    except TherapistProfile.DoesNotExist:
        raise Http404("No profile yet") from None


def get_license_for(user: User, license_id: int) -> License:
    profile = get_profile_for(user)
    try:
        return profile.licenses.get(pk=license_id)
    except License.DoesNotExist:
        raise Http404("No such license") from None


def get_authorization_for(user: User, authorization_id: int) -> Authorization:
    profile = get_profile_for(user)
    try:
        return profile.authorizations.get(pk=authorization_id)
    except Authorization.DoesNotExist:
        raise Http404("No such authorization") from None


def listing_problems(*, profile: TherapistProfile, today: dt.date) -> list[str]:
    """Plain reasons a therapist's own profile is not listed right now (shown only to them)."""
    problems = []
    if not profile.published:
        problems.append("Your profile is not published yet. Finish the last step to publish it.")
    valid_licenses = profile.licenses.filter(status=VerificationStatus.VERIFIED, expires__gte=today)
    if not valid_licenses.exists():
        if profile.licenses.filter(status=VerificationStatus.PENDING).exists():
            problems.append("We are verifying your license. This usually takes a working day.")
        else:
            problems.append("Add a current license so we can verify it.")
    if profile.last_confirmed is None or (today - profile.last_confirmed).days > 30:
        problems.append(
            "Please confirm your profile is still accurate; unconfirmed profiles are "
            "hidden after 30 days."
        )
    if not profile.accepting or profile.capacity == 0:
        problems.append("You are not accepting new clients, so you are not shown in search.")
    return problems


# --- the compare list -------------------------------------------------------------------------


def keeps_compare_list(user: User | AnonymousUser) -> bool:
    """Seekers keep their compare list in their account, visitors for their visit; therapists,
    coordinators and staff have none."""
    return not user.is_authenticated or getattr(user, "role", None) == Role.SEEKER


def saved_profile_ids_for(user: User) -> list[int]:
    """The profiles a seeker saved to compare, oldest first (listed or not)."""
    if not user.is_authenticated or user.role != Role.SEEKER:
        return []
    return list(SavedTherapist.objects.filter(user=user).values_list("profile_id", flat=True))


def listed_in_order(profile_ids: list[int], *, today: dt.date) -> list[TherapistProfile]:
    """The listed ones among ``profile_ids``, in that order (therapists who stopped being
    listed since they were saved are left out, not shown with stale details)."""
    found = (
        listed_profiles(today=today)
        .filter(pk__in=profile_ids)
        .prefetch_related("modalities", "focus_areas", "formats", "languages")
    )
    by_id = {profile.pk: profile for profile in found}
    return [by_id[pk] for pk in profile_ids if pk in by_id]


def saved_therapists_for(user: User, *, today: dt.date | None = None) -> list[TherapistProfile]:
    """The listed therapists a signed-in seeker saved to compare, in the order they saved
    them; empty for anyone else. The seeker's home shows these."""
    today = today or timezone.localdate()
    return listed_in_order(saved_profile_ids_for(user), today=today)


def profile_facts(
    *, profile: TherapistProfile, today: dt.date, has_availability: bool
) -> ProfileFacts:
    """What ``completeness`` needs about the therapist's own profile; availability belongs to
    scheduling, so the caller asks it."""
    current = profile.licenses.filter(expires__gte=today)
    return ProfileFacts(
        has_photo=bool(profile.photo),
        bio_words=len(profile.bio.split()),
        focus_areas=profile.focus_areas.count(),
        modalities=profile.modalities.count(),
        formats=profile.formats.count(),
        professions_served=profile.professions_served.count(),
        fee_set=profile.fee is not None,
        verified_license=current.filter(status=VerificationStatus.VERIFIED).exists(),
        pending_license=current.filter(status=VerificationStatus.PENDING).exists(),
        has_availability=has_availability,
    )


def pending_licenses() -> QuerySet[License]:
    """Licenses waiting for staff verification, the longest waiting first (staff only)."""
    return (
        License.objects.filter(status=VerificationStatus.PENDING)
        .select_related("profile")
        .order_by("pk")
    )


def pending_authorizations() -> QuerySet[Authorization]:
    """Compact authorisations waiting for staff verification, the longest waiting first."""
    return (
        Authorization.objects.filter(status=VerificationStatus.PENDING)
        .select_related("profile")
        .order_by("pk")
    )


def own_display_name(user: User) -> str:
    """The name a therapist's own pages show them: their profile's display name, else their
    email (a therapist is never given a pseudonym)."""
    name = (
        TherapistProfile.objects.filter(user_id=user.pk)
        .values_list("display_name", flat=True)
        .first()
    )
    return name or user.email
