"""Exports: FHIR R4 (validated by fhir.resources R4B, LOINC-coded for PHQ-9/GAD-7) and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.list import List as FhirList
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from holdspace.accounts.models import User
from holdspace.checkins import fhir
from tests.checkins.helpers import answers, save
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FHIR_ALL = reverse("checkins:export_fhir")
CSV_ALL = reverse("checkins:export_csv")
DAY = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def download(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_phq9_export_validates_and_carries_loinc_codes(seeker: User) -> None:
    checkin = save(seeker, "phq9", answers("phq9", 2, _9=1, _10=1), taken_at=DAY)
    body = download(client_for(seeker), reverse("checkins:export_one_fhir", args=[checkin.pk]))
    bundle = Bundle.model_validate_json(body)
    resources = [entry.resource for entry in bundle.entry or []]
    patient, response, observation = resources
    assert isinstance(patient, Patient)
    assert isinstance(response, QuestionnaireResponse)
    assert isinstance(observation, Observation)
    assert response.questionnaire == "http://loinc.org/q/44249-1"
    assert response.status == "completed"
    first = (response.item or [])[0]
    assert first.linkId == "1"
    coding = (first.answer or [])[0].valueCoding
    assert coding is not None
    assert (coding.system, coding.code, coding.display) == (
        "http://loinc.org",
        "LA6570-1",
        "More than half the days",
    )
    # The total: LOINC 44261-6, 8 items x 2 + item 9 x 1 = 17.
    total = (observation.code.coding or [])[0]
    assert (total.system, total.code) == ("http://loinc.org", "44261-6")
    assert observation.valueInteger == 17
    assert (observation.interpretation or [])[0].text == "moderately severe"
    components = {(c.code.coding or [])[0].code: c for c in observation.component or []}
    assert "44260-8" in components
    assert "69722-7" in components
    answer9 = components["44260-8"].valueCodeableConcept
    assert answer9 is not None
    item9 = (answer9.coding or [])[0]
    assert item9.code == "LA6569-3"
    assert (observation.derivedFrom or [])[0].reference == f"urn:uuid:{checkin.uuid}"


def test_gad7_total_is_loinc_coded(seeker: User) -> None:
    checkin = save(seeker, "gad7", answers("gad7", 1))
    observation = fhir.score_observations(checkin, subject=fhir.own_subject(seeker))[0]
    assert (observation.code.coding or [])[0].code == "70274-6"
    assert len(observation.component or []) == 7  # the difficulty item has no LOINC code


def test_cbi_uses_means_and_omits_a_scale_without_a_score(seeker: User) -> None:
    chosen = answers("cbi", 25)
    for item_id in ("14", "15", "16", "17"):
        del chosen[item_id]
    observations = fhir.score_observations(
        save(seeker, "cbi", chosen), subject=fhir.own_subject(seeker)
    )
    assert [o.code.text for o in observations] == [
        "Copenhagen Burnout Inventory: Personal burnout",
        "Copenhagen Burnout Inventory: Work-related burnout",
    ]
    assert observations[0].valueQuantity is not None
    assert float(observations[0].valueQuantity.value or 0) == 25.0


def test_history_bundle_round_trip_keeps_every_answer(seeker: User, other_seeker: User) -> None:
    saved = [
        save(seeker, "proqol5", answers("proqol5", 2, _1=5), word="nurse", taken_at=DAY),
        save(seeker, "phq9", answers("phq9", 3, _10=2), taken_at=DAY + dt.timedelta(days=1)),
        save(seeker, "cbi", answers("cbi", 0, _13=100), taken_at=DAY + dt.timedelta(days=2)),
        save(seeker, "gad7", answers("gad7", 1, _8=0), taken_at=DAY + dt.timedelta(days=3)),
    ]
    save(other_seeker, "gad7", answers("gad7", 3))
    body = download(client_for(seeker), FHIR_ALL)
    assert json.loads(body)["type"] == "collection"
    bundle = Bundle.model_validate_json(body)
    responses = [
        e.resource for e in bundle.entry or [] if isinstance(e.resource, QuestionnaireResponse)
    ]
    assert [fhir.answers_from(r) for r in responses] == [(c.instrument, c.answers) for c in saved]
    proqol_text = (responses[0].item or [])[9].text
    assert proqol_text == "I feel trapped by my job as a nurse."


def test_csv_has_a_header_and_one_row_per_check_in(seeker: User, other_seeker: User) -> None:
    save(seeker, "gad7", answers("gad7", 1), taken_at=DAY)
    save(seeker, "phq9", answers("phq9", 0, _9=2), taken_at=DAY + dt.timedelta(days=1))
    save(other_seeker, "gad7", answers("gad7", 3))
    rows = list(csv.DictReader(io.StringIO(download(client_for(seeker), CSV_ALL))))
    assert len(rows) == 2
    first, second = rows
    assert first["instrument"] == "gad7"
    assert first["score_total"] == "7"
    assert first["band_total"] == "mild"
    assert first["answer_1"] == "1"
    assert first["answer_30"] == ""
    assert second["self_harm"] == "yes"
    assert second["answer_9"] == "2"
    # ISO 8601 in the reader's zone (no choice, no Find answers: Eastern), with its offset.
    assert second["taken_at_iso8601"].startswith("2026-03-03")
    assert second["taken_at_iso8601"].endswith("-05:00")


def test_exports_are_yours_alone(seeker: User, other_seeker: User, therapist: User) -> None:
    theirs = save(other_seeker, "gad7", answers("gad7", 3))
    one = reverse("checkins:export_one_fhir", args=[theirs.pk])
    assert client_for(seeker).get(one).status_code == 404
    for url in (one, FHIR_ALL, CSV_ALL):
        assert Client().get(url)["Location"].startswith(reverse("account_login"))
        assert client_for(therapist).get(url).status_code == 403
    assert "gad7" not in download(client_for(seeker), CSV_ALL)
    assert "gad7" not in download(client_for(seeker), FHIR_ALL)


def _patient_and_rest(body: str) -> tuple[Patient, list[object], str]:
    """Parse an export with fhir.resources: (its Patient, every other resource, the
    Patient's fullUrl)."""
    bundle = Bundle.model_validate_json(body)
    first, *rest = bundle.entry or []
    assert isinstance(first.resource, Patient)
    return first.resource, [entry.resource for entry in rest], str(first.fullUrl)


def test_every_resource_is_about_a_pseudonymous_patient(seeker: User) -> None:
    seeker.legal_name = "Canary Legalname"
    seeker.save()
    save(seeker, "phq9", answers("phq9", 1), taken_at=DAY)
    save(seeker, "proqol5", answers("proqol5", 3), word="nurse", taken_at=DAY)
    body = download(client_for(seeker), FHIR_ALL)
    patient, rest, patient_url = _patient_and_rest(body)
    # The pseudonym is the Patient's only identity: no legal name, e-mail or phone anywhere.
    assert [(n.use, n.text) for n in patient.name or []] == [("anonymous", seeker.pseudonym)]
    assert (patient.telecom, patient.identifier, patient.address) == (None, None, None)
    for secret in ("Canary Legalname", seeker.email):
        assert secret not in body
    assert len(rest) == 2 + 4  # two QuestionnaireResponses, 1 + 3 score Observations
    for resource in rest:
        assert isinstance(resource, QuestionnaireResponse | Observation)
        assert resource.subject is not None
        assert resource.subject.reference == patient_url
    # Stable: the same account's exports name the same Patient.
    again, _, _ = _patient_and_rest(download(client_for(seeker), FHIR_ALL))
    assert again.id == patient.id


def test_an_empty_history_exports_a_valid_explained_bundle(seeker: User) -> None:
    patient, rest, patient_url = _patient_and_rest(download(client_for(seeker), FHIR_ALL))
    assert patient.name is not None
    (empty,) = rest
    assert isinstance(empty, FhirList)
    assert empty.entry is None
    assert empty.subject is not None
    assert empty.subject.reference == patient_url
    assert empty.emptyReason is not None
    assert [(c.system, c.code) for c in empty.emptyReason.coding or []] == [
        ("http://terminology.hl7.org/CodeSystem/list-empty-reason", "nilknown")
    ]
    assert "No check-ins saved yet" in str((empty.note or [])[0].text)
