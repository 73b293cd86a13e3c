"""Browse by location follows DESIGN.md's licensure rules: telehealth follows the client."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from holdspace.core.compacts import Authorization, load_compacts, telehealth_allowed
from holdspace.directory import services
from holdspace.directory.models import VerificationStatus
from holdspace.directory.selectors import BrowseFilters, browse_profiles
from tests.factories import make_profile

pytestmark = pytest.mark.django_db
APIT = "psypact_apit"
PRIVILEGE = "counseling_compact_privilege"


def shown_for(location: str, format: str = "video") -> set[str]:
    profiles = browse_profiles(
        filters=BrowseFilters(location=location, format=format), today=timezone.localdate()
    )
    return set(profiles.values_list("display_name", flat=True))


def test_compact_data_sanity() -> None:
    compacts = load_compacts()
    assert {"US-CO", "US-AZ"} <= compacts.psypact
    assert "US-CA" not in compacts.psypact
    assert "US-OH" in compacts.counseling
    assert "US-CO" not in compacts.counseling  # enacted, not yet issuing privileges


def test_full_license_in_the_clients_state() -> None:
    make_profile(display_name="Colorado", licenses=("US-CO",))
    assert shown_for("US-CO") == {"Colorado"}
    assert shown_for("US-UT") == set()


def test_psypact_apit_between_member_states() -> None:
    make_profile(
        display_name="Psychologist",
        profession="psychologist",
        licenses=("US-CO",),
        authorizations=((APIT, "US-CO"),),
    )
    assert shown_for("US-AZ") == {"Psychologist"}  # both members
    assert shown_for("US-CA") == set()  # California is not a member


def test_psypact_apit_from_a_non_member_home_state_covers_nothing() -> None:
    make_profile(
        display_name="Californian",
        profession="psychologist",
        licenses=("US-CA",),
        authorizations=((APIT, "US-CA"),),
    )
    assert shown_for("US-AZ") == set()
    assert shown_for("US-CA") == {"Californian"}  # their own full license still counts


def test_psypact_is_only_for_psychologists() -> None:
    make_profile(
        display_name="Counselor",
        profession="counselor",
        licenses=("US-CO",),
        authorizations=((APIT, "US-CO"),),
    )
    assert shown_for("US-AZ") == set()


def test_counseling_privilege_covers_only_its_own_operational_state() -> None:
    make_profile(
        display_name="Counselor",
        profession="counselor",
        licenses=("US-AZ",),
        authorizations=((PRIVILEGE, "US-OH"), (PRIVILEGE, "US-CO")),
    )
    assert shown_for("US-OH") == {"Counselor"}
    assert shown_for("US-MN") == set()  # no privilege there
    assert shown_for("US-CO") == set()  # enacted but not operational


def test_in_person_needs_an_office_in_the_clients_state() -> None:
    make_profile(
        display_name="Boulder office",
        licenses=("US-CO", "US-WY"),
        formats=("video", "in_person"),
        office=("US-CO", "80302"),
    )
    assert shown_for("US-CO", "in_person") == {"Boulder office"}
    assert shown_for("US-WY", "in_person") == set()
    assert shown_for("US-WY", "video") == {"Boulder office"}


def test_directory_query_agrees_with_the_core_rule() -> None:
    """The SQL filter and holdspace.core.compacts.telehealth_allowed never disagree."""
    compacts = load_compacts()
    rng = random.Random(11)
    states = ["US-CO", "US-AZ", "US-CA", "US-OH", "US-NY", "US-MN", "US-TX"]
    profiles = []
    for number in range(14):
        profession = rng.choice(["psychologist", "counselor"])
        licenses = tuple(rng.sample(states, rng.randint(1, 2)))
        authorizations = tuple(
            (rng.choice([APIT, PRIVILEGE]), rng.choice(states)) for _ in range(rng.randint(0, 2))
        )
        authorizations = tuple(dict.fromkeys(authorizations))
        profiles.append(
            make_profile(
                display_name=f"T{number}",
                profession=profession,
                licenses=licenses,
                authorizations=authorizations,
            )
        )
    for location in states:
        expected = {
            profile.display_name
            for profile in profiles
            if telehealth_allowed(
                profession=profile.profession,
                licenses=profile.licenses.values_list("jurisdiction", flat=True),
                home=None,
                authorizations=[
                    Authorization(kind=a.kind, jurisdiction=a.jurisdiction)
                    for a in profile.authorizations.all()
                ],
                location=location,
                compacts=compacts,
            )
        }
        assert shown_for(location) == expected, location


def test_a_lapsed_license_stops_covering_its_state_the_next_day() -> None:
    """The precomputed reach is exact only until a counted credential lapses; then the exact
    rule decides for that profile, with no nightly job."""
    today = timezone.localdate()
    profile = make_profile(display_name="Two states", licenses=("US-WY",))
    staff_verified = profile.licenses.get().verified_by
    assert staff_verified is not None
    short = services.add_license(
        profile=profile,
        profession="social_worker",
        jurisdiction="US-CO",
        number="SHORT-1",
        expires=today + dt.timedelta(days=2),
    )
    services.decide_license(
        license=short, decision=VerificationStatus.VERIFIED, staff=staff_verified
    )

    def shown(location: str, day: dt.date) -> bool:
        profiles = browse_profiles(filters=BrowseFilters(location=location), today=day)
        return profiles.filter(pk=profile.pk).exists()

    assert shown("US-CO", today + dt.timedelta(days=2))
    assert not shown("US-CO", today + dt.timedelta(days=3))
    assert shown("US-WY", today + dt.timedelta(days=3))


def test_taxonomy_filters_follow_the_wizard_choices() -> None:
    make_profile(display_name="EMDR video", modalities=("emdr",), formats=("video",))
    make_profile(display_name="IFS phone", modalities=("ifs",), formats=("phone",))

    def names(filters: BrowseFilters) -> set[str]:
        profiles = browse_profiles(filters=filters, today=timezone.localdate())
        return set(profiles.values_list("display_name", flat=True))

    assert names(BrowseFilters(modality="emdr")) == {"EMDR video"}
    assert names(BrowseFilters(format="phone")) == {"IFS phone"}
    assert names(BrowseFilters(modality="emdr", format="phone")) == set()
    assert names(BrowseFilters(language="es")) == set()
