"""The tie graph and the conflict rules (DESIGN.md "Conflict rules").

A (seeker, therapist) pair is excluded when any rule holds; each exclusion carries a reason code
for staff logs (never shown to either party). In precedence order:

``avoid_list``    the therapist is on the seeker's avoid list
``direct_tie``    a person-to-person tie, in either direction (or the same person)
``close_entity``  a shared close entity with affiliations in the 5-year window
``marked_entity`` the therapist is at an entity the seeker marked "exclude anyone there"
``two_hop_tie``   strict only: both are tied to the same person
``shared_entity`` strict only: any shared entity (wide ones too) in the 5-year window

For ranking many therapists, :func:`seeker_conflicts` walks the seeker's neighbourhood once and
returns every excluded person, so the per-therapist check is a dict lookup.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, date
from typing import Final

from holdspace.core.taxonomy import WIDE_ENTITY_KINDS

AVOID_LIST: Final = "avoid_list"
DIRECT_TIE: Final = "direct_tie"
CLOSE_ENTITY: Final = "close_entity"
MARKED_ENTITY: Final = "marked_entity"
TWO_HOP_TIE: Final = "two_hop_tie"
SHARED_ENTITY: Final = "shared_entity"
REASONS: Final = (AVOID_LIST, DIRECT_TIE, CLOSE_ENTITY, MARKED_ENTITY, TWO_HOP_TIE, SHARED_ENTITY)

WINDOW_YEARS: Final = 5
IDENTIFIER_KINDS: Final = ("email", "license", "name")


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Affiliation:
    """``person`` belonged to ``entity`` from ``start`` to ``end`` (None: unknown / still there)."""

    person: str
    entity: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    """An undirected person-to-person tie; ``kind`` is informational (any kind excludes)."""

    a: str
    b: str
    kind: str = "other"


_EMPTY: Final[tuple[Affiliation, ...]] = ()


class TieGraph:
    """People, entities, affiliations and ties, indexed by person and by entity."""

    __slots__ = ("_by_entity", "_by_person", "_kinds", "_neighbours")

    def __init__(
        self,
        entities: Iterable[Entity] = (),
        affiliations: Iterable[Affiliation] = (),
        ties: Iterable[Tie] = (),
    ) -> None:
        self._kinds: dict[str, str] = {}
        self._by_person: defaultdict[str, list[Affiliation]] = defaultdict(list)
        self._by_entity: defaultdict[str, list[Affiliation]] = defaultdict(list)
        self._neighbours: defaultdict[str, set[str]] = defaultdict(set)
        for entity in entities:
            self.add_entity(entity)
        for affiliation in affiliations:
            self.add_affiliation(affiliation)
        for tie in ties:
            self.add_tie(tie)

    def add_entity(self, entity: Entity) -> None:
        self._kinds[entity.id] = entity.kind

    def add_affiliation(self, affiliation: Affiliation) -> None:
        self._by_person[affiliation.person].append(affiliation)
        self._by_entity[affiliation.entity].append(affiliation)

    def add_tie(self, tie: Tie) -> None:
        if tie.a == tie.b:
            return
        self._neighbours[tie.a].add(tie.b)
        self._neighbours[tie.b].add(tie.a)

    def is_wide(self, entity_id: str) -> bool:
        # An entity of unknown kind might be a small unit, so only known wide kinds are wide.
        return self._kinds.get(entity_id) in WIDE_ENTITY_KINDS

    def neighbours(self, person: str) -> Collection[str]:
        return self._neighbours.get(person, frozenset())

    def affiliations_of(self, person: str) -> Sequence[Affiliation]:
        return self._by_person.get(person, _EMPTY)

    def affiliations_at(self, entity_id: str) -> Sequence[Affiliation]:
        return self._by_entity.get(entity_id, _EMPTY)

    # Enumeration, for merging many seekers' neighbourhoods into one batch graph and exporting it.
    def entities(self) -> Iterator[Entity]:
        return (Entity(id=node, kind=kind) for node, kind in self._kinds.items())

    def affiliations(self) -> Iterator[Affiliation]:
        return (a for affiliations in self._by_person.values() for a in affiliations)

    def ties(self) -> Iterator[Tie]:
        """Each tie once, its ends in sorted order."""
        return (Tie(a, b) for a, ns in self._neighbours.items() for b in ns if a < b)


@functools.lru_cache(maxsize=1 << 16)
def _plus_window(day: date) -> date:
    """``day`` plus the 5-year window (29 February lands on 28 February). Few distinct dates
    occur, so caching makes the scan over a large entity cheap."""
    year = day.year + WINDOW_YEARS
    if year > MAXYEAR:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=year, day=28)


def _span(affiliation: Affiliation, as_of: date) -> tuple[date, date]:
    # Unknown start: assume always there. No end: still there on as_of (or on its start, if later).
    start = affiliation.start or date.min
    end = affiliation.end or max(as_of, start)
    return start, end


def in_window(a: Affiliation, b: Affiliation, *, as_of: date) -> bool:
    """The affiliations overlap, or one ended less than 5 years before the other began."""
    a_start, a_end = _span(a, as_of)
    b_start, b_end = _span(b, as_of)
    return a_start < _plus_window(b_end) and b_start < _plus_window(a_end)


def _people_in_window(
    mine: Affiliation, others: Iterable[Affiliation], as_of: date
) -> Iterator[str]:
    """People whose affiliation is in the window of ``mine`` (``in_window``, unrolled for speed)."""
    my_start, my_end = _span(mine, as_of)
    latest_start = _plus_window(my_end)
    for theirs in others:
        start = theirs.start or date.min
        if start < latest_start and my_start < _plus_window(theirs.end or max(as_of, start)):
            yield theirs.person


@dataclass(frozen=True, slots=True)
class SeekerConflicts:
    """Everyone excluded for one seeker, with a reason, and who shares a wide entity."""

    excluded: Mapping[str, str]
    wide_shared: frozenset[str]

    def reason(self, therapist_id: str) -> str | None:
        return self.excluded.get(therapist_id)


def _shared_entities(seeker_id: str, graph: TieGraph, as_of: date) -> tuple[set[str], set[str]]:
    """People sharing a close, and a wide, entity with the seeker within the window."""
    close: set[str] = set()
    wide: set[str] = set()
    for mine in graph.affiliations_of(seeker_id):
        bucket = wide if graph.is_wide(mine.entity) else close
        bucket.update(_people_in_window(mine, graph.affiliations_at(mine.entity), as_of))
    close.discard(seeker_id)
    wide.discard(seeker_id)
    return close, wide


def _two_hops(seeker_id: str, graph: TieGraph) -> set[str]:
    return {
        person
        for friend in graph.neighbours(seeker_id)
        for person in graph.neighbours(friend)
        if person != seeker_id
    }


def seeker_conflicts(
    seeker_id: str,
    graph: TieGraph,
    *,
    strict: bool,
    avoid: Iterable[str],
    exclude_entities: Iterable[str],
    as_of: date,
) -> SeekerConflicts:
    """Collect every person excluded for this seeker in one pass over their neighbourhood."""
    excluded: dict[str, str] = {}

    def mark(people: Iterable[str], reason: str) -> None:
        for person in people:
            excluded.setdefault(person, reason)  # the first (highest-precedence) reason wins

    close, wide = _shared_entities(seeker_id, graph, as_of)
    mark(avoid, AVOID_LIST)
    # Nobody is matched with themselves (a therapist may also be a seeker).
    mark((seeker_id, *graph.neighbours(seeker_id)), DIRECT_TIE)
    mark(close, CLOSE_ENTITY)
    # "Exclude anyone there" ignores dates: the seeker asked for nobody from that place.
    for entity_id in exclude_entities:
        mark((a.person for a in graph.affiliations_at(entity_id)), MARKED_ENTITY)
    if strict:
        mark(_two_hops(seeker_id, graph), TWO_HOP_TIE)
        mark(wide, SHARED_ENTITY)
    return SeekerConflicts(
        excluded=excluded, wide_shared=frozenset(p for p in wide if p not in excluded)
    )


def _entity_overlap(
    seeker_id: str, therapist_id: str, graph: TieGraph, as_of: date
) -> tuple[bool, bool]:
    """Whether the pair shares a close, and a wide, entity within the window."""
    mine: defaultdict[str, list[Affiliation]] = defaultdict(list)
    for affiliation in graph.affiliations_of(seeker_id):
        mine[affiliation.entity].append(affiliation)
    close = wide = False
    for theirs in graph.affiliations_of(therapist_id):
        if any(in_window(m, theirs, as_of=as_of) for m in mine.get(theirs.entity, ())):
            if graph.is_wide(theirs.entity):
                wide = True
            else:
                close = True
    return close, wide


def conflict_reason(
    seeker_id: str,
    therapist_id: str,
    graph: TieGraph,
    *,
    strict: bool,
    avoid: Iterable[str],
    exclude_entities: Iterable[str],
    as_of: date,
) -> str | None:
    """The reason this one pair is excluded, or None. Cost is local to the two people."""
    if therapist_id in set(avoid):
        return AVOID_LIST
    if therapist_id == seeker_id or therapist_id in graph.neighbours(seeker_id):
        return DIRECT_TIE
    close, wide = _entity_overlap(seeker_id, therapist_id, graph, as_of)
    if close:
        return CLOSE_ENTITY
    marked = set(exclude_entities)
    if any(a.entity in marked for a in graph.affiliations_of(therapist_id)):
        return MARKED_ENTITY
    if strict:
        if set(graph.neighbours(seeker_id)) & set(graph.neighbours(therapist_id)):
            return TWO_HOP_TIE
        if wide:
            return SHARED_ENTITY
    return None


def shares_wide_entity(seeker_id: str, therapist_id: str, graph: TieGraph, *, as_of: date) -> bool:
    """Whether the pair shares a wide entity in the window (standard mode: lowers fit only)."""
    return _entity_overlap(seeker_id, therapist_id, graph, as_of)[1]


_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise_identifier(kind: str, value: str) -> str:
    """Canonical form of an avoid-list identifier, before it is keyed-hashed by the app.

    ``email``: no whitespace, case-folded. ``name``: whitespace collapsed, case-folded.
    ``license``: spaces and dashes removed, upper case. Raises ValueError on an unknown kind or an
    empty result (an empty identifier would match every other empty one).
    """
    text = unicodedata.normalize("NFKC", value)
    if kind == "email":
        result = "".join(text.split()).casefold()
    elif kind == "name":
        result = " ".join(text.split()).casefold()
    elif kind == "license":
        result = _DASHES.sub("", text).upper()
    else:
        raise ValueError(f"unknown identifier kind {kind!r}; expected one of {IDENTIFIER_KINDS}")
    if not result:
        raise ValueError(f"empty {kind}")
    return result
