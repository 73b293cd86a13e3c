"""May this therapist see this seeker, in some format the seeker wants, on this date?

Eligibility is a hard gate (DESIGN.md "Licensure"): remote formats need a license or compact
authorisation covering where the seeker physically is; in-person formats need an office in the
seeker's jurisdiction, the right to practise there, and a known distance within the seeker's limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from holdspace.core.compacts import (
    Authorization,
    Compacts,
    counseling_privilege_covers,
    telehealth_allowed,
)
from holdspace.core.geo import zip_distance_km
from holdspace.core.taxonomy import IN_PERSON_FORMATS, REMOTE_FORMATS

__all__ = [
    "Authorization",
    "Office",
    "SeekerInput",
    "TherapistInput",
    "eligible",
    "in_person_allowed",
    "telehealth_allowed",
    "workable_formats",
]


_NONE: frozenset[str] = frozenset()


def _freeze(instance: object, *names: str) -> None:
    # Callers may pass lists; store tuples so inputs stay immutable and hashable.
    for name in names:
        object.__setattr__(instance, name, tuple(getattr(instance, name)))


@dataclass(frozen=True, slots=True)
class Office:
    jurisdiction: str
    zip: str | None = None


@dataclass(frozen=True, slots=True)
class TherapistInput:
    """A therapist as the core sees one (the scenario JSON ``therapists[]`` entry)."""

    id: str
    profession: str
    licenses: Sequence[str]
    formats: Sequence[str]
    languages: Sequence[str]
    fee: float
    accepting: bool
    capacity: int
    home: str | None = None
    authorizations: Sequence[Authorization] = ()
    office: Office | None = None
    modalities: Sequence[str] = ()
    focus: Sequence[str] = ()
    sliding_scale: bool = False
    clinician_experience_years: int = 0
    professions_served: Sequence[str] = ()

    def __post_init__(self) -> None:
        _freeze(
            self,
            "licenses",
            "formats",
            "languages",
            "authorizations",
            "modalities",
            "focus",
            "professions_served",
        )


@dataclass(frozen=True, slots=True)
class SeekerInput:
    """A seeker's request (the scenario JSON ``seekers[]`` entry)."""

    id: str
    location: str
    formats: Sequence[str]
    zip: str | None = None
    concerns: Sequence[str] = ()
    modalities: Sequence[str] = ()  # empty means "open to any"
    languages: Sequence[str] = ()  # empty means "any"
    max_fee: float | None = None  # None means no budget given
    max_km: float | None = None  # None means no distance limit (in-person only)
    avoid: Sequence[str] = ()
    exclude_entities: Sequence[str] = ()
    strictness: str = "standard"
    priority: float = 0.5
    profession: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "formats", "concerns", "modalities", "languages", "avoid", "exclude_entities")

    @property
    def strict(self) -> bool:
        return self.strictness == "strict"


def remote_allowed(therapist: TherapistInput, seeker: SeekerInput, *, compacts: Compacts) -> bool:
    return telehealth_allowed(
        profession=therapist.profession,
        licenses=therapist.licenses,
        home=therapist.home,
        authorizations=therapist.authorizations,
        location=seeker.location,
        compacts=compacts,
    )


def _may_practise_in_person(therapist: TherapistInput, location: str, compacts: Compacts) -> bool:
    # A PSYPACT APIT is telehealth only; a Counseling Compact privilege works in person too.
    if location in therapist.licenses:
        return True
    return any(
        counseling_privilege_covers(
            home=therapist.home, authorization=authorization, location=location, compacts=compacts
        )
        for authorization in therapist.authorizations
    )


def in_person_allowed(
    therapist: TherapistInput, seeker: SeekerInput, *, compacts: Compacts
) -> bool:
    office = therapist.office
    if office is None or office.jurisdiction != seeker.location:
        return False
    if not _may_practise_in_person(therapist, seeker.location, compacts):
        return False
    if seeker.max_km is None:
        return True
    if office.zip is None or seeker.zip is None:
        return False
    distance = zip_distance_km(office.zip, seeker.zip)
    # An unknown ZIP gives no distance: never guess, so no in-person.
    return distance is not None and distance <= seeker.max_km


def workable_formats(
    therapist: TherapistInput, seeker: SeekerInput, *, compacts: Compacts
) -> frozenset[str]:
    """The seeker's formats this therapist can actually offer them (empty = not eligible)."""
    if not therapist.accepting or therapist.capacity <= 0:
        return _NONE
    # Called for every candidate, so each legal check runs at most once and only when needed.
    remote: bool | None = None
    in_person: bool | None = None
    workable: list[str] = []
    for wanted in seeker.formats:
        if wanted not in therapist.formats:
            continue
        if wanted in REMOTE_FORMATS:
            if remote is None:
                remote = remote_allowed(therapist, seeker, compacts=compacts)
            if remote:
                workable.append(wanted)
        elif wanted in IN_PERSON_FORMATS:
            if in_person is None:
                in_person = in_person_allowed(therapist, seeker, compacts=compacts)
            if in_person:
                workable.append(wanted)
    return frozenset(workable) if workable else _NONE


def eligible(
    therapist: TherapistInput, seeker: SeekerInput, *, compacts: Compacts, as_of: date
) -> bool:
    """True when at least one of the seeker's formats works with this therapist.

    ``as_of`` is the session date; the caller passes only licenses and authorisations that are
    verified and unexpired on it, so the rules here do not need to read it.
    """
    del as_of  # part of the stable signature; see the docstring
    return bool(workable_formats(therapist, seeker, compacts=compacts))
