"""A client's record for export: a FHIR R4 Bundle of score Observations, reusing checkins.fhir.

Answers never leave for a therapist (DESIGN: check-in answers are the seeker's), so each
Observation loses its per-item components and its link to the QuestionnaireResponse, which
is not exported. The client is a pseudonymous Patient: their pseudonym (or "Former client"),
never the name they may have revealed to the therapist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from holdspace.checkins import fhir
from holdspace.checkins.models import CheckIn
from holdspace.outreach.models import ConsultationRequest

NOTHING_SHARED = (
    "No check-ins shared yet. A client's check-ins are shared, as scores only, when they save "
    "one after their request was accepted."
)


def client_subject(client: ConsultationRequest) -> fhir.Subject:
    """The client in this therapist's care: one Patient id per request, so the exports of two
    therapists caring for the same person don't share it."""
    return fhir.Subject(key=f"request:{client.pk}", pseudonym=client.seeker.pseudonym)


def scores_bundle(client: ConsultationRequest, checkins: Iterable[CheckIn]) -> Bundle:
    subject = client_subject(client)
    resources: list[dict[str, Any]] = []
    for checkin in checkins:
        for observation in fhir.score_observations(checkin, subject=subject):
            resource = observation.model_dump(exclude_none=True)
            resource.pop("component", None)
            resource.pop("derivedFrom", None)
            resources.append(resource)
    return fhir.collection(subject, resources, empty_note=NOTHING_SHARED)
