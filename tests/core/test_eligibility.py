"""Eligibility: formats, licensure by the seeker's location, accepting, in-person distance."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from holdspace.core.compacts import Authorization, Compacts
from holdspace.core.eligibility import (
    Office,
    SeekerInput,
    TherapistInput,
    eligible,
    workable_formats,
)
from holdspace.core.geo import haversine_km, zip_centroid, zip_distance_km

AS_OF = date(2026, 11, 26)
WORLD = Compacts(
    as_of=date(2026, 10, 7),
    psypact=frozenset({"US-CO", "US-AZ"}),
    counseling=frozenset({"US-AZ", "US-OH"}),
)
PHOENIX, TEMPE, TUCSON, BOULDER = "85004", "85281", "85701", "80302"


def make_therapist(**changes: Any) -> TherapistInput:
    base = TherapistInput(
        id="t1",
        profession="counselor",
        home="US-AZ",
        licenses=["US-AZ"],
        office=Office("US-AZ", PHOENIX),
        formats=["video", "in_person"],
        languages=["en"],
        fee=100,
        accepting=True,
        capacity=2,
    )
    return replace(base, **changes)


def make_seeker(**changes: Any) -> SeekerInput:
    base = SeekerInput(id="s1", location="US-AZ", zip=TEMPE, formats=["video"], max_km=40)
    return replace(base, **changes)


def formats_for(therapist: TherapistInput, seeker: SeekerInput) -> set[str]:
    return set(workable_formats(therapist, seeker, compacts=WORLD))


CASES = [
    # (case, therapist changes, seeker changes, workable formats)
    ("video with a license there", {}, {}, {"video"}),
    ("video without a license there", {"licenses": ["US-CA"], "home": "US-CA"}, {}, set()),
    ("format the therapist does not offer", {"formats": ["phone"]}, {}, set()),
    ("several formats, all work", {}, {"formats": ["video", "in_person"]}, {"video", "in_person"}),
    ("not accepting", {"accepting": False}, {}, set()),
    ("no capacity left", {"capacity": 0}, {}, set()),
    ("in person within max_km", {}, {"formats": ["in_person"]}, {"in_person"}),
    ("in person beyond max_km", {}, {"formats": ["in_person"], "zip": TUCSON}, set()),
    ("walk and talk nearby", {"formats": ["walk_and_talk"]}, {"formats": ["walk_and_talk"]},
     {"walk_and_talk"}),
    ("intensive beyond a short max_km", {"formats": ["intensive"]},
     {"formats": ["intensive"], "max_km": 5}, set()),
    ("unknown seeker ZIP: no guessing", {}, {"formats": ["in_person"], "zip": "99999"}, set()),
    ("unknown office ZIP: no guessing", {"office": Office("US-AZ", "00001")},
     {"formats": ["in_person"]}, set()),
    ("seeker gave no ZIP", {}, {"formats": ["in_person"], "zip": None}, set()),
    ("office has no ZIP", {"office": Office("US-AZ")}, {"formats": ["in_person"]}, set()),
    ("no distance limit given", {"office": Office("US-AZ", TUCSON)},
     {"formats": ["in_person"], "max_km": None}, {"in_person"}),
    ("no office", {"office": None}, {"formats": ["in_person"]}, set()),
    ("office in another jurisdiction", {"office": Office("US-CO", BOULDER),
     "licenses": ["US-AZ", "US-CO"]}, {"formats": ["in_person"]}, set()),
    ("office there but no license there", {"licenses": ["US-OH"], "home": "US-OH"},
     {"formats": ["in_person"]}, set()),
    ("counseling privilege covers in person", {"licenses": ["US-OH"], "home": "US-OH",
     "authorizations": [Authorization("counseling_compact_privilege", "US-AZ")]},
     {"formats": ["in_person"]}, {"in_person"}),
    ("APIT is telehealth only", {"profession": "psychologist", "licenses": ["US-CO"],
     "home": "US-CO", "authorizations": [Authorization("psypact_apit")]},
     {"formats": ["video", "in_person"]}, {"video"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("therapist_changes", "seeker_changes", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_workable_formats(
    therapist_changes: dict[str, Any], seeker_changes: dict[str, Any], expected: set[str]
) -> None:
    therapist = make_therapist(**therapist_changes)
    seeker = make_seeker(**seeker_changes)
    assert formats_for(therapist, seeker) == expected
    assert eligible(therapist, seeker, compacts=WORLD, as_of=AS_OF) is bool(expected)


def test_lists_are_stored_as_tuples() -> None:
    therapist = make_therapist(licenses=["US-AZ"], professions_served=["nurse"])
    assert therapist.licenses == ("US-AZ",)
    assert therapist.professions_served == ("nurse",)
    assert make_seeker(avoid=["t9"]).avoid == ("t9",)


def test_zip_centroids_and_distances() -> None:
    boulder = zip_centroid(BOULDER)
    assert boulder is not None
    assert boulder.state == "CO"
    assert zip_centroid("80302-1234") == boulder
    assert zip_centroid("8030") is None
    assert zip_centroid("99999") is None
    tempe = zip_distance_km(PHOENIX, TEMPE)
    assert tempe is not None
    assert 10 < tempe < 20
    tucson = zip_distance_km(PHOENIX, TUCSON)
    assert tucson is not None
    assert 150 < tucson < 190
    assert zip_distance_km(PHOENIX, "99999") is None


def test_haversine_quarter_meridian() -> None:
    # Equator to pole is a quarter of a great circle.
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2)
    assert haversine_km(40, -105, 40, -105) == 0
