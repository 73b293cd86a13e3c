"""``manage.py seed_demo``: demo logins, realistic listed therapists, the listing rules made
visible, and a rebuild (not duplicates) when run again."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import zipcodes
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.core.compacts import load_compacts
from holdspace.directory import demo, selectors, services
from holdspace.directory.forms import US_TIME_ZONES
from holdspace.directory.models import (
    Authorization,
    License,
    TherapistProfile,
    VerificationEvent,
    VerificationStatus,
)

pytestmark = pytest.mark.django_db

THERAPISTS = 40
LOGINS = {
    "seeker@demo.holdspace.test": Role.SEEKER,
    "therapist@demo.holdspace.test": Role.THERAPIST,
    "coordinator@demo.holdspace.test": Role.COORDINATOR,
    "staff@demo.holdspace.test": Role.STAFF,
}


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", therapists=THERAPISTS, seed=3, stdout=out, **options)
    return out.getvalue()


def snapshot() -> list[tuple[Any, ...]]:
    """Everything about the generated profiles except database ids."""
    rows = []
    for profile in TherapistProfile.objects.prefetch_related(
        "licenses",
        "authorizations",
        "modalities",
        "focus_areas",
        "formats",
        "languages",
        "professions_served",
    ).order_by("user__email"):
        rows.append(
            (
                profile.user.email,
                profile.display_name,
                profile.credentials,
                profile.profession,
                profile.bio,
                profile.fee,
                profile.sliding_scale,
                profile.accepting,
                profile.capacity,
                profile.office_zip,
                profile.office_jurisdiction,
                profile.time_zone,
                profile.last_confirmed,
                profile.listed_until,
                profile.published,
                sorted(
                    (lic.jurisdiction, lic.number, lic.expires, lic.status)
                    for lic in profile.licenses.all()
                ),
                sorted(
                    (a.kind, a.jurisdiction, a.expires, a.status)
                    for a in profile.authorizations.all()
                ),
                *(
                    sorted(term.code for term in getattr(profile, relation).all())
                    for relation in (
                        "modalities",
                        "focus_areas",
                        "formats",
                        "languages",
                        "professions_served",
                    )
                ),
            )
        )
    return rows


def test_demo_logins_exist_sign_in_and_are_printed() -> None:
    output = seed()
    for email, role in LOGINS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, email=email, password=demo.DEMO_PASSWORD) == user
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists()
        assert email in output
    assert demo.DEMO_PASSWORD in output
    assert User.objects.get(email="seeker@demo.holdspace.test").pseudonym == "Quiet Harbor 101"
    staff = User.objects.get(email="staff@demo.holdspace.test")
    assert staff.is_staff
    assert staff.is_superuser


def test_listed_profiles_follow_the_listing_rules() -> None:
    seed()
    today = timezone.localdate()
    listed = selectors.listed_profiles(today=today)
    assert listed.count() >= THERAPISTS
    # Every listed profile has a verified, unexpired license and was confirmed recently.
    valid = Q(licenses__status=VerificationStatus.VERIFIED, licenses__expires__gte=today)
    assert listed.exclude(pk__in=TherapistProfile.objects.filter(valid)).count() == 0
    assert not listed.filter(last_confirmed__lt=today - dt.timedelta(days=30)).exists()
    assert not listed.filter(Q(accepting=False) | Q(capacity=0) | Q(published=False)).exists()

    # The unlisted kinds exist, so the rules are visible in the demo, and none is listed.
    stale = TherapistProfile.objects.filter(last_confirmed__lt=today - dt.timedelta(days=30))
    unverified = TherapistProfile.objects.exclude(licenses__status=VerificationStatus.VERIFIED)
    expired = TherapistProfile.objects.filter(licenses__status=VerificationStatus.VERIFIED).exclude(
        licenses__expires__gte=today
    )
    not_accepting = TherapistProfile.objects.filter(accepting=False)
    pending = License.objects.filter(status=VerificationStatus.PENDING)
    for unlisted in (stale, unverified, expired, not_accepting):
        assert unlisted.exists()
        assert not unlisted.filter(pk__in=listed).exists()
    assert pending.exists()


def test_listed_until_is_what_refresh_listing_computes() -> None:
    seed()
    stored = dict(TherapistProfile.objects.values_list("pk", "listed_until"))
    for profile in TherapistProfile.objects.all():
        services.refresh_listing(profile)
        assert profile.listed_until == stored[profile.pk], profile.display_name


def test_the_demo_therapist_is_listed_and_verified_by_staff() -> None:
    seed()
    dana = TherapistProfile.objects.get(user__email="therapist@demo.holdspace.test")
    assert (dana.display_name, dana.credentials) == ("Dana Reyes", "LCSW")
    assert dana in selectors.listed_profiles(today=timezone.localdate())
    assert dana.office_jurisdiction == "US-CO"
    assert dana.time_zone == "America/Denver"
    colorado = dana.licenses.get(jurisdiction="US-CO")
    staff = User.objects.get(email="staff@demo.holdspace.test")
    assert colorado.verified_by == staff
    assert VerificationEvent.objects.filter(
        license=colorado, decision=VerificationStatus.VERIFIED, decided_by=staff
    ).exists()
    # Generated verifications have their records too, at the license's verification time.
    generated = License.objects.filter(
        status=VerificationStatus.VERIFIED, profile__user__email__endswith=demo.THERAPIST_DOMAIN
    ).first()
    assert generated is not None
    event = VerificationEvent.objects.get(license=generated)
    assert event.decided_at == generated.verified_at
    assert event.decided_by == staff


def test_profiles_are_varied_and_plausible() -> None:
    seed()
    compacts = load_compacts()
    profiles = TherapistProfile.objects.all()
    assert profiles.values("profession").distinct().count() >= 4
    assert License.objects.values("jurisdiction").distinct().count() >= 15
    assert profiles.annotate(n=Count("licenses")).filter(n__gte=2).exists()
    assert profiles.filter(languages__code="es").exists()
    assert profiles.filter(sliding_scale=True).exists()
    assert all(
        fee is not None and 0 <= fee <= 250 for fee in profiles.values_list("fee", flat=True)
    )
    time_zones = {zone for zone, _ in US_TIME_ZONES}
    for profile in profiles:
        assert profile.time_zone in time_zones
        assert 2 <= len(profile.bio.split(". ")) + profile.bio.count("; ") <= 5
        assert "lorem" not in profile.bio.lower()
        if profile.office_zip:
            (place,) = zipcodes.matching(profile.office_zip)  # type: ignore[no-untyped-call]
            assert f"US-{place['state']}" == profile.office_jurisdiction
        if profile.formats.filter(code="in_person").exists():
            assert profile.office_zip
    for authorization in Authorization.objects.select_related("profile"):
        profession = authorization.profile.profession
        if authorization.kind == "psypact_apit":
            assert profession == "psychologist"
            assert authorization.jurisdiction in compacts.psypact
            assert authorization.profile.licenses.filter(
                jurisdiction=authorization.jurisdiction
            ).exists()
        else:
            assert profession == "counselor"
            assert authorization.jurisdiction in compacts.counseling


def test_running_twice_rebuilds_the_same_data_without_duplicates() -> None:
    seed()
    first = snapshot()
    counts = (User.objects.count(), License.objects.count(), VerificationEvent.objects.count())
    seed()
    assert snapshot() == first
    assert (
        User.objects.count(),
        License.objects.count(),
        VerificationEvent.objects.count(),
    ) == counts


def test_bulk_mode_writes_the_same_data() -> None:
    seed()
    normal = snapshot()
    seed(bulk=True)
    assert snapshot() == normal
    for profile in TherapistProfile.objects.all():
        stored = profile.listed_until
        services.refresh_listing(profile)
        assert profile.listed_until == stored


@pytest.mark.django_db
def test_demo_staff_roles_have_two_factor_and_demo_code_prints_a_valid_code() -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    call_command("seed_demo", therapists=5, seed=3)
    for email in ("therapist@demo.holdspace.test", "staff@demo.holdspace.test"):
        authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
        out = StringIO()
        call_command("demo_code", stdout=out)
        assert TOTP(authenticator).validate_code(out.getvalue().split()[0])
    assert not Authenticator.objects.filter(user__email="seeker@demo.holdspace.test").exists()
