"""Who appears in the directory: verified, unexpired, confirmed within 30 days, accepting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from holdspace.directory import services
from holdspace.directory.models import VerificationStatus
from holdspace.directory.selectors import listed_profiles
from tests.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


def listed_names(today: dt.date | None = None) -> set[str]:
    today = today or timezone.localdate()
    return set(listed_profiles(today=today).values_list("display_name", flat=True))


def test_verified_current_confirmed_accepting_profile_is_listed() -> None:
    make_profile(display_name="Listed")
    assert listed_names() == {"Listed"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"verified": False},
        {"expires": timezone.localdate() - dt.timedelta(days=1)},
        {"confirmed_days_ago": 31},
        {"accepting": False},
        {"capacity": 0},
        {"published": False},
    ],
    ids=["unverified", "expired", "stale", "not-accepting", "no-capacity", "unpublished"],
)
def test_profiles_failing_a_rule_are_not_listed(overrides: dict[str, object]) -> None:
    make_profile(display_name="Hidden", **overrides)  # type: ignore[arg-type]
    assert listed_names() == set()


def test_confirmed_exactly_30_days_ago_is_still_listed_and_drops_off_the_next_day() -> None:
    today = timezone.localdate()
    make_profile(display_name="Edge", confirmed_days_ago=30)
    assert listed_names(today) == {"Edge"}
    assert listed_names(today + dt.timedelta(days=1)) == set()


def test_listing_ends_when_the_last_verified_license_expires() -> None:
    today = timezone.localdate()
    make_profile(display_name="Expiring", expires=today + dt.timedelta(days=3))
    assert listed_names(today + dt.timedelta(days=3)) == {"Expiring"}
    assert listed_names(today + dt.timedelta(days=4)) == set()


def test_confirming_brings_a_stale_profile_back() -> None:
    profile = make_profile(display_name="Back", confirmed_days_ago=45)
    assert listed_names() == set()
    services.confirm_profile(profile=profile)
    assert listed_names() == {"Back"}


def test_verifying_a_pending_license_lists_the_profile_and_records_who() -> None:
    profile = make_profile(display_name="Pending", verified=False)
    staff = make_staff()
    license = profile.licenses.get()
    services.decide_license(license=license, decision=VerificationStatus.VERIFIED, staff=staff)
    assert listed_names() == {"Pending"}
    event = license.verificationevent_set.get()
    assert (event.decided_by, event.decision) == (staff, VerificationStatus.VERIFIED)


def test_rejecting_the_only_license_unlists() -> None:
    profile = make_profile(display_name="Rejected")
    services.decide_license(
        license=profile.licenses.get(), decision=VerificationStatus.REJECTED, staff=make_staff()
    )
    assert listed_names() == set()
