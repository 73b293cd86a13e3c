"""Intent survives the detour: "Reach out" without Find answers goes through Find and comes back
to that therapist's request form, or says plainly they can't take it and shows who can."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.directory import services as directory_services
from holdspace.directory.models import TherapistProfile
from holdspace.matching.answers import REACH_OUT_KEY
from holdspace.outreach.models import ConsultationRequest
from tests.conftest import client_for
from tests.factories import make_profile, tie
from tests.matching.helpers import NEEDS, WHERE, world_post

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def _main(response: object) -> str:
    page = _text(response).split("<main")[1].split("</main>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _through_find(client: object, **world: str) -> object:
    """The three screens, as a person fills them after the detour; the last response."""
    for url, data in ((reverse("matching:start"), WHERE), (reverse("matching:needs"), NEEDS)):
        page = client.get(url)  # type: ignore[attr-defined]
        assert "reach out to Morgan Vale" in _main(page)
        assert "take you straight back to your request" in _main(page)
        client.post(url, data)  # type: ignore[attr-defined]
    return client.post(reverse("matching:world"), world_post(action="done", **world))  # type: ignore[attr-defined]


def test_reach_out_without_answers_goes_through_find_and_comes_back(
    seeker: User, profile: TherapistProfile
) -> None:
    client = client_for(seeker)
    response = client.get(reverse("outreach:new", args=[profile.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("matching:start")
    assert "You're on your way to reach out to Morgan Vale" in _main(response)
    assert client.session[REACH_OUT_KEY] == profile.pk

    done = _through_find(client)
    assert done["Location"] == reverse("outreach:new", args=[profile.pk])  # type: ignore[index]
    form = client.get(done["Location"])  # type: ignore[index]
    assert form.status_code == 200
    assert "Reach out to Morgan Vale" in _main(form)
    assert REACH_OUT_KEY not in client.session  # used once
    client.post(done["Location"], {"situation": "Night shifts."})  # type: ignore[index]
    assert ConsultationRequest.objects.get().profile == profile


def test_if_the_rules_now_exclude_them_the_seeker_is_told_plainly_and_shown_others(
    seeker: User, profile: TherapistProfile
) -> None:
    other = make_profile(display_name="Other Therapist")
    tie(profile.user, "email", seeker.email)  # a tie the seeker must never learn of
    client = client_for(seeker)
    client.get(reverse("outreach:new", args=[profile.pk]))
    done = _through_find(client)
    page = _main(client.get(done["Location"]))  # type: ignore[index]
    assert "Morgan Vale can't take your request right now" in page
    assert "Nothing was sent" in page
    assert "Other Therapist" in page
    assert f'href="{reverse("outreach:new", args=[other.pk])}"' in _text(
        client.get(done["Location"])  # type: ignore[index]
    )
    for word in ("conflict", " tie", "know", "avoid", "because"):
        assert word not in page.lower()
    assert not ConsultationRequest.objects.exists()


def test_an_avoid_entry_added_during_the_detour_is_respected(
    seeker: User, profile: TherapistProfile
) -> None:
    client = client_for(seeker)
    client.get(reverse("outreach:new", args=[profile.pk]))
    done = _through_find(client, avoid__value=profile.user.email)
    page = _main(client.get(done["Location"]))  # type: ignore[index]
    assert "can't take your request right now" in page


def test_a_therapist_who_stopped_listing_meanwhile_leads_to_the_shortlist(
    seeker: User, profile: TherapistProfile
) -> None:
    client = client_for(seeker)
    client.get(reverse("outreach:new", args=[profile.pk]))
    directory_services.unpublish_profile(profile=profile)
    for url, data in ((reverse("matching:start"), WHERE), (reverse("matching:needs"), NEEDS)):
        client.post(url, data)
    response = client.post(reverse("matching:world"), world_post(action="done"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("matching:results")
    assert "That therapist isn't taking requests right now" in _main(response)


def test_starting_over_forgets_the_intent(seeker: User, profile: TherapistProfile) -> None:
    client = client_for(seeker)
    client.get(reverse("outreach:new", args=[profile.pk]))
    client.post(reverse("matching:forget"))
    assert REACH_OUT_KEY not in client.session
    for url, data in ((reverse("matching:start"), WHERE), (reverse("matching:needs"), NEEDS)):
        client.post(url, data)
    done = client.post(reverse("matching:world"), world_post(action="done"))
    assert done["Location"] == reverse("matching:results")


def test_a_forged_intent_in_the_session_cannot_redirect_anywhere_else(seeker: User) -> None:
    client = client_for(seeker)
    session = client.session
    session[REACH_OUT_KEY] = "https://evil.example/"
    session.save()
    for url, data in ((reverse("matching:start"), WHERE), (reverse("matching:needs"), NEEDS)):
        client.post(url, data)
    done = client.post(reverse("matching:world"), world_post(action="done"))
    assert done["Location"] == reverse("matching:results")


def test_with_answers_the_form_is_shown_at_once(seeker: User, profile: TherapistProfile) -> None:
    client = client_for(seeker)
    for url, data in ((reverse("matching:start"), WHERE), (reverse("matching:needs"), NEEDS)):
        client.post(url, data)
    client.post(reverse("matching:world"), world_post(action="done"))
    page = client.get(reverse("outreach:new", args=[profile.pk]))
    assert page.status_code == 200
    assert REACH_OUT_KEY not in client.session
