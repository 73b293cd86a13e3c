"""Interstate compacts and the telehealth licensure rule (DESIGN.md "Licensure").

Telehealth follows the client: the session takes place where the seeker physically is, so the
therapist needs a full license there or a compact authorisation that reaches it. Membership comes
from ``data/compacts.json`` (copied verbatim from ``../shared/data/compacts.json``); only members
whose status is ``operational`` count, never ``enacted`` ones.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

PSYPACT_APIT = "psypact_apit"
COUNSELING_PRIVILEGE = "counseling_compact_privilege"


@dataclass(frozen=True)
class Compacts:
    """Jurisdictions (ISO 3166-2) where each compact is operational, as of a date."""

    as_of: date
    psypact: frozenset[str]
    counseling: frozenset[str]


@dataclass(frozen=True)
class Authorization:
    """A verified compact authorisation.

    ``psypact_apit``: ``jurisdiction`` is the declared home state, or None for the therapist's home.
    ``counseling_compact_privilege``: ``jurisdiction`` is the one state the privilege is for.
    """

    kind: str
    jurisdiction: str | None = None


def _operational(compact: Mapping[str, Any]) -> frozenset[str]:
    # A compact that is not operational as a whole (e.g. Social Work) covers nobody.
    if not compact.get("operational", False):
        return frozenset()
    return frozenset(
        member["jurisdiction"]
        for member in compact.get("members", [])
        if member.get("status") == "operational"
    )


def parse_compacts(data: Mapping[str, Any]) -> Compacts:
    """Build :class:`Compacts` from the structure of ``compacts.json``."""
    compacts = data["compacts"]
    return Compacts(
        as_of=date.fromisoformat(data["as_of"]),
        psypact=_operational(compacts["psypact"]),
        counseling=_operational(compacts["counseling_compact"]),
    )


@functools.cache
def load_compacts() -> Compacts:
    """The compact membership shipped with the package (read once per process)."""
    text = resources.files("holdspace.core").joinpath("data/compacts.json").read_text("utf-8")
    return parse_compacts(json.loads(text))


def psypact_apit_covers(
    *,
    profession: str,
    licenses: frozenset[str],
    home: str | None,
    authorization: Authorization,
    location: str,
    compacts: Compacts,
) -> bool:
    """APIT: a psychologist in an operational home state, licensed there, client in a member."""
    if authorization.kind != PSYPACT_APIT or profession != "psychologist":
        return False
    declared_home = authorization.jurisdiction or home
    # The APIT is valid only while the psychologist sits in the declared home state, so an
    # authorisation for a different home than the one they practise from does not count.
    if declared_home is None or (home is not None and declared_home != home):
        return False
    return (
        declared_home in compacts.psypact
        and location in compacts.psypact
        and declared_home in licenses
    )


def counseling_privilege_covers(
    *, home: str | None, authorization: Authorization, location: str, compacts: Compacts
) -> bool:
    """A Counseling Compact privilege covers exactly its own state, once that state is live.

    The compact also needs an operational home state; when the home is unknown we rely on the
    verified privilege, which the Commission issues only to residents of operational states.
    """
    if authorization.kind != COUNSELING_PRIVILEGE or authorization.jurisdiction != location:
        return False
    if home is not None and home not in compacts.counseling:
        return False
    return location in compacts.counseling


def telehealth_allowed(
    *,
    profession: str,
    licenses: Iterable[str],
    home: str | None,
    authorizations: Iterable[Authorization],
    location: str,
    compacts: Compacts,
) -> bool:
    """May this therapist see a client physically in ``location`` by video or phone?

    ``licenses`` must already be verified and unexpired on the session date; only they count.
    """
    held = frozenset(licenses)
    if location in held:
        return True
    for authorization in authorizations:
        if psypact_apit_covers(
            profession=profession,
            licenses=held,
            home=home,
            authorization=authorization,
            location=location,
            compacts=compacts,
        ) or counseling_privilege_covers(
            home=home, authorization=authorization, location=location, compacts=compacts
        ):
            return True
    return False
