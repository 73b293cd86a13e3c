"""The client page: sessions, thread link, check-in scores and charts from after acceptance
only, risk flags and their acknowledgement, one access-log row per view."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.audit.models import AccessLog
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice import selectors
from holdspace.practice.models import RiskAcknowledgement
from holdspace.scheduling.models import Booking
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import make_client, make_session
from tests.practice.conftest import logs, phq9

pytestmark = pytest.mark.django_db


def test_page_shows_pseudonym_sessions_and_thread(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    upcoming = make_session(client_request, start=timezone.now() + dt.timedelta(days=3))
    client_request.seeker.legal_name = "Canary Legalname"
    client_request.seeker.save()
    page = client_for(therapist).get(reverse("practice:client", args=[client_request.pk]))
    body = page.content.decode()
    assert client_request.seeker.pseudonym in body
    assert "Canary Legalname" not in body
    assert reverse("outreach:thread", args=[client_request.pk]) in body
    assert reverse("practice:note", args=[client_request.pk, past_session.pk]) in body
    # In the therapist's zone (their practice's: New York), as every time on the page.
    upcoming_day = upcoming.start.astimezone(ZoneInfo("America/New_York")).strftime("%a %-d %b %Y")
    assert upcoming_day in body
    assert "no-store" in page["Cache-Control"]


def test_legal_name_only_after_reveal(therapist: User, client_request: ConsultationRequest) -> None:
    outreach.reveal_identity(
        seeker=client_request.seeker, request=client_request, legal_name="Robin Example"
    )
    body = client_for(therapist).get(reverse("practice:client", args=[client_request.pk]))
    assert "Robin Example" in body.content.decode()


def test_each_view_writes_one_access_log_row(
    therapist: User, client_request: ConsultationRequest
) -> None:
    url = reverse("practice:client", args=[client_request.pk])
    browser = client_for(therapist)
    browser.get(url)
    browser.get(url)
    rows = AccessLog.objects.filter(action="view_chart")
    assert rows.count() == 2
    assert {r.subject_id for r in rows} == {client_request.seeker_id}
    assert {r.actor_id for r in rows} == {therapist.pk}


def test_caseload_lists_accepted_clients_and_is_logged(
    therapist: User, client_request: ConsultationRequest, other_client: ConsultationRequest
) -> None:
    body = client_for(therapist).get(reverse("practice:caseload")).content.decode()
    assert client_request.seeker.pseudonym in body
    assert other_client.seeker.pseudonym not in body
    assert logs("view_caseload") == 1


def test_only_checkins_after_acceptance_are_shown(therapist: User, seeker: User) -> None:
    accepted = timezone.now() - dt.timedelta(days=10)
    save(seeker, "gad7", answers("gad7", 3), taken_at=accepted - dt.timedelta(days=30))
    client = make_client(therapist, seeker, accepted_at=accepted)
    save(seeker, "phq9", answers("phq9", 1), taken_at=accepted + dt.timedelta(days=1))
    visible = list(selectors.shared_checkins(client))
    assert [c.instrument for c in visible] == ["phq9"]
    page = client_for(therapist).get(reverse("practice:client", args=[client.pk])).content.decode()
    # The plan form below the check-ins names every instrument; look at the check-ins only.
    body = page.split('id="plans-title"')[0]
    assert "PHQ-9" in body
    assert "GAD-7" not in body
    assert "<svg" in body  # the trend chart

    # Once the request is no longer accepted nothing is shown, and the page is gone.
    ConsultationRequest.objects.filter(pk=client.pk).update(status=Status.WITHDRAWN)
    client.refresh_from_db()
    assert not selectors.shared_checkins(client).exists()
    assert (
        client_for(therapist).get(reverse("practice:client", args=[client.pk])).status_code == 404
    )


def test_raw_answers_are_never_on_the_page(
    therapist: User, client_request: ConsultationRequest
) -> None:
    phq9(client_request.seeker, item9=1)
    body = client_for(therapist).get(reverse("practice:client", args=[client_request.pk]))
    text = body.content.decode()
    assert "Little interest or pleasure" not in text  # a PHQ-9 item's wording
    assert "Several days" not in text  # an answer label


def test_self_harm_raises_a_flag_until_acknowledged(
    therapist: User, client_request: ConsultationRequest
) -> None:
    phq9(client_request.seeker, item9=2)
    checkin = client_request.seeker.checkins.get()
    browser = client_for(therapist)
    page = browser.get(reverse("practice:client", args=[client_request.pk])).content.decode()
    assert "Risk flags to acknowledge" in page
    caseload = browser.get(reverse("practice:caseload")).content.decode()
    assert "1 risk flag to acknowledge" in caseload

    url = reverse("practice:acknowledge", args=[client_request.pk, checkin.pk])
    assert browser.post(url).status_code == 302
    ack = RiskAcknowledgement.objects.get()
    assert ack.by == therapist
    assert ack.checkin == checkin
    assert ack.at is not None
    assert logs("acknowledge_risk") == 1
    assert not selectors.open_flags(client_request).exists()
    page = browser.get(reverse("practice:client", args=[client_request.pk])).content.decode()
    assert "Risk flags to acknowledge" not in page
    assert f"acknowledged by {therapist.email}" in page

    # A second acknowledgement keeps the first record.
    browser.post(url)
    assert RiskAcknowledgement.objects.count() == 1


def test_no_flag_without_self_harm(therapist: User, client_request: ConsultationRequest) -> None:
    phq9(client_request.seeker, item9=0)
    checkin = client_request.seeker.checkins.get()
    assert not selectors.open_flags(client_request).exists()
    url = reverse("practice:acknowledge", args=[client_request.pk, checkin.pk])
    assert client_for(therapist).post(url).status_code == 404


def test_an_upcoming_session_opens_its_booking(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    """The booking page has the video link and the ways to change it; the chart leads there."""
    upcoming = make_session(client_request, start=timezone.now() + dt.timedelta(days=3))
    page = client_for(therapist).get(reverse("practice:client", args=[client_request.pk]))
    body = page.content.decode()
    booking = reverse("scheduling:detail", args=[upcoming.pk])
    assert f'href="{booking}"' in body
    assert client_for(therapist).get(booking).status_code == 200
