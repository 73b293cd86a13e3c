"""A seeker's Find answers as plain data, and their home in the server session.

Anonymous answers live only here (``request.session``), so they expire with the session and are
never written to other tables. People to avoid and people close to the seeker are kept as keyed
hashes only: the session never holds the email, name or license number that was typed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from holdspace.core.safety import CRISIS_CONCERN

SESSION_KEY = "holdspace.find"
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


@dataclass
class World:
    places: list[Place] = field(default_factory=list)
    avoid: list[Person] = field(default_factory=list)
    ties: list[Person] = field(default_factory=list)
    strictness: str = "standard"


@dataclass
class Answers:
    where: Where | None = None
    needs: Needs | None = None
    world: World = field(default_factory=World)
    world_done: bool = False

    @property
    def crisis(self) -> bool:
        return self.needs is not None and self.needs.crisis


def _world(data: dict[str, Any]) -> World:
    return World(
        places=[Place(**place) for place in data.get("places", [])],
        avoid=[Person(**person) for person in data.get("avoid", [])],
        ties=[Person(**person) for person in data.get("ties", [])],
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
    session[SESSION_KEY] = asdict(answers)


def forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
