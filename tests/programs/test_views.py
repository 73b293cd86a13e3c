"""The program pages, driven through the test client as each role would use them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from holdspace.accounts.models import Role
from holdspace.matching import services as matching_services
from holdspace.matching.models import FindProfile
from holdspace.programs import services
from holdspace.programs.models import Enrollment, Program, ProgramTherapist
from tests.conftest import client_for
from tests.factories import find_answers, make_profile, make_schedule, make_user
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program
from tests.reviewing import review_and_confirm

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM_POST = {
    "name": "Colleague assistance",
    "description": "For members of the association.",
    "starts": "2026-01-01",
    "ends": "",
    "jurisdictions": ["US-CO", "US-WY"],
    "session_allowance": "6",
    "sponsor_paid": "on",
}
ANSWERS_POST = {
    "where-location": "US-CO", "where-formats": ["video"], "where-zip": "", "where-max_miles": "",
    "needs-concerns": ["burnout"], "needs-modalities": [], "needs-max_fee": "",
    "needs-language": "en", "needs-profession": "",
}  # fmt: skip


def test_coordinator_creates_edits_invites_and_runs() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    client = client_for(coordinator)
    assert client.get(reverse("programs:home")).status_code == 200
    response = client.post(
        reverse("programs:create"), {**PROGRAM_POST, "organisation": organisation.pk}
    )
    program = Program.objects.get()
    assert response.url == reverse("programs:detail", args=[program.pk])  # type: ignore[attr-defined]
    assert program.jurisdictions == ["US-CO", "US-WY"]
    assert program.sponsor_paid
    page = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert program.display_code in page

    client.post(
        reverse("programs:edit", args=[program.pk]),
        {**PROGRAM_POST, "organisation": organisation.pk, "name": "Renamed", "active": "on"},
    )
    program.refresh_from_db()
    assert program.name == "Renamed"

    invite = client.post(reverse("programs:invite", args=[program.pk]), {"email": ""})
    link = re.search(r'value="(http[^"]+/programs/join/[^"]+/)"', invite.content.decode())
    assert link is not None

    therapist = make_schedule(make_profile()).user
    join_path = link.group(1).split("127.0.0.1:8000")[1]
    therapist_client = client_for(therapist)
    assert therapist_client.get(join_path).status_code == 200
    therapist_client.post(join_path, {"capacity": "2"})
    assert ProgramTherapist.objects.get().capacity == 2
    assert therapist_client.get(join_path).status_code == 404  # used

    enrolled(program)
    review, confirmed = review_and_confirm(
        client, reverse("programs:run", args=[program.pk]), method="get"
    )
    assert "Run and send offers" in review.content.decode()
    run = client.get(confirmed["Location"])
    assert "Latest run" in run.content.decode()
    assert "Allocation finished. Offers go out by email." in run.content.decode()


def test_a_new_program_needs_valid_dates_and_states() -> None:
    organisation = make_organisation()
    client = client_for(make_coordinator(organisation))
    response = client.post(
        reverse("programs:create"),
        {**PROGRAM_POST, "organisation": organisation.pk, "ends": "2025-01-01",
         "jurisdictions": []},
    )  # fmt: skip
    page = response.content.decode()
    assert "Please check the answers marked below" in page
    assert "The end date must be on or after the start date." in page
    assert "Choose at least one state or territory." in page
    assert not Program.objects.exists()


def test_seeker_enrolls_answers_and_sees_the_honest_waiting_message() -> None:
    program = make_program()
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    wrong = client.post(reverse("programs:enroll"), {"code": "WRONG", "need": "weeks"})
    assert "couldn&#x27;t find an open program" in wrong.content.decode()
    assert not Enrollment.objects.exists()

    response = client.post(reverse("programs:enroll"), {"code": program.code, "need": "soon"})
    enrollment = Enrollment.objects.get()
    assert response.url == reverse("programs:answers", args=[enrollment.pk])  # type: ignore[attr-defined]
    status = client.get(reverse("programs:enrollment", args=[enrollment.pk])).content.decode()
    assert "Add your answers" in status

    client.post(reverse("programs:answers", args=[enrollment.pk]), ANSWERS_POST)
    assert FindProfile.objects.filter(user=seeker).exists()
    status = client.get(reverse("programs:enrollment", args=[enrollment.pk])).content.decode()
    assert "look for a therapist with a free place for you every night" in status
    assert "tell you by e-mail" in status


def test_the_crisis_answer_shows_resources_in_the_same_response() -> None:
    program = make_program()
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    client.post(reverse("programs:enroll"), {"code": program.code, "need": "soon"})
    enrollment = Enrollment.objects.get()
    response = client.post(
        reverse("programs:answers", args=[enrollment.pk]),
        {**ANSWERS_POST, "needs-concerns": ["ending_life"]},
    )
    assert response.status_code == 200
    assert "988" in response.content.decode()


def test_seeker_sees_the_offer_and_can_decline_and_wait() -> None:
    program = make_program()
    place = join(program, capacity=1)
    enrollment = enrolled(program)
    client = client_for(enrollment.seeker)
    client.post(reverse("programs:run", args=[program.pk]))  # not a coordinator: refused
    services.run_allocation(program=program)
    page = client.get(reverse("programs:enrollment", args=[enrollment.pk])).content.decode()
    assert place.profile.display_name in page
    assert reverse("scheduling:book", args=[place.profile_id]) in page
    assert "Decline and wait" in page
    client.post(reverse("programs:decline", args=[enrollment.pk]))
    enrollment.refresh_from_db()
    assert enrollment.status == "waiting"

    client.post(reverse("programs:sharing", args=[enrollment.pk]), {"share_outcomes": "on"})
    enrollment.refresh_from_db()
    assert enrollment.share_outcomes
    client.post(reverse("programs:leave", args=[enrollment.pk]))
    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn"


def test_therapist_sees_program_requests_and_can_leave() -> None:
    program = make_program()
    place = join(program, capacity=1)
    enrolled(program)
    services.run_allocation(program=program)
    client = client_for(place.profile.user)
    page = client.get(reverse("programs:home")).content.decode()
    assert program.name in page
    assert "Requests through this program" in page
    client.post(reverse("programs:leave_place", args=[place.pk]))
    place.refresh_from_db()
    assert place.left_at is not None


def test_an_unknown_invitation_is_a_calm_404() -> None:
    client = client_for(make_schedule(make_profile()).user)
    response = client.get(reverse("programs:join", args=["not-a-token"]))
    assert response.status_code == 404
    assert "can't be used" in response.content.decode()


def test_saved_answers_outside_the_programs_states_are_pointed_out() -> None:
    program = make_program(jurisdictions=["US-CO"])
    seeker = make_user(Role.SEEKER)
    matching_services.save_answers(user=seeker, answers=find_answers(location="US-AZ"))
    enrollment = services.enroll(seeker=seeker, code=program.code)
    page = client_for(seeker).get(reverse("programs:enrollment", args=[enrollment.pk]))
    assert "Check where you" in page.content.decode()


def test_the_program_page_names_its_states() -> None:
    organisation = make_organisation()
    program = make_program(organisation, jurisdictions=["US-NM", "US-CO"])
    page = client_for(make_coordinator(organisation)).get(
        reverse("programs:detail", args=[program.pk])
    )
    assert "Colorado, New Mexico" in page.content.decode()
    assert "US-CO" not in page.content.decode()
