"""The JSON scenario format (DESIGN.md "Scenario format") and the ``rank``/``allocate`` commands.

Parsing validates everything up front and reports the first problem as one :class:`ScenarioError`
naming the field path, e.g. ``therapists[2].licenses[0]: 'CO' is not an ISO 3166-2 code like
'US-CO'``. Unknown fields are errors too: a misspelt ``avoid`` must not silently drop a conflict.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import pycountry

from holdspace.core.compacts import COUNSELING_PRIVILEGE, Authorization, Compacts, load_compacts
from holdspace.core.conflicts import Affiliation, Entity, Tie, TieGraph
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput
from holdspace.core.geo import is_zip_format
from holdspace.core.ranking import Match, rank
from holdspace.core.taxonomy import (
    AUTHORIZATION_KINDS,
    ENTITY_KINDS,
    FOCUS_AREAS,
    FORMATS,
    MODALITIES,
    PROFESSIONS,
    STRICTNESS,
)

type Reader[T] = Callable[[object, str], T]

EXIT_BAD_INPUT: Final = 2
DEFAULT_LIMIT: Final = 10
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``path`` names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or 'scenario'}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Scenario:
    as_of: date
    therapists: tuple[TherapistInput, ...]
    seekers: tuple[SeekerInput, ...]
    entities: tuple[Entity, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    ties: tuple[Tie, ...] = ()

    def graph(self) -> TieGraph:
        return TieGraph(self.entities, self.affiliations, self.ties)


# -- value readers: each takes (value, path) and returns a checked value or raises -------------


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "a list" if isinstance(value, list) else "an object"


def _string(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(path, f"expected a non-empty string, got {_describe(value)}")
    return value


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(path, f"expected a number, got {_describe(value)}")
    if not math.isfinite(value) or value < 0:
        raise ScenarioError(path, f"expected a number of 0 or more, got {value}")
    return float(value)


def _integer(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, f"expected a whole number, got {_describe(value)}")
    if value < 0:
        raise ScenarioError(path, f"expected a whole number of 0 or more, got {value}")
    return value


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(path, f"expected true or false, got {_describe(value)}")
    return value


def _date(value: object, path: str) -> date:
    text = _string(value, path)
    try:
        if _DATE_PATTERN.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ScenarioError(path, f"{text!r} is not a date like '2026-11-26'")


# pycountry is untyped; name the one lookup we use with its real shape.
_find_subdivision: Callable[..., Any] = pycountry.subdivisions.get


def _jurisdiction(value: object, path: str) -> str:
    text = _string(value, path)
    subdivision = _find_subdivision(code=text)
    # pycountry matches case-insensitively; we store the canonical upper-case code only.
    if subdivision is None or subdivision.code != text:
        raise ScenarioError(path, f"{text!r} is not an ISO 3166-2 code like 'US-CO'")
    return text


def _zip(value: object, path: str) -> str:
    if not isinstance(value, str) or not is_zip_format(value):
        raise ScenarioError(
            path, f"expected a US ZIP code string like '80302', got {_describe(value)}"
        )
    return value


def _language(value: object, path: str) -> str:
    text = _string(value, path)
    if len(text) != 2 or not text.islower() or pycountry.languages.get(alpha_2=text) is None:
        raise ScenarioError(path, f"{text!r} is not an ISO 639-1 language code like 'en'")
    return text


def _term(vocabulary: Mapping[str, str] | Collection[str], what: str) -> Reader[str]:
    def read(value: object, path: str) -> str:
        text = _string(value, path)
        if text not in vocabulary:
            raise ScenarioError(path, f"{text!r} is not a known {what} ({', '.join(vocabulary)})")
        return text

    return read


def _nullable[T](reader: Reader[T]) -> Reader[T | None]:
    def read(value: object, path: str) -> T | None:
        return None if value is None else reader(value, path)

    return read


def _list[T](reader: Reader[T]) -> Reader[tuple[T, ...]]:
    def read(value: object, path: str) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise ScenarioError(path, f"expected a list, got {_describe(value)}")
        return tuple(reader(item, f"{path}[{index}]") for index, item in enumerate(value))

    return read


class _Object:
    """A JSON object under ``path``, whose fields are read by name."""

    def __init__(self, value: object, path: str, fields: Collection[str]) -> None:
        if not isinstance(value, dict):
            raise ScenarioError(path, f"expected an object, got {_describe(value)}")
        for key in value:
            if key not in fields:
                raise ScenarioError(self._join(path, key), "unknown field")
        self._data: dict[str, Any] = value
        self._path = path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def path(self, key: str) -> str:
        return self._join(self._path, key)

    def get[T](self, key: str, reader: Reader[T]) -> T:
        """Read a required field."""
        if key not in self._data:
            raise ScenarioError(self.path(key), "missing required field")
        return reader(self._data[key], self.path(key))

    def opt[T](self, key: str, reader: Reader[T], default: T) -> T:
        """Read an optional field, or return ``default`` when it is absent."""
        if key not in self._data:
            return default
        return reader(self._data[key], self.path(key))


# -- records ---------------------------------------------------------------------------------

_MODALITY = _term(MODALITIES, "modality")
_FOCUS = _term(FOCUS_AREAS, "concern")
_FORMAT = _term(FORMATS, "format")
_PROFESSION = _term(PROFESSIONS, "profession")


def _authorization(value: object, path: str) -> Authorization:
    obj = _Object(value, path, ("kind", "jurisdiction"))
    kind = obj.get("kind", _term(AUTHORIZATION_KINDS, "authorization kind"))
    jurisdiction = obj.opt("jurisdiction", _nullable(_jurisdiction), None)
    if kind == COUNSELING_PRIVILEGE and jurisdiction is None:
        raise ScenarioError(
            obj.path("jurisdiction"), "a Counseling Compact privilege names its state"
        )
    return Authorization(kind=kind, jurisdiction=jurisdiction)


def _office(value: object, path: str) -> Office:
    obj = _Object(value, path, ("jurisdiction", "zip"))
    return Office(
        jurisdiction=obj.get("jurisdiction", _jurisdiction),
        zip=obj.opt("zip", _nullable(_zip), None),
    )


_THERAPIST_FIELDS = (
    "id", "profession", "home", "licenses", "authorizations", "office", "formats", "modalities",
    "focus", "languages", "fee", "sliding_scale", "accepting", "capacity",
    "clinician_experience_years", "professions_served",
)  # fmt: skip


def _therapist(value: object, path: str) -> TherapistInput:
    obj = _Object(value, path, _THERAPIST_FIELDS)
    return TherapistInput(
        id=obj.get("id", _string),
        profession=obj.get("profession", _PROFESSION),
        home=obj.opt("home", _nullable(_jurisdiction), None),
        licenses=obj.get("licenses", _list(_jurisdiction)),
        authorizations=obj.opt("authorizations", _list(_authorization), ()),
        office=obj.opt("office", _nullable(_office), None),
        formats=obj.get("formats", _list(_FORMAT)),
        modalities=obj.opt("modalities", _list(_MODALITY), ()),
        focus=obj.opt("focus", _list(_FOCUS), ()),
        languages=obj.get("languages", _list(_language)),
        fee=obj.get("fee", _number),
        sliding_scale=obj.opt("sliding_scale", _boolean, False),
        accepting=obj.get("accepting", _boolean),
        capacity=obj.get("capacity", _integer),
        clinician_experience_years=obj.opt("clinician_experience_years", _integer, 0),
        professions_served=obj.opt("professions_served", _list(_PROFESSION), ()),
    )


_SEEKER_FIELDS = (
    "id", "location", "zip", "formats", "concerns", "modalities", "languages", "max_fee",
    "max_km", "avoid", "exclude_entities", "strictness", "priority", "profession",
)  # fmt: skip


def _seeker(value: object, path: str) -> SeekerInput:
    obj = _Object(value, path, _SEEKER_FIELDS)
    return SeekerInput(
        id=obj.get("id", _string),
        location=obj.get("location", _jurisdiction),
        zip=obj.opt("zip", _nullable(_zip), None),
        formats=obj.get("formats", _list(_FORMAT)),
        concerns=obj.opt("concerns", _list(_FOCUS), ()),
        modalities=obj.opt("modalities", _list(_MODALITY), ()),
        languages=obj.opt("languages", _list(_language), ()),
        max_fee=obj.opt("max_fee", _nullable(_number), None),
        max_km=obj.opt("max_km", _nullable(_number), None),
        avoid=obj.opt("avoid", _list(_string), ()),
        exclude_entities=obj.opt("exclude_entities", _list(_string), ()),
        strictness=obj.opt("strictness", _term(STRICTNESS, "strictness"), "standard"),
        priority=obj.opt("priority", _number, 0.5),
        profession=obj.opt("profession", _nullable(_PROFESSION), None),
    )


def _entity(value: object, path: str) -> Entity:
    obj = _Object(value, path, ("id", "kind", "size"))
    return Entity(
        id=obj.get("id", _string),
        kind=obj.get("kind", _term(sorted(ENTITY_KINDS), "entity kind")),
        size=obj.opt("size", _nullable(_integer), None),
    )


def _affiliation(value: object, path: str) -> Affiliation:
    obj = _Object(value, path, ("person", "entity", "from", "to"))
    start = obj.opt("from", _nullable(_date), None)
    end = obj.opt("to", _nullable(_date), None)
    if start is not None and end is not None and end < start:
        raise ScenarioError(obj.path("to"), f"{end.isoformat()} is before 'from' {start}")
    return Affiliation(
        person=obj.get("person", _string), entity=obj.get("entity", _string), start=start, end=end
    )


def _tie(value: object, path: str) -> Tie:
    obj = _Object(value, path, ("a", "b", "kind"))
    a, b = obj.get("a", _string), obj.get("b", _string)
    if a == b:
        raise ScenarioError(obj.path("b"), f"a tie needs two different people, got {a!r} twice")
    return Tie(a=a, b=b, kind=obj.opt("kind", _string, "other"))


# -- cross-references --------------------------------------------------------------------------


def _check_unique(items: Collection[TherapistInput | SeekerInput | Entity], name: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise ScenarioError(f"{name}[{index}].id", f"duplicate id {item.id!r}")
        seen.add(item.id)


def _check_references(scenario: Scenario) -> None:
    _check_unique(scenario.therapists, "therapists")
    _check_unique(scenario.seekers, "seekers")
    _check_unique(scenario.entities, "entities")
    known = {entity.id for entity in scenario.entities}
    for index, affiliation in enumerate(scenario.affiliations):
        if affiliation.entity not in known:
            raise ScenarioError(
                f"affiliations[{index}].entity", f"unknown entity {affiliation.entity!r}"
            )
    for index, seeker in enumerate(scenario.seekers):
        for position, entity_id in enumerate(seeker.exclude_entities):
            if entity_id not in known:
                raise ScenarioError(
                    f"seekers[{index}].exclude_entities[{position}]",
                    f"unknown entity {entity_id!r}",
                )


_TOP_FIELDS = ("description", "as_of", "therapists", "entities", "affiliations", "ties", "seekers")


def parse_scenario(data: object, *, today: date | None = None) -> Scenario:
    """Validate decoded JSON into a :class:`Scenario`; ``as_of`` defaults to ``today``."""
    obj = _Object(data, "", _TOP_FIELDS)
    obj.opt("description", _string, "")
    scenario = Scenario(
        as_of=obj.opt("as_of", _date, today or date.today()),
        therapists=obj.get("therapists", _list(_therapist)),
        seekers=obj.get("seekers", _list(_seeker)),
        entities=obj.opt("entities", _list(_entity), ()),
        affiliations=obj.opt("affiliations", _list(_affiliation), ()),
        ties=obj.opt("ties", _list(_tie), ()),
    )
    _check_references(scenario)
    return scenario


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def load_scenario(path: str) -> Scenario:
    """Read and validate a scenario file; every problem becomes a :class:`ScenarioError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(path, exc.strerror or "cannot be read") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:  # NaN/Infinity, huge integers, deep nesting
        raise ScenarioError(path, f"invalid JSON: {exc}") from None
    return parse_scenario(data)


def rank_scenario(
    scenario: Scenario, *, compacts: Compacts, limit: int = DEFAULT_LIMIT
) -> dict[str, list[dict[str, object]]]:
    """The ``rank`` output: every seeker's best matches, fit rounded to 2 decimals."""
    graph = scenario.graph()

    def entry(match: Match) -> dict[str, object]:
        return {"therapist": match.therapist, "fit": round(match.fit, 2), "why": list(match.why)}

    results: list[dict[str, object]] = [
        {
            "seeker": seeker.id,
            "matches": [
                entry(match)
                for match in rank(
                    seeker,
                    scenario.therapists,
                    graph,
                    compacts=compacts,
                    as_of=scenario.as_of,
                    limit=limit,
                )
            ],
        }
        for seeker in scenario.seekers
    ]
    return {"results": results}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run_rank(path: str) -> int:
    """``python -m holdspace.core rank FILE``: print the JSON, or one error line and exit 2."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = rank_scenario(scenario, compacts=load_compacts())
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def allocate_scenario(scenario: Scenario, *, compacts: Compacts) -> dict[str, object]:
    """The ``allocate`` output, checked by the independent validator before it is returned."""
    # Imported here so that ``rank`` never pays for loading OR-Tools and numpy.
    from holdspace.core.allocation import allocate
    from holdspace.core.validation import check_allocation

    graph = scenario.graph()
    allocation = allocate(
        scenario.seekers, scenario.therapists, graph, compacts=compacts, as_of=scenario.as_of
    )
    check_allocation(
        allocation.assignments,
        allocation.unmatched,
        seekers=scenario.seekers,
        therapists=scenario.therapists,
        graph=graph,
        compacts=compacts,
        as_of=scenario.as_of,
    )
    return allocation.to_json()


def run_allocate(path: str) -> int:
    """``python -m holdspace.core allocate FILE``: print the JSON, or one error line and exit 2."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = allocate_scenario(scenario, compacts=load_compacts())
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0
