"""Exports of a client's record: a FHIR R4 Bundle of scores (no answers) and a printable page,
each access-logged."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from holdspace.accounts.models import User
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import services
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import make_session
from tests.practice.conftest import logs, phq9

pytestmark = pytest.mark.django_db


def test_fhir_bundle_has_scores_and_no_answers(
    therapist: User, client_request: ConsultationRequest
) -> None:
    phq9(client_request.seeker, item9=1)
    response = client_for(therapist).get(reverse("practice:export_fhir", args=[client_request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    Bundle.model_validate(data)
    resources = [entry["resource"] for entry in data["entry"]]
    assert [r["resourceType"] for r in resources] == ["Observation"]
    assert resources[0]["valueInteger"] == 9
    assert "component" not in resources[0]
    assert "QuestionnaireResponse" not in response.content.decode()
    assert logs("export_fhir") == 1


def test_printable_record_shows_signed_notes_and_is_logged(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    services.sign_note(
        therapist=therapist, client=client_request, booking=past_session, text="Signed text."
    )
    services.save_draft(
        therapist=therapist,
        client=client_request,
        booking=make_session(
            client_request, start=past_session.start.replace(year=past_session.start.year - 1)
        ),
        text="Just a draft.",
    )
    response = client_for(therapist).get(reverse("practice:print", args=[client_request.pk]))
    body = response.content.decode()
    assert "Signed text." in body
    assert "Just a draft." not in body
    assert logs("export_print") == 1
