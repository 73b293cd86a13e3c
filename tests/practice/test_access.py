"""Forbidden access for every practice view: signed out → sign in, a seeker (even the client)
→ 403, another therapist → 404 (nobody learns the client exists)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.outreach.models import ConsultationRequest
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import make_profile, make_request, make_schedule, make_session, make_user
from tests.practice.conftest import phq9

pytestmark = pytest.mark.django_db


def routes(client: ConsultationRequest, booking: Booking, checkin_id: int) -> list[tuple[str, str]]:
    pk, b = client.pk, booking.pk
    return [
        ("get", reverse("practice:caseload")),
        ("get", reverse("practice:client", args=[pk])),
        ("post", reverse("practice:acknowledge", args=[pk, checkin_id])),
        ("get", reverse("practice:note", args=[pk, b])),
        ("post", reverse("practice:note", args=[pk, b])),
        ("post", reverse("practice:sign", args=[pk, b])),
        ("post", reverse("practice:amend", args=[pk, b])),
        ("get", reverse("practice:export_fhir", args=[pk])),
        ("get", reverse("practice:print", args=[pk])),
    ]


@pytest.fixture
def all_routes(client_request: ConsultationRequest, past_session: Booking) -> list[tuple[str, str]]:
    phq9(client_request.seeker, item9=2)
    checkin = client_request.seeker.checkins.get()
    return routes(client_request, past_session, checkin.pk)


def _call(client: Client, method: str, url: str) -> int:
    data = {"text": "x"} if method == "post" else None
    return int(getattr(client, method)(url, data).status_code)


def test_anonymous_is_sent_to_sign_in(all_routes: list[tuple[str, str]]) -> None:
    for method, url in all_routes:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


def test_seekers_are_refused_even_the_client(
    all_routes: list[tuple[str, str]], client_request: ConsultationRequest
) -> None:
    for user in (client_request.seeker, make_user(Role.SEEKER)):
        browser = client_for(user)
        for method, url in all_routes:
            assert _call(browser, method, url) == 403, url


def test_another_therapist_gets_404_on_every_client_page(
    all_routes: list[tuple[str, str]], other_therapist: User
) -> None:
    browser = client_for(other_therapist)
    for method, url in all_routes[1:]:  # the caseload is their own (empty) list
        assert _call(browser, method, url) == 404, url
    assert not AccessLog.objects.exclude(action="view_caseload").exists()


def test_swapped_ids_give_404(
    therapist: User,
    client_request: ConsultationRequest,
    past_session: Booking,
    other_client: ConsultationRequest,
) -> None:
    """The therapist's own client with another therapist's ids, and the other way round."""
    foreign_booking = make_session(other_client, start=timezone.now())
    phq9(other_client.seeker, item9=1)
    foreign_checkin = other_client.seeker.checkins.get()
    browser = client_for(therapist)
    urls = [
        reverse("practice:client", args=[other_client.pk]),
        reverse("practice:note", args=[client_request.pk, foreign_booking.pk]),
        reverse("practice:export_fhir", args=[other_client.pk]),
    ]
    for url in urls:
        assert browser.get(url).status_code == 404, url
    url = reverse("practice:acknowledge", args=[client_request.pk, foreign_checkin.pk])
    assert browser.post(url).status_code == 404


def test_not_yet_accepted_requests_are_not_clients(therapist: User) -> None:
    profile = make_schedule(make_profile(user=therapist))
    request = make_request(make_user(Role.SEEKER), profile)
    assert (
        client_for(therapist).get(reverse("practice:client", args=[request.pk])).status_code == 404
    )
