"""FHIR R4 export of saved check-ins: pure functions of model data, validated by fhir.resources.

Each check-in becomes a ``QuestionnaireResponse`` (every answer, as a Coding that carries its
numeric value in the standard ``ordinalValue`` extension) and one score ``Observation`` per
scored scale, derived from it. PHQ-9 and GAD-7 use LOINC throughout: the panel as the
questionnaire, the total score code, and each item and answer code as Observation components.
ProQOL 5 and the CBI have no LOINC codes in the data file; they use Holdspace code systems
(``urn:holdspace:checkins:...``) rather than inventing codes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from holdspace.checkins import content
from holdspace.checkins.forms import item_text
from holdspace.checkins.models import CheckIn
from holdspace.core.instruments import Instrument, Item, instrument

LOINC = "http://loinc.org"
HOLDSPACE = "urn:holdspace:checkins"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"


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


def questionnaire_response(checkin: CheckIn) -> QuestionnaireResponse:
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
            "authored": _moment(checkin),
            "item": items,
        }
    )


def _moment(checkin: CheckIn) -> str:
    """FHIR dateTime with the offset of the reader's zone (active for the request), so a
    record opened elsewhere shows the time the reader saw on Holdspace."""
    return timezone.localtime(checkin.taken_at).isoformat(timespec="seconds")


def score_observations(checkin: CheckIn) -> list[Observation]:
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


def bundle(checkins: Iterable[CheckIn]) -> Bundle:
    """A ``collection`` Bundle: each check-in's QuestionnaireResponse, then its Observations."""
    entries: list[dict[str, Any]] = []
    for checkin in checkins:
        response = questionnaire_response(checkin)
        entries.append(
            {"fullUrl": _urn(checkin.uuid), "resource": response.model_dump(exclude_none=True)}
        )
        for observation in score_observations(checkin):
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{observation.id}",
                    "resource": observation.model_dump(exclude_none=True),
                }
            )
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})


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
