"""Batch allocation: place many seekers with limited therapist capacity, exactly and fairly.

Candidate pairs are every eligible, conflict-free (seeker, therapist) pair, with ranking's fit;
:func:`candidate_pairs` builds them as numpy arrays (licensure per therapist and seeker location,
conflicts per seeker, fit as array arithmetic), equal to the per-pair core functions.

The assignment is a sequence of flow problems solved by OR-Tools on numpy arrays. Nodes: one per
seeker, one per therapist, and a sink. A pair is a seeker -> therapist arc (capacity 1) costing
``FIT_SCALE - round(fit * FIT_SCALE)``: fit kept to 6 decimals, never 2. The objective is
lexicographic:

1. place as many seekers as possible, weighting by ``priority``. Placement weights are
   ``1 + round(priority * PRIORITY_SCALE)``. Every weight is positive, and the sets of seekers a
   placement can cover form a (transversal) matroid. So a maximum-weight placement is also a
   maximum-count one, and among those it places the higher-priority seekers first. Matroids also
   give the fact used below: every maximum-weight placement places the same number of seekers
   of each weight (the "levels"). One min-cost flow finds them, with an "unmatched" arc per
   seeker to the sink (costing its weight) so that the solver always has an answer;
2. the LP bound: the most total fit among those placements. Each level becomes a node that
   must send its count of seekers, so every feasible flow is an optimal placement and only fit
   is left to optimise. ``lp_bound - total_fit`` is the price of fairness;
3. raise the worst-off placed seeker's fit: a binary search over the distinct fit values finds
   the highest floor at which the pairs at or above it still carry every level's count (a max
   flow, ``SimpleMaxFlow``, which is cheap). The floor's price (``lp_bound`` minus the best
   total above it) is capped at ``fairness_price`` of ``lp_bound`` (1% by default): when the
   highest floor costs more, a second binary search (min-cost flows) finds the highest floor
   within the cap;
4. maximise total fit among the pairs at or above that floor, with one therapist -> sink arc
   per slot of capacity, the k-th costing ``k * LOAD_STEP``. These rising costs per filled slot
   spread equal fits across therapists instead of filling one.

The solver never sees most pairs. Each network starts from the best ``_FIRST_ARCS`` pairs of
each seeker. A min-cost solution is then checked against *all* allowed pairs: node potentials
(shortest distances in its residual network) prove it optimal unless some left-out pair has a
negative reduced cost. A max flow is checked with its minimum cut, and is maximal unless some
left-out pair crosses the cut. Those pairs join (a few per seeker, the most promising first) and
the network is solved again. Each answer is therefore the exact answer over all pairs, not a
heuristic one. On the benchmarks the networks hold 4-10% of the pairs.

Seekers and therapists are numbered in id order, so the same input always gives the same
result whatever the order of the file.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from ortools.graph.python import (  # type: ignore[import-untyped]  # no py.typed
    max_flow,
    min_cost_flow,
)

from holdspace.core.compacts import Compacts
from holdspace.core.conflicts import Affiliation, TieGraph, seeker_conflicts
from holdspace.core.eligibility import (
    SeekerInput,
    TherapistInput,
    in_person_allowed,
    remote_allowed,
)
from holdspace.core.geo import EARTH_RADIUS_KM, zip_centroid
from holdspace.core.ranking import (
    FULL_EXPERIENCE_YEARS,
    SLIDING_SCALE_SCORE,
    WEIGHTS,
    WIDE_ENTITY_PENALTY,
)
from holdspace.core.taxonomy import IN_PERSON_FORMATS, REMOTE_FORMATS

type IntArray = npt.NDArray[np.int64]
type Int32Array = npt.NDArray[np.int32]

FIT_SCALE: Final = 1_000_000  # fit as an integer number of millionths
PRIORITY_SCALE: Final = 1_000  # priorities closer than 0.0005 count as equal
LOAD_STEP: Final = 1  # cost (in millionths of fit) of each further slot filled at a therapist
# Raising the worst-off seeker's fit may cost at most this share of the max-sum total (issue 7:
# "total fit within 1% of the max-sum optimum"); on program-sized instances it rarely binds.
FAIRNESS_PRICE: Final = 0.01


class AllocationError(RuntimeError):
    """The solver could not produce an allocation (an internal fault, not bad input)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    seeker: str
    therapist: str
    fit: float


@dataclass(frozen=True, slots=True)
class AllocationStats:
    matched: int
    total_fit: float
    min_fit: float | None  # None when nobody is placed
    lp_bound: float
    seconds: float


@dataclass(frozen=True, slots=True)
class Allocation:
    assignments: tuple[Assignment, ...]  # sorted by seeker id
    unmatched: tuple[str, ...]  # sorted
    stats: AllocationStats

    def to_json(self) -> dict[str, object]:
        """DESIGN.md's ``allocate`` output; fits rounded to 2 decimals here only."""
        stats = self.stats
        return {
            "assignments": [
                {"seeker": a.seeker, "therapist": a.therapist, "fit": round(a.fit, 2)}
                for a in self.assignments
            ],
            "unmatched": list(self.unmatched),
            "stats": {
                "matched": stats.matched,
                "total_fit": round(stats.total_fit, 2),
                "min_fit": None if stats.min_fit is None else round(stats.min_fit, 2),
                "lp_bound": round(stats.lp_bound, 2),
                "seconds": round(stats.seconds, 3),
            },
        }


@dataclass(frozen=True, slots=True)
class _Pairs:
    """Eligible, conflict-free pairs as parallel arrays (seeker and therapist indices)."""

    seeker: Int32Array
    therapist: Int32Array
    score: IntArray  # round(fit * FIT_SCALE)
    fit: npt.NDArray[np.float64]


def candidate_pairs(
    seekers: Sequence[SeekerInput],
    therapists: Sequence[TherapistInput],
    graph: TieGraph,
    *,
    compacts: Compacts,
    as_of: date,
) -> _Pairs:
    """Every (seeker index, therapist index) pair that is eligible and free of conflicts, with
    its fit, in (seeker, therapist) order.

    Vectorised, but every rule is the core's own: licensure is decided by
    :func:`~holdspace.core.eligibility.remote_allowed` and
    :func:`~holdspace.core.eligibility.in_person_allowed` once per therapist and seeker location
    (not per pair), travel distances from :mod:`holdspace.core.geo`'s centroids (numpy settles
    pairs clearly inside or outside the limit; the few within a hair of it go to
    ``in_person_allowed``), conflicts by
    :func:`~holdspace.core.conflicts.seeker_conflicts` once per seeker, and fit repeats
    :mod:`holdspace.core.ranking`'s arithmetic operation by operation, so it is the same float.
    Tests compare all three with the per-pair functions on random instances.
    """
    side = _TherapistArrays(therapists, compacts)
    wants = _SeekerArrays(seekers, side)
    n_therapists = len(therapists)
    forbidden, wide = _conflict_keys(seekers, side.index, n_therapists, graph, as_of)
    block = max(1, _BLOCK_CELLS // max(1, n_therapists))
    chunks: list[_Pairs] = []
    for first in range(0, len(seekers), block):
        rows = slice(first, min(len(seekers), first + block))
        workable = _workable(wants, side, rows, seekers, therapists)
        # Conflicted pairs are removed afterwards: a sparse set, usually about 1% of pairs.
        base = first * n_therapists
        end = rows.stop * n_therapists
        low, high = np.searchsorted(forbidden, [base, end])
        cut = forbidden[low:high] - base
        workable.reshape(-1)[cut] = 0
        local_seeker, therapist = np.nonzero(workable)
        keys = (local_seeker + first).astype(np.int64) * n_therapists + therapist
        chunks.append(
            _fits(
                wants,
                side,
                seeker=(local_seeker + first).astype(np.int32),
                therapist=therapist.astype(np.int32),
                workable=workable[local_seeker, therapist],
                wide=_member(keys, wide),
            )
        )
    if not chunks:
        return _fits(
            wants,
            side,
            seeker=np.zeros(0, dtype=np.int32),
            therapist=np.zeros(0, dtype=np.int32),
            workable=np.zeros(0, dtype=np.uint8),
            wide=np.zeros(0, dtype=np.bool_),
        )
    return _Pairs(
        seeker=np.concatenate([c.seeker for c in chunks]),
        therapist=np.concatenate([c.therapist for c in chunks]),
        score=np.concatenate([c.score for c in chunks]),
        fit=np.concatenate([c.fit for c in chunks]),
    )


# -- vectorised eligibility and fit (see candidate_pairs) ---------------------------------------

_BLOCK_CELLS: Final = 4_000_000  # seeker x therapist cells examined at once (bounds memory)
_DISTANCE_MARGIN_KM: Final = 1e-6  # numpy's haversine may differ from math's in the last bits
_FORMAT_BITS: Final = {
    name: 1 << n for n, name in enumerate(sorted(REMOTE_FORMATS | IN_PERSON_FORMATS))
}
_REMOTE_MASK: Final = sum(_FORMAT_BITS[f] for f in REMOTE_FORMATS)
_IN_PERSON_MASK: Final = sum(_FORMAT_BITS[f] for f in IN_PERSON_FORMATS)

type UInt64Array = npt.NDArray[np.uint64]
type FloatArray = npt.NDArray[np.float64]
type BoolArray = npt.NDArray[np.bool_]


class _Vocabulary:
    """Strings numbered on first sight; sets of them as rows of 64-bit words."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}

    def add(self, items: Iterable[str]) -> None:
        for item in items:
            self.number.setdefault(item, len(self.number))

    @property
    def words(self) -> int:
        return max(1, -(-len(self.number) // 64))

    def encode(self, sets: Sequence[Iterable[str]]) -> UInt64Array:
        rows = np.zeros((len(sets), self.words), dtype=np.uint64)
        for row, items in enumerate(sets):
            for item in items:
                n = self.number.get(item)
                if n is not None:
                    rows[row, n // 64] |= np.uint64(1 << (n % 64))
        return rows


def _common(a: UInt64Array, b: UInt64Array) -> npt.NDArray[np.int64]:
    """How many members each pair of rows (already gathered per pair) has in common."""
    return np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)


def _format_bits(formats: Iterable[str]) -> int:
    return sum({_FORMAT_BITS[f] for f in formats if f in _FORMAT_BITS})


class _TherapistArrays:
    def __init__(self, therapists: Sequence[TherapistInput], compacts: Compacts) -> None:
        self.therapists = therapists
        self.compacts = compacts
        # Ids should be unique; if one repeats, every therapist with it shares its conflicts.
        self.index: dict[str, list[int]] = {}
        for j, t in enumerate(therapists):
            self.index.setdefault(t.id, []).append(j)
        self.focus = _Vocabulary()
        self.modalities = _Vocabulary()
        self.languages = _Vocabulary()
        self.professions = _Vocabulary()
        for t in therapists:
            self.focus.add(t.focus)
            self.modalities.add(t.modalities)
            self.languages.add(t.languages)
            self.professions.add(t.professions_served)
        # A closed therapist offers no format, so no pair with them is ever eligible.
        self.formats = np.asarray(
            [_format_bits(t.formats) if t.accepting and t.capacity > 0 else 0 for t in therapists],
            dtype=np.uint8,
        )
        self.focus_bits = self.focus.encode([t.focus for t in therapists])
        self.modality_bits = self.modalities.encode([t.modalities for t in therapists])
        self.language_bits = self.languages.encode([t.languages for t in therapists])
        self.served_bits = self.professions.encode([t.professions_served for t in therapists])
        self.serves_any = np.asarray([bool(t.professions_served) for t in therapists])
        self.fee = np.asarray([float(t.fee) for t in therapists], dtype=np.float64)
        self.sliding = np.asarray([t.sliding_scale for t in therapists], dtype=np.bool_)
        # ranking's experience term, computed by the same expression
        self.experience = np.asarray(
            [
                WEIGHTS["experience"]
                * min(max(0, t.clinician_experience_years), FULL_EXPERIENCE_YEARS)
                / FULL_EXPERIENCE_YEARS
                for t in therapists
            ],
            dtype=np.float64,
        )
        office_zips = [t.office.zip if t.office is not None else None for t in therapists]
        self.office_lat, self.office_lon = _centroids(office_zips)
        # Licensure per (seeker location, therapist), filled in by ``location_rows``.
        self.remote = np.zeros((0, len(therapists)), dtype=np.bool_)
        self.in_person = np.zeros((0, len(therapists)), dtype=np.bool_)

    def location_rows(self, locations: Sequence[str]) -> None:
        """For each location: who may see a client there remotely, and who in person (before
        distance). Decided by the core's functions, once per credential signature."""
        by_signature: dict[tuple[object, ...], list[int]] = {}
        for j, t in enumerate(self.therapists):
            signature = (t.profession, t.licenses, t.home, t.authorizations)
            by_signature.setdefault(signature, []).append(j)
        by_office: dict[str, list[int]] = {}
        for j, t in enumerate(self.therapists):
            if t.office is not None:
                by_office.setdefault(t.office.jurisdiction, []).append(j)
        self.remote = np.zeros((len(locations), len(self.therapists)), dtype=np.bool_)
        self.in_person = np.zeros_like(self.remote)
        for row, location in enumerate(locations):
            probe = SeekerInput(id="", location=location, formats=())
            for members in by_signature.values():
                if remote_allowed(self.therapists[members[0]], probe, compacts=self.compacts):
                    self.remote[row, members] = True
            for j in by_office.get(location, ()):
                # max_km None: the office and the right to practise there, before distance
                self.in_person[row, j] = in_person_allowed(
                    self.therapists[j], probe, compacts=self.compacts
                )


class _SeekerArrays:
    def __init__(self, seekers: Sequence[SeekerInput], side: _TherapistArrays) -> None:
        locations: dict[str, int] = {}
        self.location = np.asarray(
            [locations.setdefault(s.location, len(locations)) for s in seekers], dtype=np.int64
        )
        side.location_rows(list(locations))
        self.formats = np.asarray([_format_bits(s.formats) for s in seekers], dtype=np.uint8)
        self.n_formats = _sizes([s.formats for s in seekers])
        self.n_concerns = _sizes([s.concerns for s in seekers])
        self.n_modalities = _sizes([s.modalities for s in seekers])
        self.n_languages = _sizes([s.languages for s in seekers])
        self.concern_bits = side.focus.encode([s.concerns for s in seekers])
        self.modality_bits = side.modalities.encode([s.modalities for s in seekers])
        self.language_bits = side.languages.encode([s.languages for s in seekers])
        self.has_budget = np.asarray([s.max_fee is not None for s in seekers], dtype=np.bool_)
        self.max_fee = np.asarray(
            [0.0 if s.max_fee is None else float(s.max_fee) for s in seekers], dtype=np.float64
        )
        # A profession no therapist serves gets a number past every therapist's bits.
        professions = side.professions.number
        self.profession = np.asarray(
            [
                -1 if s.profession is None else professions.get(s.profession, 64 * 1024)
                for s in seekers
            ],
            dtype=np.int64,
        )
        self.has_limit = np.asarray([s.max_km is not None for s in seekers], dtype=np.bool_)
        self.max_km = np.asarray(
            [0.0 if s.max_km is None else float(s.max_km) for s in seekers], dtype=np.float64
        )
        self.zip = [s.zip for s in seekers]
        self.lat, self.lon = _centroids(self.zip)


def _sizes(collections: Sequence[Iterable[str]]) -> npt.NDArray[np.int64]:
    return np.asarray([len(frozenset(c)) for c in collections], dtype=np.int64)


def _centroids(zips: Sequence[str | None]) -> tuple[FloatArray, FloatArray]:
    lat = np.full(len(zips), np.nan)
    lon = np.full(len(zips), np.nan)
    for n, code in enumerate(zips):
        centroid = zip_centroid(code) if code is not None else None
        if centroid is not None:
            lat[n], lon[n] = centroid.lat, centroid.lon
    return lat, lon


def _haversine_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return distance


def _workable(
    wants: _SeekerArrays,
    side: _TherapistArrays,
    rows: slice,
    seekers: Sequence[SeekerInput],
    therapists: Sequence[TherapistInput],
) -> npt.NDArray[np.uint8]:
    """The workable formats (bits) of every seeker in ``rows`` with every therapist."""
    offered = wants.formats[rows, None] & side.formats[None, :]
    location = wants.location[rows]
    workable = np.where(side.remote[location], offered & np.uint8(_REMOTE_MASK), np.uint8(0))
    in_person = np.where(side.in_person[location], offered & np.uint8(_IN_PERSON_MASK), np.uint8(0))
    local, j = np.nonzero(in_person)
    if len(local):
        i = local + rows.start
        limited, limit = wants.has_limit[i], wants.max_km[i]
        distance = _haversine_km(wants.lat[i], wants.lon[i], side.office_lat[j], side.office_lon[j])
        # No limit: fine. Unknown ZIP or centroid (NaN distance): never in person.
        ok = ~limited | (distance <= limit - _DISTANCE_MARGIN_KM)
        unsure = limited & (np.abs(distance - limit) <= _DISTANCE_MARGIN_KM)
        for n in np.flatnonzero(unsure):
            ok[n] = in_person_allowed(therapists[j[n]], seekers[i[n]], compacts=side.compacts)
        in_person[local[~ok], j[~ok]] = 0
    workable |= in_person
    result: npt.NDArray[np.uint8] = workable.astype(np.uint8, copy=False)
    return result


class _TherapistView(TieGraph):
    """The tie graph as :func:`seeker_conflicts` needs it when only therapists can be excluded.

    Identical except that an entity's members are only its therapists' affiliations, so a
    seeker's scan of a health system with thousands of members costs its few therapists. The
    answer for every therapist is unchanged: each rule compares the seeker's own affiliations
    and ties (read from the full graph) with the therapist's.
    """

    __slots__ = ("_at", "_graph")

    def __init__(self, graph: TieGraph, therapist_ids: Iterable[str]) -> None:
        super().__init__()
        self._graph = graph
        self._at: defaultdict[str, list[Affiliation]] = defaultdict(list)
        for therapist_id in therapist_ids:
            for affiliation in graph.affiliations_of(therapist_id):
                self._at[affiliation.entity].append(affiliation)

    def is_wide(self, entity_id: str) -> bool:
        return self._graph.is_wide(entity_id)

    def neighbours(self, person: str) -> Collection[str]:
        return self._graph.neighbours(person)

    def affiliations_of(self, person: str) -> Sequence[Affiliation]:
        return self._graph.affiliations_of(person)

    def affiliations_at(self, entity_id: str) -> Sequence[Affiliation]:
        return self._at.get(entity_id, ())


def _conflict_keys(
    seekers: Sequence[SeekerInput],
    index: Mapping[str, list[int]],
    n: int,
    graph: TieGraph,
    as_of: date,
) -> tuple[IntArray, IntArray]:
    """Sorted pair keys (seeker * n + therapist): excluded, and sharing a wide entity."""
    graph = _TherapistView(graph, index)
    excluded: list[int] = []
    wide: list[int] = []
    for i, seeker in enumerate(seekers):
        conflicts = seeker_conflicts(
            seeker.id,
            graph,
            strict=seeker.strict,
            avoid=seeker.avoid,
            exclude_entities=seeker.exclude_entities,
            as_of=as_of,
        )
        excluded.extend(i * n + j for p in conflicts.excluded for j in index.get(p, ()))
        wide.extend(i * n + j for p in conflicts.wide_shared for j in index.get(p, ()))
    return np.unique(np.asarray(excluded, dtype=np.int64)), np.unique(
        np.asarray(wide, dtype=np.int64)
    )


def _member(keys: IntArray, sorted_keys: IntArray) -> BoolArray:
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    found: BoolArray = sorted_keys[at] == keys
    return found


def _fits(
    wants: _SeekerArrays,
    side: _TherapistArrays,
    *,
    seeker: Int32Array,
    therapist: Int32Array,
    workable: npt.NDArray[np.uint8],
    wide: BoolArray,
) -> _Pairs:
    """ranking._fit for every pair, as the same sequence of float operations."""
    i, j = seeker, therapist
    # concerns: share of the seeker's concerns in the therapist's focus, or 1 if none given
    n = wants.n_concerns[i]
    concerns = np.where(
        n > 0, _common(wants.concern_bits[i], side.focus_bits[j]) / np.maximum(n, 1), 1.0
    )
    # modalities: open to any = 1; else 0.5 + 0.5 * share if any is offered, else 0
    n = wants.n_modalities[i]
    common = _common(wants.modality_bits[i], side.modality_bits[j])
    modalities = np.where(
        n == 0, 1.0, np.where(common > 0, 0.5 + 0.5 * (common / np.maximum(n, 1)), 0.0)
    )
    # fee: within budget (or no budget) = 1; sliding scale; else falling with the overshoot
    budget, fee = wants.max_fee[i], side.fee[j]
    with np.errstate(invalid="ignore"):  # NaN behaves as in Python: max(0.0, nan) is 0.0
        within = ~wants.has_budget[i] | (fee <= budget)
        over = (fee - budget) / np.maximum(budget, 1.0)
        fees = np.where(
            within,
            1.0,
            np.where(side.sliding[j], SLIDING_SCALE_SCORE, np.fmax(0.0, 0.5 * (1.0 - over))),
        )
    # language: any in common, or 1 if the seeker named none
    n = wants.n_languages[i]
    languages = np.where(
        n == 0, 1.0, (_common(wants.language_bits[i], side.language_bits[j]) > 0).astype(float)
    )
    # formats: share of the seeker's formats that are workable
    n = wants.n_formats[i]
    formats = np.where(n > 0, np.bitwise_count(workable) / np.maximum(n, 1), 1.0)
    # profession served: unknown profession = 0.5 if the therapist serves any profession
    profession = wants.profession[i]
    known = (profession >= 0) & (profession < 64 * side.served_bits.shape[1])
    word = np.where(known, profession // 64, 0)
    bit = np.where(known, profession % 64, 0).astype(np.uint64)
    served = ((side.served_bits[j, word] >> bit) & np.uint64(1)).astype(bool) & known
    professions = np.where(
        profession < 0, np.where(side.serves_any[j], 0.5, 0.0), served.astype(float)
    )
    fit = (
        WEIGHTS["concerns"] * concerns
        + WEIGHTS["modalities"] * modalities
        + WEIGHTS["fee"] * fees
        + WEIGHTS["language"] * languages
        + WEIGHTS["format"] * formats
        + side.experience[j]
        + WEIGHTS["profession"] * professions
    )
    fit = np.where(wide, fit - WIDE_ENTITY_PENALTY, fit)
    fit = np.fmin(1.0, np.fmax(0.0, fit))  # min(1.0, max(0.0, fit)), NaN included
    return _Pairs(
        seeker=seeker,
        therapist=therapist,
        score=np.rint(fit * FIT_SCALE).astype(np.int64),
        fit=fit,
    )


# -- the flow problems ---------------------------------------------------------------------------
#
# Node numbers: seekers 0..S-1, therapists S..S+T-1, the sink S+T, then (level formulation) one
# node per distinct placement weight, and (max-flow) a source.

_FIRST_ARCS: Final = 16  # pairs per seeker (best fits first) in the first restricted network
_MORE_ARCS: Final = 16  # at most this many violating pairs per seeker are added per round


def _solve_min_cost_flow(
    tails: Int32Array,
    heads: Int32Array,
    capacities: IntArray,
    costs: IntArray,
    supplies: IntArray,
) -> IntArray:
    """One place OR-Tools' min-cost flow is called (its bindings are only partly typed)."""
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = np.asarray(
        solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs),
        dtype=np.int32,
    )
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = solver.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise AllocationError(f"min-cost flow did not solve: {status}")
    return np.asarray(solver.flows(arcs), dtype=np.int64)


def _solve_max_flow(
    tails: Int32Array, heads: Int32Array, capacities: IntArray, source: int, sink: int
) -> tuple[IntArray, BoolArray]:
    """OR-Tools' max flow: arc flows, and which nodes are on the source side of a min cut."""
    solver = max_flow.SimpleMaxFlow()
    arcs = np.asarray(solver.add_arcs_with_capacity(tails, heads, capacities), dtype=np.int32)
    status = solver.solve(source, sink)
    if status != max_flow.SimpleMaxFlow.OPTIMAL:
        raise AllocationError(f"max flow did not solve: {status}")
    source_side = np.zeros(max(source, sink) + 1, dtype=np.bool_)
    source_side[np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)] = True
    return np.asarray(solver.flows(arcs), dtype=np.int64), source_side


def _potentials(
    tails: Int32Array,
    heads: Int32Array,
    capacities: IntArray,
    costs: IntArray,
    flows: IntArray,
    n_nodes: int,
) -> IntArray:
    """Node potentials proving a flow optimal: shortest distances in its residual network.

    Bellman-Ford from a virtual root joined to every node at cost 0, vectorised per round. The
    residual network of an optimal flow has no negative cycle, so this ends within ``n_nodes``
    rounds (in practice a few dozen) and every residual arc then has ``cost + d[tail] - d[head]
    >= 0``: the certificate that :meth:`_Network.certified` checks the left-out pairs against.
    """
    forward = flows < capacities
    backward = flows > 0
    tail = np.concatenate([tails[forward], heads[backward]]).astype(np.int64)
    head = np.concatenate([heads[forward], tails[backward]]).astype(np.int64)
    cost = np.concatenate([costs[forward], -costs[backward]])
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    targets, starts = np.unique(head, return_index=True)
    distance = np.zeros(n_nodes, dtype=np.int64)
    if not len(targets):
        return distance
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(distance[tail] + cost, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    raise AllocationError("the solver's flow is not optimal (negative cycle); this is a bug")


@dataclass(frozen=True, slots=True)
class _Levels:
    """The placement structure every optimal placement shares (see the module docstring)."""

    of_seeker: IntArray  # each seeker's level number
    count: IntArray  # seekers to place at each level
    weight: int  # the optimal placement weight


class _Network:
    """Flow networks over a growing subset of the candidate pairs, each solution certified.

    Every solve uses only the ``active`` pairs (at first the best few per seeker). A min-cost
    solution is then proved optimal over *all* allowed pairs with node potentials; pairs whose
    reduced cost is negative are added and the network is solved again. A max-flow that falls
    short is proved short over all allowed pairs with its minimum cut. So each answer is exactly
    the answer on the full set of pairs, while the solver sees a small fraction of them.
    """

    def __init__(self, weights: IntArray, capacities: IntArray, pairs: _Pairs) -> None:
        self.weights = weights
        self.capacities = capacities
        self.pairs = pairs
        self.n_seekers = s = len(weights)
        self.n_therapists = len(capacities)
        self.sink = s + self.n_therapists
        self.pair_tail = pairs.seeker.astype(np.int32)
        self.pair_head = (pairs.therapist.astype(np.int64) + s).astype(np.int32)
        # Each seeker's pairs, best fit first: the rank of each pair in that order.
        # Pairs come in seeker order, so sorting a combined key (seeker, then best fit first)
        # keeps each seeker's block in place; the sort is deterministic for the same input.
        key = pairs.seeker.astype(np.int64) * (FIT_SCALE + 1) + (FIT_SCALE - pairs.score)
        order = np.argsort(key)
        starts = np.searchsorted(pairs.seeker, np.arange(s))
        self.rank = np.empty(len(order), dtype=np.int32)  # below the number of therapists
        self.rank[order] = np.arange(len(order)) - starts[pairs.seeker]
        self.active = self.rank < _FIRST_ARCS
        self.solves = 0

    # -- building blocks ------------------------------------------------------------------------

    def _therapist_arcs(self, *, load: bool) -> tuple[Int32Array, IntArray, IntArray]:
        """Therapist -> sink: one arc of full capacity, or one per slot with rising cost."""
        s, t = self.n_seekers, self.n_therapists
        therapists = np.arange(t, dtype=np.int64)
        if not load:
            return (s + therapists).astype(np.int32), self.capacities, np.zeros(t, np.int64)
        # A therapist never needs more slots than there are seekers.
        slots = np.minimum(self.capacities, s)
        first = np.cumsum(slots) - slots
        rank = np.arange(int(slots.sum()), dtype=np.int64) - np.repeat(first, slots)
        tails = (s + np.repeat(therapists, slots)).astype(np.int32)
        return tails, np.ones(len(tails), dtype=np.int64), rank * LOAD_STEP

    def _add_violators(
        self, candidates: BoolArray, order: npt.NDArray[np.signedinteger[Any]]
    ) -> bool:
        """Activate the candidate pairs that come first by ``order``, a few per seeker; False
        if there are none."""
        bad = np.flatnonzero(candidates)
        if not len(bad):
            return False
        bad = bad[np.lexsort((order[bad], self.pairs.seeker[bad]))]
        seeker = self.pairs.seeker[bad]
        rank = np.arange(len(bad)) - np.searchsorted(seeker, seeker)
        self.active[bad[rank < _MORE_ARCS]] = True
        return True

    def certified(
        self,
        allowed: BoolArray,
        pair_costs: IntArray,
        *,
        levels: _Levels | None,
        load: bool,
    ) -> IntArray:
        """Min-cost flow over the allowed pairs; returns the indices of the pairs used.

        Without ``levels``: every seeker may go unplaced at a cost of its placement weight (the
        placement problem). With them: each level's count of seekers must be placed (every
        solution is then an optimal placement) and only ``pair_costs`` and load matter.
        """
        s, sink = self.n_seekers, self.sink
        seekers = np.arange(s, dtype=np.int32)
        slot_tails, slot_caps, slot_costs = self._therapist_arcs(load=load)
        if levels is None:
            n_nodes = sink + 1
            lead_tails, lead_heads = seekers, np.full(s, sink, dtype=np.int32)
            lead_costs = self.weights
            supplies = np.zeros(n_nodes, dtype=np.int64)
            supplies[:s] = 1
            supplies[sink] = -s
        else:
            n_levels = len(levels.count)
            n_nodes = sink + 1 + n_levels
            lead_tails = (sink + 1 + levels.of_seeker).astype(np.int32)
            lead_heads = seekers
            lead_costs = np.zeros(s, dtype=np.int64)
            supplies = np.zeros(n_nodes, dtype=np.int64)
            supplies[sink + 1 :] = levels.count
            supplies[sink] = -int(levels.count.sum())
        while True:
            use = np.flatnonzero(allowed & self.active)
            tails = np.concatenate([lead_tails, self.pair_tail[use], slot_tails])
            heads = np.concatenate(
                [lead_heads, self.pair_head[use], np.full(len(slot_tails), sink, np.int32)]
            )
            caps = np.concatenate(
                [np.ones(s, dtype=np.int64), np.ones(len(use), dtype=np.int64), slot_caps]
            )
            costs = np.concatenate([lead_costs, pair_costs[use], slot_costs])
            flows = _solve_min_cost_flow(tails, heads, caps, costs, supplies)
            self.solves += 1
            distance = _potentials(tails, heads, caps, costs, flows, n_nodes)
            reduced = pair_costs + distance[self.pair_tail] - distance[self.pair_head]
            if not self._add_violators(allowed & ~self.active & (reduced < 0), reduced):
                used: IntArray = use[flows[s : s + len(use)] > 0]
                return used

    def max_placement(self, allowed: BoolArray, levels: _Levels | None) -> IntArray:
        """A largest placement using only the allowed pairs: the indices of the pairs used.

        A max flow from a source to each seeker (or, with ``levels``, to each level, which may
        place at most its count). A flow is confirmed maximal over all allowed pairs by its
        minimum cut: when an allowed pair crosses the cut, the crossing pairs join and the flow
        is solved again.
        """
        s, sink = self.n_seekers, self.sink
        seekers = np.arange(s, dtype=np.int32)
        therapist_tails = (s + np.arange(self.n_therapists)).astype(np.int32)
        if levels is None:
            source = sink + 1
            lead_tails = np.full(s, source, dtype=np.int32)
            lead_heads, lead_caps = seekers, np.ones(s, dtype=np.int64)
        else:
            n_levels = len(levels.count)
            source = sink + 1 + n_levels
            level_nodes = np.arange(sink + 1, source, dtype=np.int32)
            lead_tails = np.concatenate(
                [
                    np.full(n_levels, source, np.int32),
                    (sink + 1 + levels.of_seeker).astype(np.int32),
                ]
            )
            lead_heads = np.concatenate([level_nodes, seekers])
            lead_caps = np.concatenate([levels.count, np.ones(s, dtype=np.int64)])
        while True:
            use = np.flatnonzero(allowed & self.active)
            tails = np.concatenate([lead_tails, self.pair_tail[use], therapist_tails])
            heads = np.concatenate(
                [lead_heads, self.pair_head[use], np.full(self.n_therapists, sink, np.int32)]
            )
            caps = np.concatenate([lead_caps, np.ones(len(use), dtype=np.int64), self.capacities])
            flows, source_side = _solve_max_flow(tails, heads, caps, source, sink)
            self.solves += 1
            crossing = (
                allowed & ~self.active & source_side[self.pair_tail] & ~source_side[self.pair_head]
            )
            if not self._add_violators(crossing, self.rank):
                used: IntArray = use[flows[len(lead_tails) : len(lead_tails) + len(use)] > 0]
                return used


def _placement_weights(seekers: Sequence[SeekerInput]) -> IntArray:
    priorities = np.asarray([min(1.0, max(0.0, s.priority)) for s in seekers], dtype=np.float64)
    weights: IntArray = 1 + np.rint(priorities * PRIORITY_SCALE).astype(np.int64)
    return weights


def _levels(weights: IntArray, placed: npt.NDArray[np.signedinteger[Any]]) -> _Levels:
    """Counts per placement weight of one optimal placement (the same for all of them)."""
    values, of_seeker = np.unique(weights, return_inverse=True)
    count = np.bincount(of_seeker[placed], minlength=len(values)).astype(np.int64)
    return _Levels(
        of_seeker=of_seeker.astype(np.int64), count=count, weight=int(weights[placed].sum())
    )


def allocate(
    seekers: Iterable[SeekerInput],
    therapists: Iterable[TherapistInput],
    graph: TieGraph,
    *,
    compacts: Compacts,
    as_of: date,
    fairness_price: float = FAIRNESS_PRICE,
) -> Allocation:
    """Place seekers with therapists; see the module docstring for the objective.

    ``fairness_price``: the share of ``lp_bound`` that raising the floor may cost at most
    (1.0: no limit, the floor is as high as the placement allows)."""
    started = time.perf_counter()
    seeker_list = sorted(seekers, key=lambda s: s.id)
    therapist_list = sorted(therapists, key=lambda t: t.id)
    pairs = candidate_pairs(seeker_list, therapist_list, graph, compacts=compacts, as_of=as_of)
    capacities = np.asarray([max(0, t.capacity) for t in therapist_list], dtype=np.int64)
    weights = _placement_weights(seeker_list)
    network = _Network(weights, capacities, pairs)
    everything = np.ones(len(pairs.score), dtype=np.bool_)
    fit_costs = FIT_SCALE - pairs.score

    # (1) the best weighted placement: how many seekers of each weight every optimum places.
    # A largest placement by count first, so that the weighted solve starts from one.
    network.active[network.max_placement(everything, None)] = True
    zero = np.zeros(len(pairs.score), dtype=np.int64)
    placement = network.certified(everything, zero, levels=None, load=False)
    levels = _levels(weights, pairs.seeker[placement])

    # (2) the max-sum fit for that placement: the LP bound.
    unbounded = network.certified(everything, fit_costs, levels=levels, load=False)

    # (3) the highest fit floor that keeps that placement: binary search over distinct fits.
    scores = np.flatnonzero(np.bincount(pairs.score, minlength=FIT_SCALE + 1))
    lowest = highest = 0  # indices into ``scores``: the max-sum floor, the highest feasible one
    witness = unbounded
    if len(unbounded):
        lowest = highest = int(np.searchsorted(scores, pairs.score[unbounded].min()))
        top = len(scores) - 1
        while highest < top:
            middle = (highest + top + 1) // 2
            found = network.max_placement(pairs.score >= scores[middle], levels)
            if len(found) < len(unbounded):
                top = middle - 1
            else:
                highest, witness = middle, found
    network.active[witness] = True  # feasible at every floor up to the highest

    # (4) the most total fit at or above the floor, with load spread across therapists. When
    # the highest floor costs more than ``fairness_price`` of the LP bound, the highest floor
    # within that price instead (binary search again: a higher floor never leaves more fit).
    def at_floor(index: int) -> IntArray:
        allowed = pairs.score >= (scores[index] if len(unbounded) else 0)
        return network.certified(allowed, fit_costs, levels=levels, load=True)

    lp_score = int(pairs.score[unbounded].sum())
    least_total = lp_score - math.floor(max(0.0, fairness_price) * lp_score)
    chosen = at_floor(highest)
    if int(pairs.score[chosen].sum()) < least_total:
        best = None  # the max-sum floor (``lowest``) is accepted whatever load costs
        while lowest < highest - 1:
            middle = (lowest + highest) // 2
            trial = at_floor(middle)
            if int(pairs.score[trial].sum()) >= least_total:
                lowest, best = middle, trial
            else:
                highest = middle
        chosen = best if best is not None else at_floor(lowest)
    if int(weights[pairs.seeker[chosen]].sum()) != levels.weight:
        raise AllocationError("the final solve lost placements; this is a bug")

    placed_seekers = pairs.seeker[chosen]
    assignments = tuple(
        Assignment(
            seeker=seeker_list[int(i)].id,
            therapist=therapist_list[int(j)].id,
            fit=float(fit),
        )
        for i, j, fit in zip(
            placed_seekers, pairs.therapist[chosen], pairs.fit[chosen], strict=True
        )
    )  # ``chosen`` is in pair order, which is seeker order
    is_placed = np.zeros(len(seeker_list), dtype=np.bool_)
    is_placed[placed_seekers] = True
    unmatched = tuple(seeker_list[i].id for i in np.flatnonzero(~is_placed))
    chosen_scores = pairs.score[chosen]
    stats = AllocationStats(
        matched=len(assignments),
        total_fit=int(chosen_scores.sum()) / FIT_SCALE,
        min_fit=int(chosen_scores.min()) / FIT_SCALE if len(chosen) else None,
        lp_bound=int(pairs.score[unbounded].sum()) / FIT_SCALE,
        seconds=time.perf_counter() - started,
    )
    return Allocation(assignments=assignments, unmatched=unmatched, stats=stats)
