"""A client who deleted their account: what the therapist must keep by law stays reachable.

Found: after the deletion cancelled an upcoming session, the therapist's signed note on it
returned 404 and the printable record said "No signed notes", though the deletion page
promises notes stay.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.mydata.services import erase_seeker
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import services
from holdspace.practice.models import MeasurementPlan, NoteAmendment
from holdspace.scheduling.models import Booking, BookingStatus
from tests.conftest import client_for
from tests.factories import make_session

pytestmark = pytest.mark.django_db

UPCOMING_NOTE = "canary-note-on-the-cancelled-session"
PAST_NOTE = "canary-note-on-a-past-session"


def _sign(therapist: User, client: ConsultationRequest, booking: Booking, text: str) -> None:
    services.sign_note(therapist=therapist, client=client, booking=booking, text=text)


@pytest.fixture
def upcoming(client_request: ConsultationRequest) -> Booking:
    return make_session(client_request, start=timezone.now() + dt.timedelta(days=3))


@pytest.fixture
def former(
    therapist: User, client_request: ConsultationRequest, past_session: Booking, upcoming: Booking
) -> ConsultationRequest:
    """Two signed notes, then the client deletes their account (upcoming sessions cancelled)."""
    _sign(therapist, client_request, past_session, PAST_NOTE)
    _sign(therapist, client_request, upcoming, UPCOMING_NOTE)
    erase_seeker(user=client_request.seeker, now=timezone.now())
    client_request.refresh_from_db()
    return client_request


def _note_url(client: ConsultationRequest, booking: Booking, name: str = "note") -> str:
    return reverse(f"practice:{name}", args=[client.pk, booking.pk])


def test_the_note_on_a_session_cancelled_by_the_deletion_stays_reachable(
    therapist: User, former: ConsultationRequest, upcoming: Booking
) -> None:
    upcoming.refresh_from_db()
    assert upcoming.status == BookingStatus.CANCELLED
    browser = client_for(therapist)
    response = browser.get(_note_url(former, upcoming))
    assert response.status_code == 200
    assert UPCOMING_NOTE in response.content.decode()
    assert "Former client" in response.content.decode()
    # It can still be amended: a correction belongs to the record too.
    browser.post(_note_url(former, upcoming, "amend"), {"text": "A later correction."})
    assert NoteAmendment.objects.get().note.booking_id == upcoming.pk


def test_the_printable_record_keeps_every_signed_note(
    therapist: User, former: ConsultationRequest
) -> None:
    body = client_for(therapist).get(reverse("practice:print", args=[former.pk])).content.decode()
    assert PAST_NOTE in body
    assert UPCOMING_NOTE in body
    assert "No signed notes" not in body
    assert "Former client" in body


def test_the_chart_links_the_cancelled_sessions_note(
    therapist: User, former: ConsultationRequest, upcoming: Booking
) -> None:
    body = client_for(therapist).get(reverse("practice:client", args=[former.pk])).content.decode()
    assert _note_url(former, upcoming) in body
    assert "Cancelled" in body


def test_a_cancelled_session_without_a_note_takes_no_new_note(
    therapist: User, client_request: ConsultationRequest, upcoming: Booking
) -> None:
    """Only what was written stays reachable; a cancelled session is not a place for notes."""
    Booking.objects.filter(pk=upcoming.pk).update(status=BookingStatus.CANCELLED)
    browser = client_for(therapist)
    assert browser.get(_note_url(client_request, upcoming)).status_code == 404
    response = browser.post(_note_url(client_request, upcoming, "sign"), {"text": "x"})
    assert response.status_code == 404


def test_another_therapist_still_cannot_read_the_kept_notes(
    other_therapist: User, former: ConsultationRequest, upcoming: Booking
) -> None:
    browser = client_for(other_therapist)
    assert browser.get(_note_url(former, upcoming)).status_code == 404
    assert browser.get(reverse("practice:print", args=[former.pk])).status_code == 404


def test_the_chart_says_the_account_is_closed_and_asks_for_no_check_ins(
    therapist: User, former: ConsultationRequest
) -> None:
    browser = client_for(therapist)
    body = browser.get(reverse("practice:client", args=[former.pk])).content.decode()
    assert "closed their Holdspace account" in body
    assert "Start plan" not in body
    response = browser.post(
        reverse("practice:start_plan", args=[former.pk]),
        {"instrument": "phq9", "cadence": "monthly"},
    )
    assert response.status_code == 400
    assert "Nothing can be sent to them any more" in response.content.decode()
    assert not MeasurementPlan.objects.exists()
    with pytest.raises(services.PlanError, match="closed their account"):
        services.start_plan(
            therapist=therapist, client=former, instrument="phq9", cadence="monthly"
        )


def test_an_open_clients_chart_says_nothing_of_closing(
    therapist: User, client_request: ConsultationRequest
) -> None:
    body = client_for(therapist).get(reverse("practice:client", args=[client_request.pk]))
    assert "closed their Holdspace account" not in body.content.decode()
    assert "Start plan" in body.content.decode()
