"""A program's allocation input as a JSON scenario (DESIGN.md "Scenario format"), for audits.

Anonymised: seekers become ``s1``, ``s2``…, therapists ``t1``…, entities ``e1``…, anyone else in
the tie graph ``p1``…; no names, no user ids, no keyed hashes. The file runs as it is through
``python -m holdspace.core allocate FILE``.
"""

from __future__ import annotations

from collections.abc import Iterable

from holdspace.core.eligibility import SeekerInput, TherapistInput
from holdspace.programs.selectors import ProgramInputs


class _Names:
    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def assign(self, nodes: Iterable[str], prefix: str) -> None:
        for node in sorted(nodes):
            if node not in self._names:
                self._counts[prefix] = self._counts.get(prefix, 0) + 1
                self._names[node] = f"{prefix}{self._counts[prefix]}"

    def __call__(self, node: str) -> str:
        if node not in self._names:
            self.assign([node], "p")
        return self._names[node]


def _therapist(t: TherapistInput, name: _Names) -> dict[str, object]:
    return {
        "id": name(t.id),
        "profession": t.profession,
        "home": t.home,
        "licenses": list(t.licenses),
        "authorizations": [
            {"kind": a.kind, "jurisdiction": a.jurisdiction} for a in t.authorizations
        ],
        "office": (
            {"jurisdiction": t.office.jurisdiction, "zip": t.office.zip} if t.office else None
        ),
        "formats": list(t.formats),
        "modalities": list(t.modalities),
        "focus": list(t.focus),
        "languages": list(t.languages),
        "fee": t.fee,
        "sliding_scale": t.sliding_scale,
        "accepting": t.accepting,
        "capacity": t.capacity,
        "clinician_experience_years": t.clinician_experience_years,
        "professions_served": list(t.professions_served),
    }


def _seeker(s: SeekerInput, name: _Names) -> dict[str, object]:
    return {
        "id": name(s.id),
        "location": s.location,
        "zip": s.zip,
        "formats": list(s.formats),
        "concerns": list(s.concerns),
        "modalities": list(s.modalities),
        "languages": list(s.languages),
        "max_fee": s.max_fee,
        "max_km": s.max_km,
        "avoid": sorted(name(node) for node in s.avoid),
        "exclude_entities": sorted(name(node) for node in s.exclude_entities),
        "strictness": s.strictness,
        "priority": s.priority,
        "profession": s.profession,
    }


def scenario(inputs: ProgramInputs) -> dict[str, object]:
    name = _Names()
    name.assign((s.id for s in inputs.seekers), "s")
    name.assign((t.id for t in inputs.therapists), "t")
    name.assign(inputs.parts.entities, "e")
    # People who are neither seekers nor therapists (colleagues named by a keyed hash, others
    # at a shared workplace) become p1, p2...: nodes of the tie graph, nothing more.
    affiliations = sorted(
        inputs.parts.affiliations, key=lambda a: (name(a.person), name(a.entity), str(a.start))
    )
    return {
        "description": "Program allocation input, anonymised for audit",
        "as_of": inputs.as_of.isoformat(),
        "therapists": [_therapist(t, name) for t in inputs.therapists],
        "entities": [
            {"id": name(node), "kind": kind}
            for node, kind in sorted(inputs.parts.entities.items(), key=lambda e: name(e[0]))
        ],
        "affiliations": [
            {
                "person": name(a.person),
                "entity": name(a.entity),
                "from": a.start.isoformat() if a.start else None,
                "to": a.end.isoformat() if a.end else None,
            }
            for a in affiliations
        ],
        "ties": [{"a": name(a), "b": name(b)} for a, b in sorted(inputs.parts.ties)],
        "seekers": [_seeker(s, name) for s in inputs.seekers],
    }
