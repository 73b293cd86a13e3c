"""Batch allocation (issue 7): exactness, priority, fairness floor, load, and the validator."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.core import allocation
from holdspace.core.allocation import FIT_SCALE, PRIORITY_SCALE, Allocation, Assignment, allocate
from holdspace.core.compacts import Compacts, load_compacts
from holdspace.core.conflicts import Tie, TieGraph, conflict_reason, shares_wide_entity
from holdspace.core.eligibility import SeekerInput, TherapistInput, eligible, workable_formats
from holdspace.core.ranking import score_match
from holdspace.core.validation import InvalidAllocation, allocation_problems, check_allocation
from tests.core.test_allocation_pairs import expected_pairs, world

AS_OF = date(2026, 11, 26)
COMPACTS = load_compacts()


def therapist(tid: str, capacity: int = 1, **changes: object) -> TherapistInput:
    base = TherapistInput(
        id=tid,
        profession="counselor",
        licenses=("US-CO",),
        formats=("video",),
        languages=("en",),
        fee=100,
        accepting=True,
        capacity=capacity,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def seeker(sid: str, **changes: object) -> SeekerInput:
    base = SeekerInput(id=sid, location="US-CO", formats=("video",))
    return replace(base, **changes)  # type: ignore[arg-type]


def problems(
    result: Allocation,
    seekers: Sequence[SeekerInput],
    therapists: Sequence[TherapistInput],
    graph: TieGraph,
) -> list[str]:
    return allocation_problems(
        result.assignments,
        result.unmatched,
        seekers=seekers,
        therapists=therapists,
        graph=graph,
        compacts=COMPACTS,
        as_of=AS_OF,
    )


def table(
    fits: Mapping[tuple[str, str], float],
    *,
    capacity: Mapping[str, int] | None = None,
    priority: Mapping[str, float] | None = None,
    extra_seekers: Sequence[str] = (),
    fairness_price: float = allocation.FAIRNESS_PRICE,
) -> Allocation:
    """Allocate with fits given by a table; pairs missing from it are on the avoid list."""
    capacity = capacity or {}
    priority = priority or {}
    seeker_ids = sorted({s for s, _ in fits} | set(extra_seekers))
    therapist_ids = sorted({t for _, t in fits} | set(capacity))
    seekers = [
        seeker(
            s,
            avoid=tuple(t for t in therapist_ids if (s, t) not in fits),
            priority=priority.get(s, 0.5),
        )
        for s in seeker_ids
    ]
    therapists = [therapist(t, capacity.get(t, 1)) for t in therapist_ids]

    real = allocation.candidate_pairs

    def fake_pairs(
        seekers: Sequence[SeekerInput],
        therapists: Sequence[TherapistInput],
        graph: TieGraph,
        *,
        compacts: Compacts,
        as_of: date,
    ) -> Any:
        pairs = real(seekers, therapists, graph, compacts=compacts, as_of=as_of)
        fit = np.asarray(
            [
                fits[(seekers[i].id, therapists[j].id)]
                for i, j in zip(pairs.seeker, pairs.therapist, strict=True)
            ],
            dtype=np.float64,
        )
        return replace(pairs, fit=fit, score=np.rint(fit * FIT_SCALE).astype(np.int64))

    graph = TieGraph()
    with patch("holdspace.core.allocation.candidate_pairs", fake_pairs):
        result = allocate(
            seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF,
            fairness_price=fairness_price,
        )  # fmt: skip
    assert problems(result, seekers, therapists, graph) == []
    return result


def placed(result: Allocation) -> dict[str, str]:
    return {a.seeker: a.therapist for a in result.assignments}


# -- hand-checked cases ----------------------------------------------------------------------


def test_exact_beats_greedy() -> None:
    # Greedy by best fit gives s1 -> t1 and leaves s2 with nobody; exact places both.
    result = table({("s1", "t1"): 0.9, ("s1", "t2"): 0.8, ("s2", "t1"): 0.7})
    assert placed(result) == {"s1": "t2", "s2": "t1"}
    assert result.unmatched == ()
    assert result.stats.matched == 2
    assert result.stats.total_fit == pytest.approx(1.5)
    assert result.stats.min_fit == pytest.approx(0.7)


def test_exact_beats_greedy_on_a_chain() -> None:
    # A longer augmenting path: greedy (best pair first) places only two of three.
    fits = {
        ("s1", "t1"): 0.95,
        ("s1", "t2"): 0.5,
        ("s2", "t1"): 0.6,
        ("s2", "t3"): 0.9,
        ("s3", "t3"): 0.4,
    }
    result = table(fits)
    assert placed(result) == {"s1": "t2", "s2": "t1", "s3": "t3"}


def test_shortfall_places_higher_priority_first() -> None:
    result = table(
        {("s1", "t1"): 0.9, ("s2", "t1"): 0.3},
        priority={"s1": 0.2, "s2": 0.9},
    )
    assert placed(result) == {"s2": "t1"}
    assert result.unmatched == ("s1",)


def test_priority_never_costs_a_placement() -> None:
    # s_hi could take t1 or t2; placing everyone needs s_hi on t2.
    result = table(
        {("hi", "t1"): 0.9, ("hi", "t2"): 0.4, ("lo", "t1"): 0.5},
        priority={"hi": 1.0, "lo": 0.0},
    )
    assert placed(result) == {"hi": "t2", "lo": "t1"}


def test_fairness_floor_raises_the_worst_fit() -> None:
    # Max-sum: s1-t1 + s2-t2 = 1.2 with a worst fit of 0.2; the floor picks 1.1 with 0.5.
    result = table(
        {("s1", "t1"): 1.0, ("s1", "t2"): 0.5, ("s2", "t1"): 0.6, ("s2", "t2"): 0.2},
        fairness_price=0.1,
    )
    assert placed(result) == {"s1": "t2", "s2": "t1"}
    assert result.stats.min_fit == pytest.approx(0.5)
    assert result.stats.total_fit == pytest.approx(1.1)
    assert result.stats.lp_bound == pytest.approx(1.2)
    assert result.stats.lp_bound >= result.stats.total_fit


def test_the_floor_costs_at_most_its_price() -> None:
    # The same table: raising the floor from 0.2 to 0.5 costs 0.1 of 1.2 (8.3%), more than the
    # default 1%, so the max-sum placement stands.
    fits = {("s1", "t1"): 1.0, ("s1", "t2"): 0.5, ("s2", "t1"): 0.6, ("s2", "t2"): 0.2}
    result = table(fits)
    assert placed(result) == {"s1": "t1", "s2": "t2"}
    assert result.stats.total_fit == pytest.approx(1.2)


def test_the_highest_floor_within_the_price_is_chosen() -> None:
    # s3's floor: 0.3 at t4 (total 2.3, the max sum); 0.35 at t2, moving s2 to t6 (total 2.29,
    # 0.4% dearer); 0.5 at t1, moving s1 to t5 (total 2.2, 4.3% dearer).
    fits = {
        ("s1", "t1"): 1.0,
        ("s1", "t5"): 0.7,
        ("s2", "t2"): 1.0,
        ("s2", "t6"): 0.94,
        ("s3", "t4"): 0.3,
        ("s3", "t2"): 0.35,
        ("s3", "t1"): 0.5,
    }
    within_one = table(fits)
    assert placed(within_one)["s3"] == "t2"
    assert (within_one.stats.min_fit, within_one.stats.total_fit) == pytest.approx((0.35, 2.29))
    within_five = table(fits, fairness_price=0.05)
    assert placed(within_five)["s3"] == "t1"
    assert (within_five.stats.min_fit, within_five.stats.total_fit) == pytest.approx((0.5, 2.2))
    assert within_five.stats.lp_bound == pytest.approx(2.3)


def test_floor_then_max_sum() -> None:
    # Floor 0.5 is forced by s3; above it the largest total is chosen, not any feasible one.
    fits = {
        ("s1", "t1"): 0.9,
        ("s1", "t2"): 0.6,
        ("s2", "t1"): 0.7,
        ("s2", "t2"): 0.8,
        ("s3", "t3"): 0.5,
    }
    result = table(fits, fairness_price=1.0)
    assert placed(result) == {"s1": "t1", "s2": "t2", "s3": "t3"}
    assert result.stats.min_fit == pytest.approx(0.5)
    assert result.stats.total_fit == pytest.approx(2.2)


def test_fits_are_not_truncated_to_two_decimals() -> None:
    # 0.504 vs 0.496 round to 0.50 each; the exact costs still tell them apart.
    result = table({("s1", "t1"): 0.504, ("s1", "t2"): 0.496}, capacity={"t1": 1, "t2": 1})
    assert placed(result) == {"s1": "t1"}


def test_load_is_spread_across_therapists() -> None:
    fits = {(s, t): 0.7 for s in ("s1", "s2") for t in ("t1", "t2")}
    result = table(fits, capacity={"t1": 2, "t2": 2})
    assert sorted(placed(result).values()) == ["t1", "t2"]


def test_capacity_is_respected_and_nobody_is_placed_twice() -> None:
    fits = {(s, "t1"): 0.8 for s in ("s1", "s2", "s3", "s4")}
    result = table(fits, capacity={"t1": 2})
    assert result.stats.matched == 2
    assert len(result.unmatched) == 2


def test_nobody_can_be_placed() -> None:
    result = table({}, capacity={"t1": 1}, extra_seekers=("s1", "s2"))
    assert result.assignments == ()
    assert result.unmatched == ("s1", "s2")
    assert result.stats.min_fit is None
    assert result.stats.lp_bound == 0
    assert result.to_json()["stats"] == {
        "matched": 0,
        "total_fit": 0,
        "min_fit": None,
        "lp_bound": 0,
        "seconds": pytest.approx(0, abs=1),
    }


def test_empty_scenario() -> None:
    result = allocate([], [], TieGraph(), compacts=COMPACTS, as_of=AS_OF)
    assert result.assignments == ()
    assert result.unmatched == ()


def test_conflicted_and_ineligible_pairs_are_never_assigned() -> None:
    # Every therapist is either a better fit or free, yet each is excluded for s1.
    therapists = [
        therapist("tie", capacity=3, focus=("burnout",)),  # direct tie with s1
        therapist("avoided", capacity=3, focus=("burnout",)),
        therapist("california", capacity=3, licenses=("US-CA",), focus=("burnout",)),
        therapist("closed", capacity=3, accepting=False, focus=("burnout",)),
        therapist("phone_only", capacity=3, formats=("phone",), focus=("burnout",)),
        therapist("ok", capacity=1),
    ]
    seekers = [
        seeker("s1", concerns=("burnout",), avoid=("avoided",)),
        seeker("s2", concerns=("burnout",)),
    ]
    graph = TieGraph(ties=[Tie(a="s1", b="tie", kind="friend")])
    result = allocate(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
    assert problems(result, seekers, therapists, graph) == []
    assignment = placed(result)
    assert assignment["s1"] == "ok"
    assert assignment["s2"] in {"tie", "avoided"}  # s2 has no conflict with either


def test_the_sample_scenario() -> None:
    from holdspace.core.scenario import allocate_scenario, load_scenario
    from tests.core.test_scenario import SAMPLE

    output = allocate_scenario(load_scenario(str(SAMPLE)), compacts=COMPACTS)
    assignments = output["assignments"]
    assert isinstance(assignments, list)
    assert [a["seeker"] for a in assignments] == ["s1", "s2"]


# -- the validator catches each kind of broken result ----------------------------------------


BROKEN_SEEKERS = [seeker("s1"), seeker("s2", avoid=("t2",)), seeker("s3")]
BROKEN_THERAPISTS = [
    therapist("t1", capacity=1),
    therapist("t2", capacity=2),
    therapist("t3", capacity=2, licenses=("US-CA",)),
    therapist("t4", capacity=2),
]
BROKEN_GRAPH = TieGraph(ties=[Tie(a="s3", b="t4", kind="colleague")])


def find(assignments: list[tuple[str, str]], unmatched: Sequence[str]) -> list[str]:
    return allocation_problems(
        [Assignment(s, t, 0.5) for s, t in assignments],
        unmatched,
        seekers=BROKEN_SEEKERS,
        therapists=BROKEN_THERAPISTS,
        graph=BROKEN_GRAPH,
        compacts=COMPACTS,
        as_of=AS_OF,
    )


def test_validator_accepts_a_valid_result() -> None:
    assert find([("s1", "t1"), ("s2", "t4")], ["s3"]) == []


@pytest.mark.parametrize(
    ("assignments", "unmatched", "expected"),
    [
        ([("s1", "t1"), ("s1", "t2")], ["s2", "s3"], "seeker 's1' is assigned 2 therapists"),
        ([("s1", "t1"), ("s2", "t1")], ["s3"], "therapist 't1' has 2 seekers, capacity 1"),
        ([("s1", "t3")], ["s2", "s3"], "'s1' -> 't3': not eligible"),
        ([("s2", "t2")], ["s1", "s3"], "'s2' -> 't2': conflict (avoid_list)"),
        ([("s3", "t4")], ["s1", "s2"], "'s3' -> 't4': conflict (direct_tie)"),
        ([("s1", "t9")], ["s2", "s3"], "'s1' -> 't9': therapist is not in the scenario"),
        ([("s9", "t1")], ["s1", "s2", "s3"], "'s9' -> 't1': seeker is not in the scenario"),
        ([("s1", "t1")], ["s2"], "seeker 's3' is neither assigned nor unmatched"),
        ([("s1", "t1")], ["s1", "s2", "s3"], "seeker 's1' is both assigned and unmatched"),
        ([], ["s1", "s2", "s3", "s3"], "seeker 's3' is listed as unmatched 2 times"),
        ([], ["s1", "s2", "s3", "s8"], "unmatched seeker 's8' is not in the scenario"),
    ],
)
def test_validator_catches(
    assignments: list[tuple[str, str]], unmatched: list[str], expected: str
) -> None:
    found = find(assignments, unmatched)
    assert any(expected in problem for problem in found), found


def test_check_allocation_raises_with_every_problem() -> None:
    with pytest.raises(InvalidAllocation) as caught:
        check_allocation(
            [Assignment("s1", "t3", 0.5), Assignment("s2", "t2", 0.5)],
            ["s3"],
            seekers=BROKEN_SEEKERS,
            therapists=BROKEN_THERAPISTS,
            graph=BROKEN_GRAPH,
            compacts=COMPACTS,
            as_of=AS_OF,
        )
    assert len(caught.value.problems) == 2
    check_allocation(  # a valid one passes silently
        [Assignment("s1", "t1", 0.5)],
        ["s2", "s3"],
        seekers=BROKEN_SEEKERS,
        therapists=BROKEN_THERAPISTS,
        graph=BROKEN_GRAPH,
        compacts=COMPACTS,
        as_of=AS_OF,
    )


# -- properties on random small scenarios, against brute force -------------------------------

PEOPLE = ("p1", "p2")


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[list[SeekerInput], list[TherapistInput], TieGraph]:
    n_therapists = draw(st.integers(1, 3))
    therapist_ids = [f"t{i}" for i in range(n_therapists)]
    therapists = [
        therapist(
            tid,
            capacity=draw(st.integers(0, 2)),
            accepting=draw(st.sampled_from([True, True, False])),
            licenses=tuple(draw(st.sets(st.sampled_from(["US-CO", "US-AZ"]), min_size=1))),
            formats=tuple(draw(st.sets(st.sampled_from(["video", "phone"]), min_size=1))),
            focus=tuple(draw(st.sets(st.sampled_from(["burnout", "grief_loss", "anxiety"])))),
            fee=draw(st.sampled_from([80, 120, 200])),
            clinician_experience_years=draw(st.integers(0, 12)),
        )
        for tid in therapist_ids
    ]
    seekers = [
        seeker(
            f"s{i}",
            location=draw(st.sampled_from(["US-CO", "US-AZ"])),
            formats=tuple(draw(st.sets(st.sampled_from(["video", "phone"]), min_size=1))),
            concerns=tuple(draw(st.sets(st.sampled_from(["burnout", "grief_loss", "anxiety"])))),
            max_fee=draw(st.sampled_from([None, 100, 150])),
            avoid=tuple(draw(st.sets(st.sampled_from(therapist_ids), max_size=1))),
            strictness=draw(st.sampled_from(["standard", "strict"])),
            priority=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    everyone = [s.id for s in seekers] + therapist_ids + list(PEOPLE)
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(everyone), st.sampled_from(everyone)), max_size=3)
    )
    ties = [Tie(a=a, b=b, kind="friend") for a, b in pairs if a != b]
    return seekers, therapists, TieGraph(ties=ties)


def brute_force(
    seekers: Sequence[SeekerInput],
    therapists: Sequence[TherapistInput],
    graph: TieGraph,
    compacts: Compacts,
) -> tuple[int, int, int, int, int]:
    """(count, weight, best floor, best total at that floor, max total) by enumeration."""
    options: list[list[tuple[str, int] | None]] = []
    for s in seekers:
        allowed: list[tuple[str, int] | None] = [None]
        for t in therapists:
            if not eligible(t, s, compacts=compacts, as_of=AS_OF):
                continue
            if conflict_reason(
                s.id,
                t.id,
                graph,
                strict=s.strict,
                avoid=s.avoid,
                exclude_entities=s.exclude_entities,
                as_of=AS_OF,
            ):
                continue
            match = score_match(
                s,
                t,
                formats=workable_formats(t, s, compacts=compacts),
                shares_wide_entity=shares_wide_entity(s.id, t.id, graph, as_of=AS_OF),
            )
            allowed.append((t.id, round(match.fit * FIT_SCALE)))
        options.append(allowed)
    capacity = {t.id: t.capacity for t in therapists}
    best: tuple[int, int] = (-1, -1)
    outcomes: list[tuple[int, int, list[int]]] = []
    for choice in itertools.product(*options):
        chosen = [c for c in choice if c is not None]
        load: dict[str, int] = {}
        for tid, _ in chosen:
            load[tid] = load.get(tid, 0) + 1
        if any(n > capacity[tid] for tid, n in load.items()):
            continue
        weight = sum(
            1 + round(s.priority * PRIORITY_SCALE)
            for s, c in zip(seekers, choice, strict=True)
            if c is not None
        )
        outcomes.append((len(chosen), weight, [score for _, score in chosen]))
        best = max(best, (len(chosen), weight))
    optimal = [scores for count, weight, scores in outcomes if (count, weight) == best]
    floor = max((min(scores) if scores else 0) for scores in optimal)
    at_floor = max(sum(s) for s in optimal if not s or min(s) >= floor)
    return best[0], best[1], floor, at_floor, max(sum(s) for s in optimal)


def comparable(result: Allocation) -> tuple[object, ...]:
    return result.assignments, result.unmatched, replace(result.stats, seconds=0.0)


@settings(max_examples=150, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_random_scenarios_match_brute_force(
    world: tuple[list[SeekerInput], list[TherapistInput], TieGraph], rnd: random.Random
) -> None:
    seekers, therapists, graph = world
    # Without a price cap on the floor: the pure lexicographic objective, checked exactly.
    result = allocate(
        seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF, fairness_price=1.0
    )
    assert problems(result, seekers, therapists, graph) == []
    count, weight, floor, at_floor, max_total = brute_force(seekers, therapists, graph, COMPACTS)
    stats = result.stats
    assert stats.matched == count
    by_id = {s.id: s for s in seekers}
    placed_weight = sum(
        1 + round(by_id[a.seeker].priority * PRIORITY_SCALE) for a in result.assignments
    )
    assert placed_weight == weight
    if count:
        assert stats.min_fit == pytest.approx(floor / FIT_SCALE)
    assert stats.lp_bound == pytest.approx(max_total / FIT_SCALE)
    # Load costs are a tie-break worth a few millionths of fit at most.
    assert stats.total_fit == pytest.approx(at_floor / FIT_SCALE, abs=1e-4)
    assert stats.lp_bound >= stats.total_fit
    # Deterministic, whatever the input order.
    shuffled_seekers, shuffled_therapists = seekers[:], therapists[:]
    rnd.shuffle(shuffled_seekers)
    rnd.shuffle(shuffled_therapists)
    again = allocate(
        shuffled_seekers, shuffled_therapists, graph, compacts=COMPACTS, as_of=AS_OF,
        fairness_price=1.0,
    )  # fmt: skip
    assert comparable(again) == comparable(result)


# -- properties on medium random instances, against independent solvers ----------------------


def allowed_pairs(
    seekers: Sequence[SeekerInput], therapists: Sequence[TherapistInput], graph: TieGraph
) -> dict[tuple[int, int], float]:
    return expected_pairs(list(seekers), list(therapists), graph, COMPACTS)


def most_placed(
    n_seekers: int, capacity: Sequence[int], pairs: Mapping[tuple[int, int], float]
) -> int:
    """The largest number of seekers that can be placed: augmenting paths (Kuhn), written
    here so the allocator's flow code is not checked against itself."""
    options: list[list[int]] = [[] for _ in range(n_seekers)]
    for i, j in pairs:
        options[i].append(j)
    holders: list[list[int]] = [[] for _ in capacity]

    def place(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if len(holders[j]) < capacity[j]:
                holders[j].append(i)
                return True
            for k, other in enumerate(holders[j]):
                if place(other, seen):
                    holders[j][k] = i
                    return True
        return False

    return sum(place(i, set()) for i in range(n_seekers))


def best_by_lp(
    seekers: Sequence[SeekerInput],
    capacity: Sequence[int],
    pairs: Mapping[tuple[int, int], float],
) -> tuple[float, float]:
    """(best placement weight, best total fit for it) by two linear programs (GLOP).

    The b-matching polytope is integral and a face of it stays integral, so the LP optima are
    the integer ones: a check of the allocator's flows by an unrelated method.
    """
    from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]  # no py.typed

    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = {pair: solver.NumVar(0, 1, f"x{pair}") for pair in pairs}
    for i in range(len(seekers)):
        solver.Add(solver.Sum([v for (a, _), v in x.items() if a == i]) <= 1)
    for j, cap in enumerate(capacity):
        solver.Add(solver.Sum([v for (_, b), v in x.items() if b == j]) <= cap)
    weight = {
        i: 1 + round(min(1.0, max(0.0, s.priority)) * PRIORITY_SCALE) for i, s in enumerate(seekers)
    }
    placed = solver.Sum([weight[i] * v for (i, _), v in x.items()])
    solver.Maximize(placed)
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    best_weight = solver.Objective().Value()
    solver.Add(placed >= best_weight - 1e-6)
    solver.Maximize(solver.Sum([fit * v for pair, v in x.items() for fit in (pairs[pair],)]))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return best_weight, solver.Objective().Value()


def placement_weight(result: Allocation, seekers: Sequence[SeekerInput]) -> int:
    by_id = {s.id: s for s in seekers}
    return sum(
        1 + round(min(1.0, max(0.0, by_id[a.seeker].priority)) * PRIORITY_SCALE)
        for a in result.assignments
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32))
def test_medium_random_instances_against_independent_solvers(seed: int) -> None:
    seekers, therapists, graph = world(seed, 60, 20)
    result = allocate(
        seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF, fairness_price=1.0
    )
    assert problems(result, seekers, therapists, graph) == []
    pairs = allowed_pairs(seekers, therapists, graph)
    capacity = [max(0, t.capacity) for t in therapists]
    stats = result.stats
    # As many placed as possible (augmenting paths), and the best priority weight (LP).
    assert stats.matched == most_placed(len(seekers), capacity, pairs)
    best_weight, best_fit = best_by_lp(seekers, capacity, pairs)
    assert placement_weight(result, seekers) == round(best_weight)
    # lp_bound is the max-sum optimum for that placement.
    assert stats.lp_bound == pytest.approx(best_fit, abs=1e-4)
    assert stats.total_fit <= stats.lp_bound + 1e-9
    if stats.min_fit is None:
        return
    # The floor keeps the best placement weight, and no higher floor does.
    floor = round(stats.min_fit * FIT_SCALE)
    above = {p: fit for p, fit in pairs.items() if round(fit * FIT_SCALE) >= floor}
    weight_at_floor, fit_at_floor = best_by_lp(seekers, capacity, above)
    assert round(weight_at_floor) == round(best_weight)
    higher = {p: fit for p, fit in above.items() if round(fit * FIT_SCALE) > floor}
    assert round(best_by_lp(seekers, capacity, higher)[0]) < round(best_weight)
    # Above the floor, the most total fit (load costs break ties: a few millionths at most).
    assert stats.total_fit == pytest.approx(fit_at_floor, abs=1e-4)

    # With the default price cap: the same placement, at most 1% of the LP bound given up, and
    # no higher floor that would stay within that price.
    capped = allocate(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
    assert problems(capped, seekers, therapists, graph) == []
    assert placement_weight(capped, seekers) == round(best_weight)
    assert capped.stats.lp_bound == stats.lp_bound
    least = (1 - allocation.FAIRNESS_PRICE) * best_fit
    assert capped.stats.total_fit >= least - 1e-6
    assert capped.stats.min_fit is not None
    assert capped.stats.min_fit <= stats.min_fit
    capped_floor = round(capped.stats.min_fit * FIT_SCALE)
    higher = {p: fit for p, fit in pairs.items() if round(fit * FIT_SCALE) > capped_floor}
    weight_higher, fit_higher = best_by_lp(seekers, capacity, higher)
    assert round(weight_higher) < round(best_weight) or fit_higher < least + 1e-4


def program_like(
    seed: int, n_seekers: int, n_therapists: int
) -> tuple[list[SeekerInput], list[TherapistInput]]:
    """Seekers and therapists spread over three states, with room for most seekers."""
    rnd = random.Random(seed)
    states = ("US-CO", "US-AZ", "US-OH")
    focus = ("burnout", "grief_loss", "anxiety", "moral_injury", "vicarious_trauma")
    therapists = [
        therapist(
            f"t{j:03d}",
            capacity=rnd.randint(1, 4),
            licenses=tuple(rnd.sample(states, rnd.choice((1, 1, 2)))),
            formats=tuple(rnd.sample(("video", "phone"), rnd.choice((1, 2)))),
            focus=tuple(rnd.sample(focus, 2)),
            fee=rnd.choice((90, 120, 150)),
            clinician_experience_years=rnd.randint(0, 12),
        )
        for j in range(n_therapists)
    ]
    seekers = [
        seeker(
            f"s{i:03d}",
            location=rnd.choice(states),
            concerns=tuple(rnd.sample(focus, rnd.randint(1, 2))),
            max_fee=rnd.choice((None, 100, 140)),
            avoid=tuple(rnd.sample([t.id for t in therapists], 2)),
            priority=rnd.random(),
        )
        for i in range(n_seekers)
    ]
    return seekers, therapists


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32))
def test_fairness_costs_under_one_percent_on_program_sized_instances(seed: int) -> None:
    # Issue 7: "total fit within 1% of the max-sum optimum": the floor's price is capped there.
    seekers, therapists = program_like(seed, 200, 80)
    graph = TieGraph()
    result = allocate(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
    assert problems(result, seekers, therapists, graph) == []
    pairs = allowed_pairs(seekers, therapists, graph)
    capacity = [t.capacity for t in therapists]
    assert result.stats.matched == most_placed(len(seekers), capacity, pairs)
    _, best_fit = best_by_lp(seekers, capacity, pairs)
    assert result.stats.lp_bound == pytest.approx(best_fit, abs=1e-4)
    assert result.stats.total_fit >= 0.99 * best_fit


def test_sparse_solves_match_full_ones() -> None:
    # The solver starts from a few pairs per seeker and adds pairs until optimality is proved
    # on all of them. With one pair per seeker to start with, and one added per round, every
    # repair loop runs many times; the answer must not change.
    for seed in range(6):
        seekers, therapists = program_like(seed, 120, 40)
        graph = TieGraph()
        full = allocate(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
        with (
            patch.object(allocation, "_FIRST_ARCS", 1),
            patch.object(allocation, "_MORE_ARCS", 1),
        ):
            sparse = allocate(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
        assert problems(sparse, seekers, therapists, graph) == []
        assert sparse.stats.matched == full.stats.matched
        assert placement_weight(sparse, seekers) == placement_weight(full, seekers)
        assert sparse.stats.min_fit == full.stats.min_fit
        assert sparse.stats.lp_bound == full.stats.lp_bound
        assert sparse.stats.total_fit == pytest.approx(full.stats.total_fit, abs=1e-4)
