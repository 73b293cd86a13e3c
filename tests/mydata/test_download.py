"""The download: one JSON file with everything held about the seeker, and nothing of anyone
else's beyond what was said to them in their own threads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from holdspace.network.keys import person_key
from holdspace.outreach.models import ConsultationRequest
from tests.conftest import client_for
from tests.mydata.conftest import (
    AVOID_EMAIL,
    EMAIL,
    KEPT_DRAFT,
    KEPT_SITUATION,
    LEGAL_NAME,
    OPEN_MESSAGE,
    OPEN_SITUATION,
    OTHER,
    PLACE,
    PRIVATE_WORD,
    PROGRAM,
    REVEALED_PHONE,
    SEEKER_MESSAGE,
    THERAPIST_MESSAGE,
    TIE_NAME,
    World,
)

pytestmark = pytest.mark.django_db


def download(world: World) -> tuple[Any, dict[str, Any]]:
    response = client_for(world.seeker).get(reverse("mydata:download"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_file_is_an_uncached_attachment(world: World) -> None:
    response, data = download(world)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="holdspace-your-data-')
    assert response["Cache-Control"] == "no-store"
    assert data["format"] == "holdspace-your-data"


def test_every_kind_of_data_is_in_it(world: World) -> None:
    _, data = download(world)
    text = json.dumps(data)
    account = data["account"]
    assert (account["email"], account["legal_name"]) == (EMAIL, LEGAL_NAME)
    assert account["pseudonym"] == world.seeker.pseudonym
    assert account["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert [step["kind"] for step in account["sign_in_steps"]] == ["totp"]
    assert "secret" not in json.dumps(account["sign_in_steps"])

    assert data["saved_find_answers"]["concerns"] == ["grief_loss"]
    assert [t["therapist"] for t in data["therapists_saved_to_compare"]] == ["Robin Ash"]
    assert data["places"][0]["name"] == PLACE
    assert data["places_you_added"] == [PLACE]

    hashed = data["people_and_avoid_list"]
    assert "keyed hash" in hashed["about"]
    assert hashed["people_close_to_you"][0]["hash"] == person_key("name", TIE_NAME)
    assert hashed["avoid_list"][0]["hash"] == person_key("email", AVOID_EMAIL)
    assert {key["made_from"] for key in hashed["your_own_identifiers"]} == {"email", "legal_name"}
    assert TIE_NAME not in text
    assert AVOID_EMAIL not in text

    private, shared = data["check_ins"]
    assert private["word_used_for_your_work"] == PRIVATE_WORD
    assert private["answers"]["1"] == 2
    assert private["scores"]
    assert shared["instrument"] == "phq9"

    requests = {r["you_shared"]["situation"]: r for r in data["consultation_requests"]}
    kept = requests[KEPT_SITUATION]
    assert kept["therapist"] == "Morgan Vale"
    assert kept["status"] == "accepted"
    assert [(m["from"], m["text"]) for m in kept["messages"]] == [
        ("you", SEEKER_MESSAGE),
        ("therapist", THERAPIST_MESSAGE),
    ]
    assert kept["you_revealed"]["phone"] == REVEALED_PHONE
    assert kept["you_last_read"] is not None  # they wrote in it, so they had read it
    assert requests[OPEN_SITUATION]["messages"][0]["text"] == OPEN_MESSAGE

    past, upcoming = data["bookings"]
    assert past["therapist_keeps_a_note"] is True
    assert upcoming["status"] == "confirmed"
    assert "canary-session-note" not in text  # the therapist's record, not in the download
    assert data["calendar_feed"]["active"] is True
    assert data["programs"][0]["program"] == PROGRAM
    assert [d["text"] for d in data["kept_while_signed_out"]] == [KEPT_DRAFT]

    reads = [(r["who"], r["what"]) for r in data["who_looked_at_your_record"]]
    assert reads == [
        ("Morgan Vale (therapist)", "write_note"),
        ("Morgan Vale (therapist)", "view_chart"),
    ]


def test_nothing_of_another_seeker(world: World) -> None:
    _, data = download(world)
    text = json.dumps(data)
    for canary in (*OTHER, world.other.email, world.other.pseudonym, "Other Person"):
        assert canary not in text


def test_the_page_says_what_is_held(world: World) -> None:
    response = client_for(world.seeker).get(reverse("mydata:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 saved check-ins" in page
    assert "1 therapist saved to compare" in page
    requests = ConsultationRequest.objects.filter(seeker=world.seeker).count()
    held = "it" if requests == 1 else "them"
    assert f"with the messages in {held} and anything you chose to share" in page
    assert "scrambled codes" in page
    assert reverse("mydata:download") in page
    assert reverse("mydata:delete") in page
