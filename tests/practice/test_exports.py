"""Exports of a client's record: a FHIR R4 Bundle of scores (no answers) and a printable page,
each access-logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.list import List as FhirList
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from holdspace.accounts.models import User
from holdspace.mydata.services import erase_seeker
from holdspace.outreach.models import ConsultationRequest
from holdspace.outreach.services import reveal_identity
from holdspace.practice import services
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import make_client, make_session
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
    assert [r["resourceType"] for r in resources] == ["Patient", "Observation"]
    assert resources[1]["valueInteger"] == 9
    assert "component" not in resources[1]
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


def _export(therapist: User, client: ConsultationRequest) -> tuple[str, Bundle]:
    response = client_for(therapist).get(reverse("practice:export_fhir", args=[client.pk]))
    body = response.content.decode()
    return body, Bundle.model_validate_json(body)


def test_the_client_is_a_pseudonymous_patient_even_after_revealing_their_name(
    therapist: User, client_request: ConsultationRequest
) -> None:
    seeker = client_request.seeker
    reveal_identity(
        seeker=seeker, request=client_request, legal_name="Canary Legalname", share_email=True
    )
    phq9(seeker)
    phq9(seeker)
    body, bundle = _export(therapist, client_request)
    patient_entry, *rest = bundle.entry or []
    patient = patient_entry.resource
    assert isinstance(patient, Patient)
    assert [(n.use, n.text) for n in patient.name or []] == [("anonymous", seeker.pseudonym)]
    for secret in ("Canary Legalname", seeker.email):
        assert secret not in body
    assert len(rest) == 2
    for entry in rest:
        assert isinstance(entry.resource, Observation)
        assert entry.resource.subject is not None
        assert entry.resource.subject.reference == patient_entry.fullUrl


def test_two_therapists_exports_do_not_share_a_patient_id(
    therapist: User, other_therapist: User, client_request: ConsultationRequest
) -> None:
    second = make_client(other_therapist, client_request.seeker)
    first_url = (_export(therapist, client_request)[1].entry or [])[0].fullUrl
    second_url = (_export(other_therapist, second)[1].entry or [])[0].fullUrl
    assert first_url != second_url


def test_nothing_shared_exports_a_valid_explained_bundle(
    therapist: User, client_request: ConsultationRequest
) -> None:
    phq9(client_request.seeker, taken_at=timezone.now() - dt.timedelta(days=400))  # before care
    _, bundle = _export(therapist, client_request)
    patient, empty = (entry.resource for entry in bundle.entry or [])
    assert isinstance(patient, Patient)
    assert isinstance(empty, FhirList)
    assert empty.entry is None
    assert empty.emptyReason is not None
    assert "No check-ins shared yet" in str(empty.emptyReason.text)


def test_a_former_clients_export_names_them_former_client(
    therapist: User, client_request: ConsultationRequest
) -> None:
    phq9(client_request.seeker)
    erase_seeker(user=client_request.seeker, now=timezone.now())
    _, bundle = _export(therapist, client_request)
    patient = (bundle.entry or [])[0].resource
    assert isinstance(patient, Patient)
    assert [n.text for n in patient.name or []] == ["Former client"]
    assert sum(isinstance(e.resource, Observation) for e in bundle.entry or []) == 1
