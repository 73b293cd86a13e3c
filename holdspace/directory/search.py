"""Denormalised search columns, so that browsing and matching can filter 100,000 profiles by
reading one covering index instead of joining licenses, authorisations and taxonomy tables.

Each profile carries bit sets of its taxonomy terms, its languages and the jurisdictions it can
serve by video or phone. ``services.refresh_listing`` recomputes them whenever anything they
depend on changes; ``manage.py refresh_listings`` recomputes all of them (run it after changing
the taxonomy or shipping new compact data). The bit positions follow the order of the taxonomy
dictionaries, so they are stable as long as those orders are.

Every save of a profile, and every ``refresh_listing``, stamps ``search_version`` with
``next_search_version()``: microseconds since the epoch, or one more than the largest stamp on
file if that is larger (a slow clock never goes backwards). Processes that keep these columns in
memory (``matching.search_index``) re-read only the rows stamped since their last look, less a
margin that covers writes still in flight when they looked.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Max, Q
from django.db.models.lookups import Exact, GreaterThan
from django.db.models.signals import pre_save

from holdspace.core.compacts import Authorization, Compacts, telehealth_allowed
from holdspace.core.taxonomy import FOCUS_AREAS, FORMATS, MODALITIES, PROFESSIONS
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.languages import LANGUAGES
from holdspace.directory.models import TermKind, TherapistProfile

_MAX_BITS = 63  # a signed 64-bit integer column on both databases


def _bits(codes: Iterable[str], offset: int = 0) -> dict[str, int]:
    bits = {code: 1 << (offset + position) for position, code in enumerate(codes)}
    assert offset + len(bits) <= _MAX_BITS, "too many codes for one integer column"
    return bits


_TERM_KINDS = (
    (TermKind.MODALITY, MODALITIES),
    (TermKind.FOCUS, FOCUS_AREAS),
    (TermKind.FORMAT, FORMATS),
    (TermKind.PROFESSION, PROFESSIONS),  # the professions a therapist has served
)
TERM_BITS: dict[tuple[str, str], int] = {}
for _kind, _codes in _TERM_KINDS:
    TERM_BITS.update(
        ((_kind, code), bit) for code, bit in _bits(_codes, offset=len(TERM_BITS)).items()
    )
LANGUAGE_BITS = _bits(LANGUAGES)
JURISDICTION_BITS = _bits(sorted(US_JURISDICTIONS))


def term_bits(
    *,
    modalities: Iterable[str] = (),
    focus: Iterable[str] = (),
    formats: Iterable[str] = (),
    professions_served: Iterable[str] = (),
) -> int:
    chosen = [
        *((TermKind.MODALITY, code) for code in modalities),
        *((TermKind.FOCUS, code) for code in focus),
        *((TermKind.FORMAT, code) for code in formats),
        *((TermKind.PROFESSION, code) for code in professions_served),
    ]
    return sum({TERM_BITS[key] for key in chosen})


def kind_mask(kind: str) -> int:
    """Every bit of one taxonomy kind, e.g. "has served any profession"."""
    return sum(bit for (term_kind, _), bit in TERM_BITS.items() if term_kind == kind)


def language_bits(codes: Iterable[str]) -> int:
    return sum({LANGUAGE_BITS[code] for code in codes})


@dataclass(frozen=True)
class Reach:
    bits: int
    until: dt.date | None  # the first day one of the counted credentials has expired by


def telehealth_reach(
    *,
    profession: str,
    licenses: Iterable[tuple[str, dt.date]],
    authorizations: Iterable[tuple[str, str, dt.date]],
    today: dt.date,
    compacts: Compacts,
) -> Reach:
    """Every jurisdiction the core's licensure rule lets this therapist serve remotely, from
    verified credentials (jurisdiction, expiry) and (kind, jurisdiction, expiry)."""
    current_licenses = [(code, expires) for code, expires in licenses if expires >= today]
    current_authorizations = [item for item in authorizations if item[2] >= today]
    bits = 0
    for code, bit in JURISDICTION_BITS.items():
        if telehealth_allowed(
            profession=profession,
            licenses=[jurisdiction for jurisdiction, _ in current_licenses],
            home=None,
            authorizations=[
                Authorization(kind=kind, jurisdiction=jurisdiction)
                for kind, jurisdiction, _ in current_authorizations
            ],
            location=code,
            compacts=compacts,
        ):
            bits |= bit
    expiries = [expires for _, expires in current_licenses] + [
        expires for *_, expires in current_authorizations
    ]
    # The bits stay exact until the earliest counted credential lapses; after that, queries
    # fall back to the exact rule for this row (see selectors.telehealth_q).
    return Reach(bits=bits, until=min(expiries) if expiries else None)


def has_all(column: str, mask: int) -> Q:
    """Rows whose bit-set ``column`` contains every bit of ``mask``."""
    return Q(Exact(F(column).bitand(mask), mask))


def has_any(column: str, mask: int) -> Q:
    return Q(GreaterThan(F(column).bitand(mask), 0))


def next_search_version() -> int:
    """A stamp larger than every stamp on file and, normally, than every earlier one."""
    latest = TherapistProfile.objects.aggregate(latest=Max("search_version"))["latest"] or 0
    return max(time.time_ns() // 1000, latest + 1)


def _stamp_profile(sender: type[TherapistProfile], instance: TherapistProfile, **_: Any) -> None:
    """Any save may change a search column (fee, office, experience, ...): stamp it."""
    instance.search_version = next_search_version()


pre_save.connect(_stamp_profile, sender=TherapistProfile, dispatch_uid="profile_search_version")
