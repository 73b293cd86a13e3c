"""A client's record for export: a FHIR R4 Bundle of score Observations, reusing checkins.fhir.

Answers never leave for a therapist (DESIGN: check-in answers are the seeker's), so each
Observation loses its per-item components and its link to the QuestionnaireResponse, which
is not exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from holdspace.checkins import fhir
from holdspace.checkins.models import CheckIn


def scores_bundle(checkins: Iterable[CheckIn]) -> Bundle:
    entries: list[dict[str, Any]] = []
    for checkin in checkins:
        for observation in fhir.score_observations(checkin):
            resource = observation.model_dump(exclude_none=True)
            resource.pop("component", None)
            resource.pop("derivedFrom", None)
            entries.append({"fullUrl": f"urn:uuid:{observation.id}", "resource": resource})
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
