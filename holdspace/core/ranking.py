"""Fit in [0, 1] between a seeker and an eligible, conflict-free therapist, with reasons.

Fit is a weighted sum of components, each in [0, 1]. A component the seeker left open ("not
sure", no budget, any language) scores 1 for everyone, so it never reorders the list. Reasons are
short human phrases the seeker may read; conflict details never appear in them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

import pycountry

from holdspace.core.compacts import Compacts
from holdspace.core.conflicts import TieGraph, seeker_conflicts
from holdspace.core.eligibility import SeekerInput, TherapistInput, workable_formats
from holdspace.core.taxonomy import FOCUS_AREAS, FORMATS, IN_PERSON_FORMATS, MODALITIES

WEIGHTS: Final = {
    "concerns": 0.30,
    "modalities": 0.15,
    "fee": 0.15,
    "language": 0.10,
    "format": 0.10,
    "experience": 0.12,
    "profession": 0.08,
}
WIDE_ENTITY_PENALTY: Final = 0.05  # a shared hospital system or association: slightly less apart
SLIDING_SCALE_SCORE: Final = 0.7
EXPERIENCED_YEARS: Final = 3  # years treating clinicians before we say "experienced"
FULL_EXPERIENCE_YEARS: Final = 10

PROFESSIONS_PLURAL: Final = {
    "psychologist": "psychologists",
    "counselor": "counselors",
    "social_worker": "social workers",
    "mft": "marriage and family therapists",
    "psychiatrist": "psychiatrists",
    "physician": "physicians",
    "nurse": "nurses",
    "nurse_practitioner": "nurse practitioners",
    "emt_paramedic": "EMTs and paramedics",
    "trainee": "trainees",
}


@dataclass(frozen=True, slots=True)
class Match:
    therapist: str
    fit: float
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Wants:
    """The seeker's preferences as sets, built once per ranking rather than per therapist."""

    concerns: frozenset[str]
    modalities: frozenset[str]
    languages: frozenset[str]
    formats: frozenset[str]
    max_fee: float | None
    profession: str | None

    @classmethod
    def of(cls, seeker: SeekerInput) -> _Wants:
        return cls(
            concerns=frozenset(seeker.concerns),
            modalities=frozenset(seeker.modalities),
            languages=frozenset(seeker.languages),
            formats=frozenset(seeker.formats),
            max_fee=seeker.max_fee,
            profession=seeker.profession,
        )


def _share(wanted: frozenset[str], offered: Iterable[str]) -> float:
    return len(wanted.intersection(offered)) / len(wanted)


def _modality_score(wants: _Wants, therapist: TherapistInput) -> float:
    if not wants.modalities:  # open to any
        return 1.0
    share = _share(wants.modalities, therapist.modalities)
    # One approach the seeker is curious about is already a good sign; more is better.
    return 0.5 + 0.5 * share if share else 0.0


def _fee_score(wants: _Wants, therapist: TherapistInput) -> float:
    if wants.max_fee is None or therapist.fee <= wants.max_fee:
        return 1.0
    if therapist.sliding_scale:
        return SLIDING_SCALE_SCORE
    over = (therapist.fee - wants.max_fee) / max(wants.max_fee, 1.0)
    return max(0.0, 0.5 * (1.0 - over))


def _profession_score(wants: _Wants, therapist: TherapistInput) -> float:
    if wants.profession is None:
        # Unknown profession: serving clinicians at all is half the signal.
        return 0.5 if therapist.professions_served else 0.0
    return 1.0 if wants.profession in therapist.professions_served else 0.0


def _fit(
    wants: _Wants, therapist: TherapistInput, formats: frozenset[str], shares_wide_entity: bool
) -> float:
    # An empty preference (no concerns, any language) scores 1 for everyone.
    years = min(max(0, therapist.clinician_experience_years), FULL_EXPERIENCE_YEARS)
    fit = (
        WEIGHTS["concerns"] * (_share(wants.concerns, therapist.focus) if wants.concerns else 1.0)
        + WEIGHTS["modalities"] * _modality_score(wants, therapist)
        + WEIGHTS["fee"] * _fee_score(wants, therapist)
        + WEIGHTS["language"]
        * (float(not wants.languages.isdisjoint(therapist.languages)) if wants.languages else 1.0)
        + WEIGHTS["format"] * (_share(wants.formats, formats) if wants.formats else 1.0)
        + WEIGHTS["experience"] * years / FULL_EXPERIENCE_YEARS
        + WEIGHTS["profession"] * _profession_score(wants, therapist)
    )
    if shares_wide_entity:  # never shown as a reason
        fit -= WIDE_ENTITY_PENALTY
    return min(1.0, max(0.0, fit))


def _label(labels: dict[str, str], key: str, *, lower: bool) -> str:
    text = labels.get(key, key.replace("_", " "))
    return text[:1].lower() + text[1:] if lower else text


def _language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code)
    return str(language.name) if language is not None else code


def _fee_reason(seeker: SeekerInput, therapist: TherapistInput) -> list[str]:
    if seeker.max_fee is None:
        return []
    if therapist.fee <= seeker.max_fee:
        return ["within budget"]
    return ["sliding scale"] if therapist.sliding_scale else []


def _why(
    seeker: SeekerInput, therapist: TherapistInput, formats: frozenset[str]
) -> tuple[str, ...]:
    """Short phrases for what fits, in the seeker's own order of preferences."""
    why = [
        _label(MODALITIES, m, lower=False) for m in seeker.modalities if m in therapist.modalities
    ]
    why += [_label(FOCUS_AREAS, c, lower=True) for c in seeker.concerns if c in therapist.focus]
    why += [
        _label(FORMATS, f, lower=True)
        for f in seeker.formats
        if f in formats and f in IN_PERSON_FORMATS
    ]
    why += _fee_reason(seeker, therapist)
    if therapist.clinician_experience_years >= EXPERIENCED_YEARS:
        why.append("experienced with clinicians")
    plural = PROFESSIONS_PLURAL.get(seeker.profession or "")
    if plural and seeker.profession in therapist.professions_served:
        why.append(f"works with {plural}")
    # English is the default on the platform, so only other languages are worth saying.
    why += [
        f"in {_language_name(code)}"
        for code in seeker.languages
        if code != "en" and code in therapist.languages
    ]
    return tuple(dict.fromkeys(why))  # drop repeats, keep order


def score_match(
    seeker: SeekerInput,
    therapist: TherapistInput,
    *,
    formats: frozenset[str],
    shares_wide_entity: bool,
) -> Match:
    """Fit and reasons for a pair known to be eligible (``formats``) and free of conflicts."""
    fit = _fit(_Wants.of(seeker), therapist, formats, shares_wide_entity)
    return Match(therapist=therapist.id, fit=fit, why=_why(seeker, therapist, formats))


def rank(
    seeker: SeekerInput,
    therapists: Iterable[TherapistInput],
    graph: TieGraph,
    *,
    compacts: Compacts,
    as_of: date,
    limit: int = 10,
) -> list[Match]:
    """The best ``limit`` matches, best first; ties broken by therapist id.

    Conflicted and ineligible therapists are removed before anything is scored; reasons are
    written only for the matches returned.
    """
    if limit <= 0:
        return []
    conflicts = seeker_conflicts(
        seeker.id,
        graph,
        strict=seeker.strict,
        avoid=seeker.avoid,
        exclude_entities=seeker.exclude_entities,
        as_of=as_of,
    )
    wants = _Wants.of(seeker)
    scored: list[tuple[float, str, TherapistInput, frozenset[str]]] = []
    for therapist in therapists:
        if conflicts.reason(therapist.id) is not None:
            continue
        formats = workable_formats(therapist, seeker, compacts=compacts)
        if formats:
            wide = therapist.id in conflicts.wide_shared
            scored.append(
                (-_fit(wants, therapist, formats, wide), therapist.id, therapist, formats)
            )
    best = heapq.nsmallest(limit, scored, key=lambda entry: (entry[0], entry[1]))
    return [
        Match(therapist=therapist_id, fit=-negative_fit, why=_why(seeker, therapist, formats))
        for negative_fit, therapist_id, therapist, formats in best
    ]
