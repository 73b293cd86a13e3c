"""Conflicted therapists never reach the shortlist (DESIGN.md conflict rules, end to end)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.accounts.models import Role
from tests.conftest import client_for
from tests.factories import affiliate, make_entity, make_profile, make_user, tie
from tests.matching.helpers import run_find, shortlisted

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, month=1, day=1)


def test_avoid_by_email_with_other_case_and_spacing() -> None:
    avoided = make_profile(user=make_user(Role.THERAPIST, email="dana.reyes@example.test"))
    other = make_profile()
    response = run_find(Client(), rows=[{"avoid__value": "  Dana.Reyes@EXAMPLE.test "}])
    assert shortlisted(response) == [other.pk]
    assert avoided.display_name not in response.content.decode()


@pytest.mark.parametrize(("kind", "value"), [("license", "l-{pk}-0"), ("name", " dana   REYES")])
def test_avoid_by_license_number_or_name(kind: str, value: str) -> None:
    avoided = make_profile(display_name="Dana Reyes")
    other = make_profile()
    response = run_find(
        Client(),
        rows=[{"avoid__identifier_kind": kind, "avoid__value": value.format(pk=avoided.pk)}],
    )
    assert shortlisted(response) == [other.pk]


@pytest.mark.parametrize(("ended", "excluded"), [(4, True), (6, False)])
def test_a_shared_close_entity_excludes_within_five_years(ended: int, excluded: bool) -> None:
    unit = make_entity("Mercy General ICU")
    colleague = make_profile()
    affiliate(colleague.user, unit, start=years_ago(12), end=years_ago(ended))
    response = run_find(Client(), rows=[{"place__name": "Mercy General ICU",
                                         "place__start_year": str(years_ago(1).year)}])  # fmt: skip
    assert (colleague.pk not in shortlisted(response)) is excluded


def test_exclude_anyone_there_ignores_the_years() -> None:
    unit = make_entity("Mercy General ICU")
    long_gone = make_profile()
    affiliate(long_gone.user, unit, start=years_ago(30), end=years_ago(20))
    response = run_find(Client(), rows=[{"place__name": "Mercy General ICU",
                                         "place__exclude_all": "on"}])  # fmt: skip
    assert long_gone.pk not in shortlisted(response)


@pytest.mark.parametrize(("strictness", "excluded"), [("standard", False), ("strict", True)])
def test_wide_entities_exclude_only_in_strict_mode(strictness: str, excluded: bool) -> None:
    system = make_entity("Front Range Health", kind="health_system")
    therapist = make_profile()
    affiliate(therapist.user, system)
    response = run_find(
        Client(),
        rows=[{"place__name": "Front Range Health", "place__kind": "health_system"}],
        strictness=strictness,
    )
    assert (therapist.pk not in shortlisted(response)) is excluded


@pytest.mark.parametrize(("strictness", "excluded"), [("standard", False), ("strict", True)])
def test_two_person_ties_apart_excludes_only_in_strict_mode(
    strictness: str, excluded: bool
) -> None:
    therapist = make_profile()
    tie(therapist.user, "email", "Pat.Mentor@example.test", kind="supervisor")
    response = run_find(
        Client(), rows=[{"tie__value": "pat.mentor@example.test"}], strictness=strictness
    )
    assert (therapist.pk not in shortlisted(response)) is excluded


def test_two_hops_through_a_person_on_holdspace_named_differently() -> None:
    mentor = make_user(Role.SEEKER, email="pat@example.test", legal_name="Pat Mentor")
    therapist = make_profile()
    tie(therapist.user, "name", "Pat Mentor")
    response = run_find(Client(), rows=[{"tie__value": "PAT@example.test"}], strictness="strict")
    assert therapist.pk not in shortlisted(response)
    assert mentor.pk  # the mentor is a node, never a candidate


def test_a_tie_naming_the_therapist_is_a_direct_tie() -> None:
    therapist = make_profile(user=make_user(Role.THERAPIST, email="sam@example.test"))
    response = run_find(Client(), rows=[{"tie__value": "sam@example.test",
                                         "tie__tie_kind": "friend"}])  # fmt: skip
    assert therapist.pk not in shortlisted(response)


def test_a_therapist_tie_to_a_signed_in_seeker_works_in_either_direction() -> None:
    seeker = make_user(Role.SEEKER, email="lee@example.test")
    therapist = make_profile()
    other = make_profile()
    tie(therapist.user, "email", "LEE@example.test", kind="former_client")
    response = run_find(client_for(seeker))
    assert shortlisted(response) == [other.pk]


def test_a_therapist_who_is_the_seeker_is_not_matched_with_themselves() -> None:
    profile = make_profile()
    user = profile.user
    user.role = Role.SEEKER  # a therapist looking for their own therapist
    user.pseudonym = "Quiet Pine 1"
    user.save()
    response = run_find(client_for(user))
    assert profile.pk not in shortlisted(response)
