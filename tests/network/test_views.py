"""The therapist's private network page and the shared entity search."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.network.keys import person_key
from holdspace.network.models import Affiliation, Entity, PersonTie
from tests.conftest import client_for
from tests.factories import affiliate, make_entity, make_user, tie

pytestmark = pytest.mark.django_db

PAGES = ["network:mine"]
ACTIONS = ["network:add_place", "network:add_tie"]


def place(**fields: str) -> dict[str, str]:
    data = {"place-name": "", "place-kind": "employer_unit", "place-start_year": "",
            "place-end_year": ""}  # fmt: skip
    data.update({f"place-{key}": value for key, value in fields.items()})
    return data


@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(name: str) -> None:
    client = Client()
    response = client.post(reverse(name)) if name in ACTIONS else client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ACTIONS)
def test_seekers_are_refused_the_therapists_actions(seeker: User, name: str) -> None:
    assert client_for(seeker).post(reverse(name)).status_code == 403


def test_a_seeker_is_sent_to_their_own_world_page(seeker: User) -> None:
    response = client_for(seeker).get(reverse("network:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:my_world")


def test_coordinators_are_refused_the_network_page() -> None:
    coordinator = make_user(Role.COORDINATOR)
    assert client_for(coordinator).get(reverse("network:mine")).status_code == 403


def test_a_therapist_adds_a_new_place_with_years(therapist: User) -> None:
    client = client_for(therapist)
    response = client.post(
        reverse("network:add_place"),
        place(
            name="Boulder Trauma Consult Group",
            kind="consultation_group",
            start_year="2019",
            end_year="2023",
        ),
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(user=therapist)
    assert affiliation.entity.kind == "consultation_group"
    assert (affiliation.start.isoformat(), affiliation.end.isoformat()) == (  # type: ignore[union-attr]
        "2019-01-01", "2023-12-31")  # fmt: skip
    assert "Boulder Trauma Consult Group" in client.get(reverse("network:mine")).content.decode()


def test_a_near_duplicate_asks_did_you_mean_then_links_the_same_entity(therapist: User) -> None:
    entity = make_entity("St. Mary's Hospital — Emergency Department")
    client = client_for(therapist)
    response = client.post(reverse("network:add_place"), place(name="St Marys Emergency Dpt"))
    assert response.status_code == 200
    assert "Did you mean" in response.content.decode()
    client.post(reverse("network:add_place"),
                place(name="St Marys Emergency Dpt", pick=str(entity.pk)))  # fmt: skip
    assert Affiliation.objects.get(user=therapist).entity_id == entity.pk
    assert Entity.objects.count() == 1


def test_none_of_these_adds_a_new_entity(therapist: User) -> None:
    make_entity("St. Mary's Hospital — Emergency Department")
    client = client_for(therapist)
    client.post(reverse("network:add_place"), place(name="St Marys Emergency Dpt", pick="new"))
    assert Entity.objects.count() == 2


def test_end_before_start_is_refused(therapist: User) -> None:
    response = client_for(therapist).post(
        reverse("network:add_place"), place(name="Unit A", start_year="2020", end_year="2010")
    )
    assert response.status_code == 400
    assert not Affiliation.objects.exists()


def test_a_tie_is_stored_as_a_keyed_hash_only(therapist: User) -> None:
    client = client_for(therapist)
    response = client.post(
        reverse("network:add_tie"),
        {
            "tie-tie_kind": "supervisee",
            "tie-identifier_kind": "email",
            "tie-value": " Pat@Example.TEST",
        },
    )
    assert response.status_code == 302
    stored = PersonTie.objects.get(user=therapist)
    assert stored.digest == person_key("email", "pat@example.test")
    page = client.get(reverse("network:mine")).content.decode()
    assert "Supervisee" in page
    assert "pat@example.test" not in page.lower()


def test_a_bad_email_is_refused_and_nothing_is_stored(therapist: User) -> None:
    response = client_for(therapist).post(
        reverse("network:add_tie"),
        {"tie-tie_kind": "friend", "tie-identifier_kind": "email", "tie-value": "not an email"},
    )
    assert response.status_code == 400
    assert not PersonTie.objects.exists()


def test_a_therapist_cannot_remove_someone_elses_entries(
    therapist: User, other_therapist: User
) -> None:
    entity = make_entity("Unit B")
    affiliate(other_therapist, entity)
    tie(other_therapist, "email", "x@example.test")
    client = client_for(therapist)
    theirs = Affiliation.objects.get(user=other_therapist)
    assert client.post(reverse("network:remove_place", args=[theirs.pk])).status_code == 404
    their_tie = PersonTie.objects.get(user=other_therapist)
    assert client.post(reverse("network:remove_tie", args=[their_tie.pk])).status_code == 404
    assert Affiliation.objects.filter(pk=theirs.pk).exists()
    assert PersonTie.objects.filter(pk=their_tie.pk).exists()


def test_therapists_never_see_another_therapists_network(
    therapist: User, other_therapist: User
) -> None:
    affiliate(other_therapist, make_entity("Secret Practice Collective", kind="practice"))
    page = client_for(therapist).get(reverse("network:mine")).content.decode()
    assert "Secret Practice Collective" not in page


def test_entity_search_returns_at_most_ten_with_id_name_and_kind() -> None:
    for number in range(14):
        make_entity(f"Mercy Unit {number}")
    response = Client().get(reverse("network:entity_search"), {"q": "mercy"})
    results = response.json()["results"]
    assert len(results) == 10
    assert all(set(result) == {"id", "name", "kind"} for result in results)
    assert response["Cache-Control"] == "no-store"


def test_entity_search_filters_by_kind_and_ignores_one_letter() -> None:
    make_entity("Mercy Unit", kind="employer_unit")
    make_entity("Mercy Health", kind="health_system")
    url = reverse("network:entity_search")
    found = Client().get(url, {"q": "mercy", "kind": "health_system"}).json()["results"]
    assert [r["name"] for r in found] == ["Mercy Health"]
    assert Client().get(url, {"q": "m"}).json() == {"results": []}


def test_entity_search_is_the_same_whoever_is_affiliated(seeker: User) -> None:
    busy = make_entity("Alpha Unit")
    make_entity("Alpha Unit Two")
    url = reverse("network:entity_search")
    before = Client().get(url, {"q": "alpha"}).content
    affiliate(seeker, busy)
    assert Client().get(url, {"q": "alpha"}).content == before
