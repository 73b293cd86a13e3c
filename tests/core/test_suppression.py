"""Small-cell suppression (issue 7): hand-made tables, and 500 random cohorts checked by an LP.

The derivability checker here is independent of the module's exact linear algebra: for every
suppressed cell it asks OR-Tools' GLOP for the smallest and largest value that cell can take
given the relations, the shown cells and non-negativity (and, in the stronger form, that every
suppressed cell is at least 1, which a reader knows because zeros are shown). A cell whose
minimum equals its maximum would be recovered.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]  # no py.typed

from holdspace.core.suppression import SMALLEST_SHOWN, Relation, suppress, too_few

TOLERANCE = 1e-6
CAP = 1e6  # an upper bound keeps every LP bounded; it can only make the check stricter


def recoverable[K: Hashable](
    shown: Mapping[K, int | None], relations: Sequence[Relation[K]], *, lower: float = 0.0
) -> dict[K, float]:
    """Suppressed cells whose value the relations and shown cells pin down, with that value."""
    hidden = [key for key, value in shown.items() if value is None]
    if not hidden:
        return {}
    solver = pywraplp.Solver.CreateSolver("GLOP")
    assert solver is not None
    variables = {key: solver.NumVar(lower, CAP, str(n)) for n, key in enumerate(hidden)}

    def term(key: K) -> object:
        value = shown[key]
        return variables[key] if value is None else value

    for relation in relations:
        parts = [term(part) for part in relation.parts]
        solver.Add(term(relation.total) == solver.Sum(parts))
    found: dict[K, float] = {}
    for key in hidden:
        bounds = []
        for maximise in (False, True):
            objective = solver.Objective()
            objective.Clear()
            objective.SetCoefficient(variables[key], 1)
            objective.SetOptimizationDirection(maximise)
            status = solver.Solve()
            assert status == pywraplp.Solver.OPTIMAL, status
            bounds.append(objective.Value())
        if bounds[1] - bounds[0] < TOLERANCE:
            found[key] = bounds[0]
    return found


def assert_safe[K: Hashable](
    values: Mapping[K, int], relations: Sequence[Relation[K]]
) -> dict[K, int | None]:
    shown = suppress(values, relations)
    assert shown.keys() == values.keys()
    for key, value in shown.items():
        assert value is None or value == values[key]
        assert value is None or not 1 <= value < SMALLEST_SHOWN, (key, value)
        if values[key] == 0:
            assert value == 0  # zeros are public and never need hiding
    assert recoverable(shown, relations) == {}
    assert recoverable(shown, relations, lower=1.0) == {}
    return shown


def hidden(shown: Mapping[str, int | None]) -> set[str]:
    return {key for key, value in shown.items() if value is None}


# -- hand-made tables ------------------------------------------------------------------------


def test_nothing_small_shows_everything() -> None:
    values = {"enrolled": 40, "placed": 25, "waiting": 15}
    relations = [Relation("enrolled", ("placed", "waiting"))]
    assert suppress(values, relations) == values


def test_zero_is_shown() -> None:
    values = {"enrolled": 30, "placed": 30, "waiting": 0}
    relations = [Relation("enrolled", ("placed", "waiting"))]
    assert suppress(values, relations) == values


def test_a_one_in_a_month() -> None:
    # January has a single placement: hiding it alone would leave it as 43 - 30 - 12.
    values = {"jan": 1, "feb": 30, "mar": 12, "year": 43}
    relations = [Relation("year", ("jan", "feb", "mar"))]
    shown = assert_safe(values, relations)
    assert hidden(shown) == {"jan", "mar"}  # the smallest other month, not the total
    assert shown["year"] == 43


def test_enrolled_is_placed_plus_waiting_with_one_small() -> None:
    values = {"enrolled": 25, "placed": 3, "waiting": 22}
    shown = assert_safe(values, [Relation("enrolled", ("placed", "waiting"))])
    assert shown == {"enrolled": 25, "placed": None, "waiting": None}


def test_a_total_equal_to_a_part() -> None:
    # The total equals its one non-zero part; both are small, the zeros stay public.
    values = {"total": 5, "a": 5, "b": 0, "c": 0}
    shown = assert_safe(values, [Relation("total", ("a", "b", "c"))])
    assert shown == {"total": None, "a": None, "b": 0, "c": 0}


def test_a_total_equal_to_a_part_inside_a_larger_table() -> None:
    # March's enrolment is all placed (5 = 5 + 0); the year's totals would give both away.
    values = {
        "jan_e": 20, "jan_p": 12, "jan_w": 8,
        "feb_e": 30, "feb_p": 18, "feb_w": 12,
        "mar_e": 5, "mar_p": 5, "mar_w": 0,
        "year_e": 55, "year_p": 35, "year_w": 20,
    }  # fmt: skip
    relations = [
        *(Relation(f"{m}_e", (f"{m}_p", f"{m}_w")) for m in ("jan", "feb", "mar", "year")),
        *(Relation(f"year_{x}", (f"jan_{x}", f"feb_{x}", f"mar_{x}")) for x in "epw"),
    ]
    shown = assert_safe(values, relations)
    assert {"jan_w", "mar_e", "mar_p"} <= hidden(shown)
    assert shown["mar_w"] == 0


def test_overlapping_totals_need_the_exact_check() -> None:
    # Each relation has two suppressed cells, so the heuristic is satisfied, but three
    # equations in three unknowns give a = (X + Z - Y) / 2, etc.
    values = {"a": 3, "b": 9, "c": 8, "X": 12, "Y": 17, "Z": 11}
    relations = [Relation("X", ("a", "b")), Relation("Y", ("b", "c")), Relation("Z", ("a", "c"))]
    shown = assert_safe(values, relations)
    assert hidden(shown) == {"a", "b", "c", "Z"}


def test_zeros_being_public_cannot_pin_a_one() -> None:
    # 1 + 1 + 11 = 13: hiding the two ones leaves jan + feb = 2, and since a hidden cell is
    # never 0 (zeros are shown), both would be 1. March must be hidden as well.
    values = {"jan": 1, "feb": 1, "mar": 11, "year": 13}
    relations = [Relation("year", ("jan", "feb", "mar"))]
    shown = assert_safe(values, relations)
    assert hidden(shown) == {"jan", "feb", "mar"}
    assert shown["year"] == 13


def test_a_chain_of_totals() -> None:
    # Nested totals: a program total over two sites, each over two teams.
    values = {"all": 60, "north": 13, "south": 47, "n1": 4, "n2": 9, "s1": 40, "s2": 7}
    relations = [
        Relation("all", ("north", "south")),
        Relation("north", ("n1", "n2")),
        Relation("south", ("s1", "s2")),
    ]
    shown = assert_safe(values, relations)
    assert {"n1", "n2", "s2"} <= hidden(shown)


def test_same_input_same_output() -> None:
    values = {"jan": 1, "feb": 12, "mar": 12, "year": 25}
    relations = [Relation("year", ("jan", "feb", "mar"))]
    # Ties go to the cell listed first.
    assert suppress(values, relations) == {"jan": None, "feb": None, "mar": 12, "year": 25}


def test_a_custom_threshold() -> None:
    values = {"total": 30, "a": 4, "b": 26}
    relations = [Relation("total", ("a", "b"))]
    assert suppress(values, relations, smallest_shown=3) == values
    assert suppress(values, relations, smallest_shown=5) == {"total": 30, "a": None, "b": None}


def test_cells_without_relations() -> None:
    assert suppress({"a": 7, "b": 0, "c": 11}, []) == {"a": None, "b": 0, "c": 11}


@pytest.mark.parametrize(
    ("values", "relations", "message"),
    [
        ({"a": -1}, [], "count of 0 or more"),
        ({"a": 1.5}, [], "count of 0 or more"),
        ({"a": True}, [], "count of 0 or more"),
        ({"a": 3}, [Relation("a", ("b",))], "unknown cell 'b'"),
        ({"t": 12, "a": 3, "b": 8}, [Relation("t", ("a", "b"))], "not the sum of parts"),
    ],
)
def test_bad_input(values: dict[str, int], relations: list[Relation[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        suppress(values, relations)


def test_too_few() -> None:
    assert too_few(0)
    assert too_few(10)
    assert not too_few(11)
    assert not too_few(11, smallest_shown=5)
    assert too_few(4, smallest_shown=5)


# -- properties on random cohorts ------------------------------------------------------------

MEASURES = ("placed", "waiting", "sessions", "shared")


@st.composite
def counts(draw: st.DrawFn) -> int:
    # Most report cells in a small program are small; make 0 and 1..10 common.
    return draw(st.one_of(st.just(0), st.integers(1, 10), st.integers(1, 10), st.integers(11, 60)))


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[dict[str, int], list[Relation[str]]]:
    """A program's report: months x measures, month totals, enrolled = placed + waiting."""
    months = [f"m{n:02d}" for n in range(draw(st.integers(1, 6)))]
    values: dict[str, int] = {}
    relations: list[Relation[str]] = []
    for month in months:
        for measure in MEASURES:
            values[f"{month}.{measure}"] = draw(counts())
        values[f"{month}.enrolled"] = values[f"{month}.placed"] + values[f"{month}.waiting"]
        relations.append(Relation(f"{month}.enrolled", (f"{month}.placed", f"{month}.waiting")))
    for measure in ("enrolled", *MEASURES):
        parts = tuple(f"{month}.{measure}" for month in months)
        values[f"all.{measure}"] = sum(values[part] for part in parts)
        relations.append(Relation(f"all.{measure}", parts))
    relations.append(Relation("all.enrolled", ("all.placed", "all.waiting")))
    return values, relations


@settings(max_examples=500, deadline=None)
@given(cohorts())
def test_random_cohorts_show_no_small_cell_and_nothing_derivable(
    cohort: tuple[dict[str, int], list[Relation[str]]],
) -> None:
    values, relations = cohort
    shown = assert_safe(values, relations)
    assert suppress(values, relations) == shown  # deterministic
