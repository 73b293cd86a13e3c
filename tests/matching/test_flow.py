"""The three screens, validation, the session copy, crisis resources, saving."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.matching.answers import SESSION_KEY
from holdspace.matching.models import FindProfile
from holdspace.network.models import Affiliation, AvoidEntry, Entity, PersonTie
from tests.conftest import client_for
from tests.factories import make_entity, make_profile, make_user
from tests.matching.helpers import NEEDS, WHERE, answer_first_two, run_find, shortlisted, world_post

pytestmark = pytest.mark.django_db


def test_the_start_screen_is_matching_start_and_needs_no_account() -> None:
    response = Client().get(reverse("matching:start"))
    assert response.status_code == 200
    assert reverse("matching:start") == "/find/"
    assert b"Where you'll be" in response.content


def test_a_seeker_gets_a_shortlist_with_reasons() -> None:
    fit = make_profile(licenses=("US-CO",), focus=("burnout",), modalities=("emdr",))
    make_profile(licenses=("US-TX",))  # can't see a seeker in Colorado
    response = run_find(Client(), needs={"modalities": ["emdr"]})
    assert response.status_code == 200
    assert shortlisted(response) == [fit.pk]
    html = response.content.decode()
    assert "EMDR" in html
    assert "burnout" in html
    assert reverse("directory:profile", args=[fit.pk]) in html
    assert reverse("outreach:new", args=[fit.pk]) in html  # reach out in one step


def test_later_screens_send_you_back_to_the_first_unanswered_one() -> None:
    client = Client()
    assert client.get(reverse("matching:needs"))["Location"] == reverse("matching:start")
    assert client.get(reverse("matching:results"))["Location"] == reverse("matching:start")
    client.post(reverse("matching:start"), WHERE)
    assert client.get(reverse("matching:world"))["Location"] == reverse("matching:needs")
    client.post(reverse("matching:needs"), NEEDS)
    assert client.get(reverse("matching:results"))["Location"] == reverse("matching:world")


def test_answers_survive_validation_errors() -> None:
    client = Client()
    response = client.post(
        reverse("matching:start"),
        {"location": "US-CO", "formats": ["in_person"], "zip": "", "max_miles": "10"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "zip" in form.errors
    assert form["location"].value() == "US-CO"
    assert form["formats"].value() == ["in_person"]
    client.post(reverse("matching:start"), WHERE)
    response = client.post(reverse("matching:needs"), {**NEEDS, "max_fee": "-3"})
    assert response.context["form"]["concerns"].value() == ["burnout"]
    assert "max_fee" in response.context["form"].errors


def test_a_zip_in_another_state_is_refused() -> None:
    response = Client().post(
        reverse("matching:start"),
        {"location": "US-CO", "formats": ["in_person"], "zip": "10001", "max_miles": "10"},
    )
    assert "another state" in response.content.decode()


@pytest.mark.parametrize("valid", [True, False])
def test_crisis_resources_are_on_the_screen_two_submit_response(valid: bool) -> None:
    client = Client()
    client.post(reverse("matching:start"), WHERE)
    needs = {**NEEDS, "concerns": ["burnout", "ending_life"], "max_fee": "" if valid else "-1"}
    response = client.post(reverse("matching:needs"), needs)
    assert response.status_code == 200  # shown in this response, not after a redirect
    html = response.content.decode()
    assert 'id="crisis-resources"' in html
    assert 'href="tel:988"' in html
    assert 'href="sms:988"' in html
    assert "1-888-409-0141" in html
    assert 'href="tel:911"' in html


def test_crisis_resources_come_before_the_first_result() -> None:
    profile = make_profile(licenses=("US-CO",))
    response = run_find(Client(), needs={"concerns": ["burnout", "ending_life"]})
    html = response.content.decode()
    assert shortlisted(response) == [profile.pk]
    crisis = html.index('id="crisis-resources"')
    assert crisis < html.index(f'id="therapist-{profile.pk}"')
    assert crisis < html.index("<h1")


def test_no_crisis_block_without_the_choice() -> None:
    make_profile(licenses=("US-CO",))
    assert 'id="crisis-resources"' not in run_find(Client()).content.decode()


def test_an_honest_line_when_nobody_fits() -> None:
    response = run_find(Client(), where={"formats": ["in_person"], "zip": "80302",
                                         "max_miles": "5"})  # fmt: skip
    html = response.content.decode()
    assert "No therapist fits everything" in html
    assert "Add video or phone" in html


def test_anonymous_answers_stay_in_the_session_only() -> None:
    client = Client()
    before = (Entity.objects.count(), Affiliation.objects.count(), AvoidEntry.objects.count(),
              PersonTie.objects.count(), FindProfile.objects.count())  # fmt: skip
    run_find(
        client,
        rows=[
            {"place__name": "Brand New Unit Nobody Added", "place__start_year": "2020"},
            {"avoid__value": "someone@example.test"},
            {"tie__value": "friend@example.test"},
        ],
    )
    after = (Entity.objects.count(), Affiliation.objects.count(), AvoidEntry.objects.count(),
             PersonTie.objects.count(), FindProfile.objects.count())  # fmt: skip
    assert after == before
    world = client.session[SESSION_KEY]["world"]
    assert [p["name"] for p in world["places"]] == ["Brand New Unit Nobody Added"]
    assert len(world["avoid"]) == 1
    assert len(world["ties"]) == 1


def test_a_typed_place_close_to_an_existing_one_asks_did_you_mean() -> None:
    entity = make_entity("St. Mary's Hospital — Emergency Department")
    client = Client()
    answer_first_two(client)
    response = client.post(
        reverse("matching:world"),
        world_post(action="add", place__name="St Marys Emergency Dept Team"),
    )
    assert response.status_code == 200
    assert "Did you mean" in response.content.decode()
    response = client.post(
        reverse("matching:world"),
        world_post(
            action="add", place__name="St Marys Emergency Dept Team", place__pick=str(entity.pk)
        ),
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["world"]["places"][0]["entity"] == entity.pk


def test_the_same_place_typed_differently_is_the_same_entity() -> None:
    entity = make_entity("St. Mary's Hospital — Emergency Department")
    client = Client()
    answer_first_two(client)
    client.post(
        reverse("matching:world"),
        world_post(action="add", place__name="saint marys emergency dept"),
    )
    assert client.session[SESSION_KEY]["world"]["places"][0]["entity"] == entity.pk


def test_removing_an_avoid_entry() -> None:
    client = Client()
    answer_first_two(client)
    client.post(reverse("matching:world"), world_post(action="add", avoid__value="a@b.test"))
    assert len(client.session[SESSION_KEY]["world"]["avoid"]) == 1
    client.post(reverse("matching:world"), {"remove_avoid": "0"})
    assert client.session[SESSION_KEY]["world"]["avoid"] == []


def test_signed_in_seekers_answers_are_saved_as_they_go() -> None:
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    run_find(client, rows=[{"place__name": "Cedar Clinic ICU", "place__start_year": "2018"},
                           {"avoid__value": "X@Example.test"}])  # fmt: skip
    saved = FindProfile.objects.get(user=seeker)  # no "save" button needed
    assert saved.location == "US-CO"
    assert saved.concerns == ["burnout"]
    assert Affiliation.objects.get(user=seeker).entity.name == "Cedar Clinic ICU"
    assert AvoidEntry.objects.filter(user=seeker).count() == 1

    fresh = client_for(seeker)  # a new session picks the saved answers up
    response = fresh.get(reverse("matching:start"))
    assert response.context["form"].initial["location"] == "US-CO"
    world = fresh.get(reverse("matching:world")).content.decode()
    assert "Cedar Clinic ICU" in world
    assert "x…@…" in world
    assert fresh.get(reverse("matching:results")).status_code == 200


def test_the_crisis_answer_is_never_saved() -> None:
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    run_find(client, needs={"concerns": ["burnout", "ending_life"]})
    client.post(reverse("matching:save"))
    assert FindProfile.objects.get(user=seeker).concerns == ["burnout"]


def test_start_over_deletes_saved_answers_but_keeps_the_world() -> None:
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    run_find(client, rows=[{"avoid__value": "x@example.test"}])
    response = client.post(reverse("matching:forget"), {"saved": "delete"}, follow=True)
    assert not FindProfile.objects.filter(user=seeker).exists()
    # The avoid list is never lost as a side effect, and the page says so.
    assert AvoidEntry.objects.filter(user=seeker).exists()
    assert "people to avoid are kept" in response.content.decode()
    assert client.get(reverse("matching:start")).context["form"].initial == {}


def test_saving_needs_a_seeker_account(therapist: User) -> None:
    response = Client().post(reverse("matching:save"))
    assert response["Location"].startswith(reverse("account_login"))
    assert client_for(therapist).post(reverse("matching:save")).status_code == 403
