"""A seeker's Find answers as plain data, and their home in the server session.

Anonymous answers live only here (``request.session``), so they expire with the session and are
never written to other tables. People to avoid and people close to the seeker are kept as keyed
hashes only: the session never holds the email, name or license number that was typed, and the
masked reminder shown back ("D… R…") is encrypted in it like in the database.

A signed-in seeker's world (places, people, strictness) is saved as they change it; for them
the session's ``world`` is only a copy of the saved one (``matching.world``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from holdspace import crypto
from holdspace.core.safety import CRISIS_CONCERN

SESSION_KEY = "holdspace.find"
# The therapist a seeker set out to reach when Find answers were needed first: after the
# three screens they go back to that request form. A profile id, never a URL to follow.
REACH_OUT_KEY = "holdspace.find.reach_out"
# "Thoughts of ending my life": crisis resources, not a focus area (the rule: core.safety).
CRISIS_CHOICE = CRISIS_CONCERN


@dataclass
class Where:
    location: str
    formats: list[str]
    zip: str = ""
    max_km: float | None = None


@dataclass
class Needs:
    concerns: list[str] = field(default_factory=list)
    crisis: bool = False
    modalities: list[str] = field(default_factory=list)
    max_fee: int | None = None
    language: str = ""
    profession: str = ""


@dataclass
class Place:
    """A place the seeker belongs to: an entity id, or (new name, not yet an entity) its name."""

    kind: str
    name: str
    entity: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    exclude_all: bool = False


@dataclass
class Person:
    identifier_kind: str
    digest: str
    tie_kind: str = ""  # empty for avoid entries
    label: str = ""  # the masked reminder, "D… R…" (core.masks); empty for older entries

    def same_person(self, other: Person) -> bool:
        return (self.identifier_kind, self.digest) == (other.identifier_kind, other.digest)


@dataclass
class World:
    places: list[Place] = field(default_factory=list)
    avoid: list[Person] = field(default_factory=list)
    ties: list[Person] = field(default_factory=list)
    strictness: str = "standard"

    def union(self, other: World) -> World:
        """Everything either world keeps away, each place and person once; strict if either is.
        Used where a copy of the answers (a session, a request's snapshot, a program's) meets
        the seeker's saved world: the result never keeps fewer people away than either."""
        places = list(self.places)
        for place in other.places:
            if not any(_same_place(place, mine) for mine in places):
                places.append(place)
        avoid = list(self.avoid)
        avoid += [p for p in other.avoid if not any(p.same_person(q) for q in avoid)]
        ties = list(self.ties)
        ties += [p for p in other.ties if not any(p.same_person(q) for q in ties)]
        strict = "strict" in (self.strictness, other.strictness)
        return World(places, avoid, ties, "strict" if strict else "standard")


def _same_place(a: Place, b: Place) -> bool:
    if a.entity is not None or b.entity is not None:
        return a.entity == b.entity and (a.start_year, a.end_year, a.exclude_all) == (
            b.start_year, b.end_year, b.exclude_all)  # fmt: skip
    return (a.kind, a.name, a.start_year, a.end_year, a.exclude_all) == (
        b.kind, b.name, b.start_year, b.end_year, b.exclude_all)  # fmt: skip


@dataclass
class Answers:
    where: Where | None = None
    needs: Needs | None = None
    world: World = field(default_factory=World)
    world_done: bool = False

    @property
    def crisis(self) -> bool:
        return self.needs is not None and self.needs.crisis


def seal(label: str) -> str:
    """A masked reminder as it is kept in a session: encrypted, like in the database."""
    return crypto.encrypt(label) if label else ""


def unseal(token: str) -> str:
    """The reminder back; one that no key opens (a rotated-out key) is simply not shown."""
    if not token:
        return ""
    try:
        return crypto.decrypt(token)
    except crypto.DecryptionError:
        return ""


def person_from(data: dict[str, Any]) -> Person:
    return Person(**{**data, "label": unseal(data.get("label", ""))})


def person_data(person: Person) -> dict[str, Any]:
    return {**asdict(person), "label": seal(person.label)}


def _world(data: dict[str, Any]) -> World:
    return World(
        places=[Place(**place) for place in data.get("places", [])],
        avoid=[person_from(person) for person in data.get("avoid", [])],
        ties=[person_from(person) for person in data.get("ties", [])],
        strictness=data.get("strictness", "standard"),
    )


def load(session: SessionBase) -> Answers:
    data = session.get(SESSION_KEY) or {}
    try:
        return Answers(
            where=Where(**data["where"]) if data.get("where") else None,
            needs=Needs(**data["needs"]) if data.get("needs") else None,
            world=_world(data.get("world") or {}),
            world_done=bool(data.get("world_done")),
        )
    except TypeError:  # answers from an older version of this form: start again
        return Answers()


def store(session: SessionBase, answers: Answers) -> None:
    data = asdict(answers)
    data["world"]["avoid"] = [person_data(p) for p in answers.world.avoid]
    data["world"]["ties"] = [person_data(p) for p in answers.world.ties]
    session[SESSION_KEY] = data


def forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def remember_reach_out(session: SessionBase, profile_id: int) -> None:
    session[REACH_OUT_KEY] = profile_id


def reach_out_target(session: SessionBase) -> int | None:
    target = session.get(REACH_OUT_KEY)
    return target if isinstance(target, int) else None


def forget_reach_out(session: SessionBase) -> None:
    session.pop(REACH_OUT_KEY, None)
