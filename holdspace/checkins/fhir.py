"""FHIR R4 export of saved check-ins: pure functions of model data, validated by fhir.resources.

Each check-in becomes a ``QuestionnaireResponse`` (every answer, as a Coding that carries its
numeric value in the standard ``ordinalValue`` extension) and one score ``Observation`` per
scored scale, derived from it. PHQ-9 and GAD-7 use LOINC throughout: the panel as the
questionnaire, the total score code, and each item and answer code as Observation components.
ProQOL 5 and the CBI have no LOINC codes in the data file; they use Holdspace code systems
(``urn:holdspace:checkins:...``) rather than inventing codes.

Every export is about one person, named only by a pseudonym: the Bundle's first entry is a
``Patient`` whose only identity is that pseudonym (a ``HumanName`` of use ``anonymous``; never
a legal name, email or phone), and every other resource's ``subject`` refers to it. A Bundle
with nothing to export still says why: a ``List`` with no entries, an ``emptyReason`` and a
note (FHIR R4's way of stating that a list is empty on purpose).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.list import List as FhirList
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from holdspace.accounts.models import User
from holdspace.checkins import content
from holdspace.checkins.forms import item_text
from holdspace.checkins.models import CheckIn
from holdspace.core.instruments import Instrument, Item, instrument

LOINC = "http://loinc.org"
HOLDSPACE = "urn:holdspace:checkins"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
LIST_EMPTY_REASON = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
# Patient ids are uuid5 names in this namespace (uuid5 of the DNS namespace and our URN prefix).
PATIENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "patients.checkins.holdspace")


@dataclass(frozen=True)
class Subject:
    """Whom an export is about, as the export names them. ``key`` names the relationship the
    export is made in (the seeker's own account, or one therapist's care), so the Patient id
    is stable across exports of that relationship and differs between them: two therapists'
    exports don't share a Patient id."""

    key: str
    pseudonym: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(PATIENT_NAMESPACE, self.key)

    @property
    def full_url(self) -> str:
        return _urn(self.id)

    def reference(self) -> dict[str, str]:
        return {"reference": self.full_url}

    def patient(self) -> Patient:
        return Patient.model_validate(
            {
                "resourceType": "Patient",
                "id": str(self.id),
                "name": [{"use": "anonymous", "text": self.pseudonym}],
            }
        )


def questionnaire_url(inst: Instrument) -> str:
    if inst.loinc_panel:
        return f"{LOINC}/q/{inst.loinc_panel}"
    return f"{HOLDSPACE}:questionnaire:{inst.id}"


def _urn(value: uuid.UUID) -> str:
    return f"urn:uuid:{value}"


def _observation_uuid(checkin: CheckIn, scale_id: str) -> uuid.UUID:
    # Stable: exporting twice gives the same ids, so an importer can de-duplicate.
    return uuid.uuid5(checkin.uuid, scale_id)


def _answer_coding(inst: Instrument, item: Item, value: int) -> dict[str, Any]:
    option = next(o for o in item.options if o.value == value)
    coding: dict[str, Any] = {
        "system": LOINC if option.loinc else f"{HOLDSPACE}:{inst.id}:answers",
        "code": option.loinc or str(value),
        "display": option.label,
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
    }
    return coding


def questionnaire_response(checkin: CheckIn, *, subject: Subject) -> QuestionnaireResponse:
    inst = instrument(checkin.instrument)
    items = [
        {
            "linkId": item.id,
            "text": item_text(inst, item.text, checkin.profession_word),
            "answer": [{"valueCoding": _answer_coding(inst, item, checkin.answers[item.id])}],
        }
        for item in inst.items
        if item.id in checkin.answers
    ]
    return QuestionnaireResponse.model_validate(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(checkin.uuid),
            "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(checkin.uuid)},
            "questionnaire": questionnaire_url(inst),
            "status": "completed",
            "subject": subject.reference(),
            "authored": _moment(checkin),
            "item": items,
        }
    )


def _moment(checkin: CheckIn) -> str:
    """FHIR dateTime with the offset of the reader's zone (active for the request), so a
    record opened elsewhere shows the time the reader saw on Holdspace."""
    return timezone.localtime(checkin.taken_at).isoformat(timespec="seconds")


def score_observations(checkin: CheckIn, *, subject: Subject) -> list[Observation]:
    inst = instrument(checkin.instrument)
    short = content.INSTRUMENTS[inst.id].short_name
    observations = []
    for scale in inst.scales:
        value = checkin.scales.get(scale.id)
        if value is None:
            continue  # a CBI non-responder: no score to report
        name = content.SCALES[(inst.id, scale.id)].name
        coding = (
            {"system": LOINC, "code": inst.loinc_total}
            if inst.loinc_total and scale.id == "total"
            else {"system": f"{HOLDSPACE}:scales", "code": f"{inst.id}-{scale.id}"}
        )
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "id": str(_observation_uuid(checkin, scale.id)),
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                    ]
                }
            ],
            "code": {"coding": [coding], "text": f"{short}: {name}"},
            "subject": subject.reference(),
            "effectiveDateTime": _moment(checkin),
            "derivedFrom": [{"reference": _urn(checkin.uuid)}],
        }
        if scale.method == "sum":
            resource["valueInteger"] = round(value)
        else:
            resource["valueQuantity"] = {
                "value": value,
                "unit": "score",
                "system": UCUM,
                "code": "{score}",
            }
        band = next((b for b in scale.bands if b.id == checkin.bands.get(scale.id)), None)
        if band is not None:
            resource["interpretation"] = [{"text": band.label}]
        components = [
            {
                "code": {
                    "coding": [{"system": LOINC, "code": item.loinc, "display": item.loinc_display}]
                },
                "valueCodeableConcept": {
                    "coding": [_answer_coding(inst, item, checkin.answers[item.id])],
                },
            }
            for item in inst.items
            if item.loinc and item.id in checkin.answers
        ]
        if components:
            resource["component"] = components
        observations.append(Observation.model_validate(resource))
    return observations


def collection(subject: Subject, resources: Sequence[dict[str, Any]], *, empty_note: str) -> Bundle:
    """A ``collection`` Bundle: the pseudonymous Patient, then ``resources`` (each a resource's
    JSON with an ``id``, whose subject is that Patient). With no resources, a List says why,
    in ``empty_note``, so an empty export is still a valid, explained Bundle."""
    entries: list[dict[str, Any]] = [
        {"fullUrl": subject.full_url, "resource": subject.patient().model_dump(exclude_none=True)}
    ]
    entries += [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]
    if not resources:
        empty = FhirList.model_validate(
            {
                "resourceType": "List",
                "id": str(uuid.uuid5(subject.id, "no-check-ins")),
                "status": "current",
                "mode": "snapshot",
                "title": "Check-ins",
                "subject": subject.reference(),
                "emptyReason": {
                    "coding": [
                        {"system": LIST_EMPTY_REASON, "code": "nilknown", "display": "Nil Known"}
                    ],
                    "text": empty_note,
                },
                "note": [{"text": empty_note}],
            }
        )
        entries.append(
            {"fullUrl": f"urn:uuid:{empty.id}", "resource": empty.model_dump(exclude_none=True)}
        )
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})


NOTHING_SAVED = "No check-ins saved yet. Check-ins you save to your Holdspace account appear here."


def bundle(checkins: Iterable[CheckIn], *, subject: Subject) -> Bundle:
    """Each check-in's QuestionnaireResponse, then its Observations, about ``subject``."""
    resources: list[dict[str, Any]] = []
    for checkin in checkins:
        resources.append(
            questionnaire_response(checkin, subject=subject).model_dump(exclude_none=True)
        )
        resources += [
            observation.model_dump(exclude_none=True)
            for observation in score_observations(checkin, subject=subject)
        ]
    return collection(subject, resources, empty_note=NOTHING_SAVED)


def own_subject(user: User) -> Subject:
    """A seeker exporting their own check-ins: named by their pseudonym."""
    return Subject(key=f"user:{user.pk}", pseudonym=user.pseudonym)


def to_json(resource: Bundle) -> str:
    return resource.model_dump_json(exclude_none=True, indent=2)


def answers_from(response: QuestionnaireResponse) -> tuple[str, dict[str, int]]:
    """Read a QuestionnaireResponse of ours back into (instrument id, answers)."""
    questionnaire = str(response.questionnaire)
    instrument_id = next(
        i for i in content.INSTRUMENTS if questionnaire_url(instrument(i)) == questionnaire
    )
    answers: dict[str, int] = {}
    for item in response.item or []:
        for answer in item.answer or []:
            coding = answer.valueCoding
            assert coding is not None
            ordinal = next(e for e in coding.extension or [] if e.url == ORDINAL_VALUE)
            assert ordinal.valueDecimal is not None
            answers[str(item.linkId)] = int(ordinal.valueDecimal)
    return instrument_id, answers
