"""Running allocation in two steps: the dry run's figures (suppressed like every count a
coordinator sees), then "Run and send offers". The run goes ahead only as reviewed, and the
message after it says what actually happened."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.confirmation import CHANGED, Review
from holdspace.outreach.models import ConsultationRequest
from holdspace.programs.models import AllocationRun, Placement, Program
from holdspace.programs.views import ALLOCATE
from tests.conftest import client_for
from tests.factories import make_user
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program
from tests.reviewing import confirm_form

pytestmark = pytest.mark.django_db

OFFERS_GO_OUT = "Allocation finished. Offers go out by email."


@pytest.fixture
def program() -> Program:
    return make_program(make_organisation())


@pytest.fixture
def coordinator(program: Program) -> User:
    return make_coordinator(program.organisation)


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def url(program: Program) -> str:
    return reverse("programs:run", args=[program.pk])


def nothing_written() -> None:
    assert not AllocationRun.objects.exists()
    assert not Placement.objects.exists()
    assert not ConsultationRequest.objects.exists()


def confirm_without_a_button(client: Client, program: Program, coordinator: User) -> str:
    """Post a confirm as the page would sign it, for the cases where the page shows no
    button (nobody to place): what happens if one is sent anyway?"""
    page = client.get(url(program))
    assert "Run and send offers" not in text(page)
    proposal = page.context["proposal"]
    review = Review(ALLOCATE, coordinator.pk, program.pk, {"proposal": proposal}).token()
    done = client.post(url(program), {"proposal": proposal, "review": review}, follow=True)
    return text(done)


def test_the_review_shows_suppressed_figures_and_writes_nothing(
    program: Program, coordinator: User
) -> None:
    join(program, capacity=3)
    for _ in range(4):
        enrolled(program)
    review = client_for(coordinator).get(url(program))
    assert review.status_code == 200
    page = text(review)
    assert "If you run it now" in page
    assert page.count("Not shown") >= 3  # 3 placed, 1 waiting, 4 in all: all from 1 to 10
    assert "% of the best possible fit" in page
    assert "Worst-off match" in page
    assert "Run and send offers" in page
    nothing_written()


def test_running_as_reviewed_sends_offers_and_says_so(program: Program, coordinator: User) -> None:
    join(program, capacity=2)
    enrolled(program)
    client = client_for(coordinator)
    action, confirm = confirm_form(client.get(url(program)), url(program))
    done = client.post(action, confirm, follow=True)
    assert OFFERS_GO_OUT in text(done)
    assert AllocationRun.objects.count() == 1
    assert Placement.objects.count() == 1
    again = client.post(action, confirm, follow=True)  # the same review, sent twice
    assert AllocationRun.objects.count() == 1
    assert "Things changed since you looked" in text(again)


def test_when_things_change_after_the_review_nothing_is_sent_and_new_figures_show(
    program: Program, coordinator: User
) -> None:
    join(program, capacity=3)
    enrolled(program)
    client = client_for(coordinator)
    action, confirm = confirm_form(client.get(url(program)), url(program))
    enrolled(program)  # someone enrolls while the coordinator reads
    response = client.post(action, confirm)
    assert response.status_code == 200
    assert "Things changed since you looked" in text(response)
    assert "Run and send offers" in text(response)
    nothing_written()


def test_a_confirm_without_its_review_is_refused(program: Program, coordinator: User) -> None:
    join(program)
    enrolled(program)
    client = client_for(coordinator)
    _, confirm = confirm_form(client.get(url(program)), url(program))
    for posted in ({}, {"proposal": confirm["proposal"]}, confirm | {"review": "forged"}):
        refused = client.post(url(program), posted)
        assert refused.status_code == 400
        assert CHANGED in text(refused)
    other = make_program(program.organisation, name="Another program")
    assert client.post(url(other), confirm).status_code == 400
    nothing_written()


def test_nobody_waiting_shows_no_button_and_says_so_if_run_anyway(
    program: Program, coordinator: User
) -> None:
    join(program)
    client = client_for(coordinator)
    review = text(client.get(url(program)))
    assert "Nobody to place right now" in review
    done = confirm_without_a_button(client, program, coordinator)
    assert "Nobody was waiting to be placed, so no offers were sent." in done
    assert OFFERS_GO_OUT not in done


def test_people_waiting_without_a_fitting_place_are_told_honestly(
    program: Program, coordinator: User
) -> None:
    enrolled(program)  # no therapist has joined
    client = client_for(coordinator)
    review = text(client.get(url(program)))
    assert "Nobody can be placed right now" in review
    assert "Invite therapists" in review
    done = confirm_without_a_button(client, program, coordinator)
    assert "no one could be offered a therapist" in done
    assert OFFERS_GO_OUT not in done
    assert not Placement.objects.exists()


def test_only_the_programs_coordinators_reach_its_review(
    program: Program, coordinator: User
) -> None:
    join(program)
    enrolled(program)
    _, confirm = confirm_form(client_for(coordinator).get(url(program)), url(program))
    stranger = make_coordinator(make_organisation("Another hospital"))
    assert client_for(stranger).get(url(program)).status_code == 404
    assert client_for(stranger).post(url(program), confirm).status_code == 404
    for role in (Role.SEEKER, Role.THERAPIST):
        assert client_for(make_user(role)).post(url(program), confirm).status_code == 403
    assert Client().get(url(program)).status_code == 302
    nothing_written()
