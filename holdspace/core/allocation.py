"""Batch allocation: place many seekers with limited therapist capacity, exactly and fairly.

The problem is a min-cost flow (OR-Tools ``SimpleMinCostFlow`` on numpy arrays). Nodes: one per
seeker (supply 1), one per therapist, and a sink (demand = number of seekers). Arcs:

- seeker -> therapist for every eligible, conflict-free pair (capacity 1), costing
  ``FIT_SCALE - round(fit * FIT_SCALE)`` (fit kept to 6 decimals, never 2);
- seeker -> sink, the "unmatched" bypass (capacity 1), costing the seeker's placement weight times
  a unit larger than any possible change in fit cost, so the solver always has a feasible answer
  and never gives up a placement for fit;
- therapist -> sink, one arc per slot of capacity, the k-th costing ``k * LOAD_STEP``: rising
  costs per filled slot, so equal fits spread across therapists instead of filling one.

The objective is lexicographic:

1. place as many seekers as possible, weighting by ``priority``. Placement weights are
   ``1 + round(priority * PRIORITY_SCALE)``; every weight is positive and the seekers a matching
   can cover form a (transversal) matroid, so a maximum-weight placement is also a
   maximum-count one, and among those it places the higher-priority seekers first;
2. raise the worst-off placed seeker's fit: a binary search over the distinct fit values finds
   the highest floor at which dropping every pair below it keeps the optimal placement weight
   (placement-only solves, cheap);
3. maximise total fit among the pairs at or above that floor (one final solve).

``lp_bound`` is the max-sum-fit optimum for the same (weighted) placement without the floor, so
``lp_bound - total_fit`` is the price of fairness. Seekers and therapists are numbered in id
order, so the same input always gives the same result whatever the order of the file.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]  # no py.typed

from holdspace.core.compacts import Compacts
from holdspace.core.conflicts import TieGraph, seeker_conflicts
from holdspace.core.eligibility import SeekerInput, TherapistInput, workable_formats
from holdspace.core.ranking import score_match

type IntArray = npt.NDArray[np.int64]
type Int32Array = npt.NDArray[np.int32]

FIT_SCALE: Final = 1_000_000  # fit as an integer number of millionths
PRIORITY_SCALE: Final = 1_000  # priorities closer than 0.0005 count as equal
LOAD_STEP: Final = 1  # cost (in millionths of fit) of each further slot filled at a therapist
_INT64_MAX: Final = int(np.iinfo(np.int64).max)


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
    """Every (seeker index, therapist index) pair that is eligible and free of conflicts."""
    seeker_index: list[int] = []
    therapist_index: list[int] = []
    fits: list[float] = []
    for i, seeker in enumerate(seekers):
        conflicts = seeker_conflicts(
            seeker.id,
            graph,
            strict=seeker.strict,
            avoid=seeker.avoid,
            exclude_entities=seeker.exclude_entities,
            as_of=as_of,
        )
        for j, therapist in enumerate(therapists):
            if conflicts.reason(therapist.id) is not None:
                continue
            formats = workable_formats(therapist, seeker, compacts=compacts)
            if not formats:
                continue
            match = score_match(
                seeker,
                therapist,
                formats=formats,
                shares_wide_entity=therapist.id in conflicts.wide_shared,
            )
            seeker_index.append(i)
            therapist_index.append(j)
            fits.append(match.fit)
    fit = np.asarray(fits, dtype=np.float64)
    return _Pairs(
        seeker=np.asarray(seeker_index, dtype=np.int32),
        therapist=np.asarray(therapist_index, dtype=np.int32),
        score=np.rint(fit * FIT_SCALE).astype(np.int64),
        fit=fit,
    )


def _solve_min_cost_flow(
    tails: Int32Array,
    heads: Int32Array,
    capacities: IntArray,
    costs: IntArray,
    supplies: IntArray,
) -> IntArray:
    """The one place OR-Tools is called (its bindings are only partly typed): arc flows."""
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


class _Network:
    """Builds and solves the flow network for one set of seekers, therapists and pairs."""

    def __init__(self, weights: IntArray, capacities: IntArray, pairs: _Pairs) -> None:
        self.weights = weights
        self.capacities = capacities
        self.pairs = pairs
        self.n_seekers = len(weights)
        self.n_therapists = len(capacities)
        self.sink = self.n_seekers + self.n_therapists
        self.supplies = np.zeros(self.sink + 1, dtype=np.int64)
        self.supplies[: self.n_seekers] = 1
        self.supplies[self.sink] = -self.n_seekers
        # Larger than any change in fit and load cost along one simple cycle of the residual
        # network, so no cycle can trade placement weight for fit (see module docstring).
        max_slot_cost = LOAD_STEP * int(capacities.max(initial=0))
        self.unit = (min(self.n_seekers, self.n_therapists) + 1) * FIT_SCALE + 2 * max_slot_cost + 1
        largest = int(weights.max(initial=1)) * self.unit * (self.sink + 2)
        if largest >= _INT64_MAX:  # OR-Tools scales costs by the node count internally
            raise AllocationError("instance too large for exact 64-bit costs")

    def solve(self, mask: npt.NDArray[np.bool_], *, fit_costs: bool, load: bool) -> IntArray:
        """Solve using the pairs in ``mask``; return each seeker's therapist index or -1.

        Without ``fit_costs`` only placement weight counts (pairs cost 0): the cheap check used
        by the floor search. With it, placement dominates and then fit (and load, if asked).
        """
        s, t, sink = self.n_seekers, self.n_therapists, self.sink
        seekers = np.arange(s, dtype=np.int32)
        pair_seeker = self.pairs.seeker[mask]
        pair_therapist = self.pairs.therapist[mask]
        if fit_costs:
            pair_cost = FIT_SCALE - self.pairs.score[mask]
            bypass_cost = self.weights * self.unit
        else:
            pair_cost = np.zeros(len(pair_seeker), dtype=np.int64)
            bypass_cost = self.weights
        therapists = np.arange(t, dtype=np.int32)
        if load:
            # One unit arc per slot; a therapist never needs more slots than there are seekers.
            slots = np.minimum(self.capacities, s)
            slot_therapist = np.repeat(therapists, slots)
            first = np.cumsum(slots) - slots
            slot_rank = np.arange(int(slots.sum()), dtype=np.int64) - np.repeat(first, slots)
            slot_tails = (s + slot_therapist).astype(np.int32)
            slot_caps = np.ones(len(slot_tails), dtype=np.int64)
            slot_costs = slot_rank * LOAD_STEP
        else:
            slot_tails = (s + therapists).astype(np.int32)
            slot_caps = self.capacities
            slot_costs = np.zeros(t, dtype=np.int64)
        tails = np.concatenate([seekers, pair_seeker, slot_tails]).astype(np.int32)
        heads = np.concatenate(
            [
                np.full(s, sink, dtype=np.int32),
                (s + pair_therapist).astype(np.int32),
                np.full(len(slot_tails), sink, dtype=np.int32),
            ]
        ).astype(np.int32)
        capacities = np.concatenate(
            [np.ones(s, dtype=np.int64), np.ones(len(pair_seeker), dtype=np.int64), slot_caps]
        ).astype(np.int64)
        costs = np.concatenate([bypass_cost, pair_cost, slot_costs]).astype(np.int64)
        flows = _solve_min_cost_flow(tails, heads, capacities, costs, self.supplies)
        chosen = np.full(s, -1, dtype=np.int64)
        used = flows[s : s + len(pair_seeker)] > 0
        chosen[pair_seeker[used]] = pair_therapist[used]
        return chosen

    def unplaced_weight(self, chosen: IntArray) -> int:
        return int(self.weights[chosen < 0].sum())


def _placement_weights(seekers: Sequence[SeekerInput]) -> IntArray:
    priorities = np.asarray([min(1.0, max(0.0, s.priority)) for s in seekers], dtype=np.float64)
    weights: IntArray = 1 + np.rint(priorities * PRIORITY_SCALE).astype(np.int64)
    return weights


def _chosen_scores(pairs: _Pairs, chosen: IntArray) -> dict[tuple[int, int], int]:
    lookup = {
        (int(i), int(j)): int(score)
        for i, j, score in zip(pairs.seeker, pairs.therapist, pairs.score, strict=True)
    }
    return {(i, int(j)): lookup[(i, int(j))] for i, j in enumerate(chosen) if j >= 0}


def allocate(
    seekers: Iterable[SeekerInput],
    therapists: Iterable[TherapistInput],
    graph: TieGraph,
    *,
    compacts: Compacts,
    as_of: date,
) -> Allocation:
    """Place seekers with therapists; see the module docstring for the objective."""
    started = time.perf_counter()
    seeker_list = sorted(seekers, key=lambda s: s.id)
    therapist_list = sorted(therapists, key=lambda t: t.id)
    pairs = candidate_pairs(seeker_list, therapist_list, graph, compacts=compacts, as_of=as_of)
    capacities = np.asarray([max(0, t.capacity) for t in therapist_list], dtype=np.int64)
    network = _Network(_placement_weights(seeker_list), capacities, pairs)
    everything = np.ones(len(pairs.score), dtype=np.bool_)

    # (1) the best weighted placement, and the max-sum fit for it (the LP bound).
    unbounded = network.solve(everything, fit_costs=True, load=False)
    best_unplaced = network.unplaced_weight(unbounded)
    lp_scores = _chosen_scores(pairs, unbounded)

    # (2) the highest fit floor that keeps that placement weight.
    floor = 0
    if lp_scores:
        levels = np.unique(pairs.score)
        low = int(np.searchsorted(levels, min(lp_scores.values())))  # known to be feasible
        high = len(levels) - 1
        while low < high:
            middle = (low + high + 1) // 2
            placed = network.solve(pairs.score >= levels[middle], fit_costs=False, load=False)
            if network.unplaced_weight(placed) == best_unplaced:
                low = middle
            else:
                high = middle - 1
        floor = int(levels[low])

    # (3) the most total fit at or above the floor, with load spread across therapists.
    chosen = network.solve(pairs.score >= floor, fit_costs=True, load=True)
    if network.unplaced_weight(chosen) != best_unplaced:
        raise AllocationError("the final solve lost placements; this is a bug")
    fit_lookup = {
        (int(i), int(j)): float(fit)
        for i, j, fit in zip(pairs.seeker, pairs.therapist, pairs.fit, strict=True)
    }
    scores = _chosen_scores(pairs, chosen)
    assignments = tuple(
        Assignment(
            seeker=seeker_list[i].id,
            therapist=therapist_list[j].id,
            fit=fit_lookup[(i, j)],
        )
        for i, j in sorted(scores)
    )
    unmatched = tuple(seeker_list[i].id for i, j in enumerate(chosen) if j < 0)
    stats = AllocationStats(
        matched=len(assignments),
        total_fit=sum(scores.values()) / FIT_SCALE,
        min_fit=min(scores.values()) / FIT_SCALE if scores else None,
        lp_bound=sum(lp_scores.values()) / FIT_SCALE,
        seconds=time.perf_counter() - started,
    )
    return Allocation(assignments=assignments, unmatched=unmatched, stats=stats)
