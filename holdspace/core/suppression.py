"""Small-cell suppression for aggregate reports (issue 7; DESIGN.md "Privacy and safety rules").

Programs see counts, never people. A report is a set of counts (cells) tied together by
*relations*: a total equals the sum of its parts (a month's enrolled = placed + waiting; the
year's placed = the sum of the months' placed). The rule:

1. **Primary suppression.** Every count from 1 to ``smallest_shown - 1`` (1 to 10) is
   suppressed. A 0 is shown: an empty cell says that nobody is in it, which reveals nothing about
   any person. Zeros are therefore public, and a reader knows that every suppressed cell is at
   least 1 (see "What a reader can learn" below).
2. **Complementary suppression.** No suppressed cell may be recoverable from the shown cells and
   the relations. First the usual heuristic: while some relation has exactly one suppressed
   cell (which its shown cells would give away by subtraction), also suppress that relation's
   smallest shown non-zero cell, preferring parts over totals. Then an exact check: a suppressed
   cell is *determined* exactly when its unit vector lies in the row space of the relation
   matrix restricted to the suppressed columns (the shown cells move to the right-hand side). The
   row space is computed by Gaussian elimination in exact integer arithmetic (no floating point),
   so the check is a proof, not an estimate. While some cell is determined, the smallest shown
   non-zero cell of a relation touching it (else of a relation in its connected block) is
   suppressed too, and the check runs again.
3. **A program with fewer than ``smallest_shown`` enrollees shows nothing** but "too few to
   report" (:func:`too_few`); this module does not decide what the page then says.

What a reader can learn
-----------------------
The guarantee holds for a reader who knows every shown cell, every relation and that counts are
whole numbers of 0 or more: for each suppressed cell, the tables consistent with all of that
still disagree on its value. Proof sketch: complementary cells are always non-zero, so every
suppressed cell is at least 1 in the true table; if a cell is not determined by the linear
system, some direction in its null space changes it, and a small step along it keeps every
suppressed cell positive. So "not determined by the equations" (what we check exactly) and "not
pinned by the equations plus non-negativity" (what a linear program would check) coincide; the
tests confirm the latter independently with an LP solver.

A reader also knows that suppressed cells are at least 1, since zeros are shown. That bound can
pin a cell whose value is exactly 1 even when the equations do not. After the exact check,
:func:`_pinned_at_one` looks for a direction that moves each suppressed cell without lowering any
cell that is at 1. When it finds none, it treats the cell as exposed and suppresses more. That
errs towards hiding too much. The one case it cannot fix is a block of related cells where every
non-zero cell is already hidden; then there is nothing left to suppress.

Statistics that are not counts (a median of days, a mean change in ProQOL scores) are shown only
where the count of people they describe is shown; the caller applies that after suppression.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

SMALLEST_SHOWN: Final = 11  # counts 1..10 are never shown; 0 is shown

type _Row = dict[int, int]  # sparse row of an integer matrix: column -> non-zero coefficient


@dataclass(frozen=True)
class Relation[K: Hashable]:
    """``total == sum(parts)``, e.g. a month's total, or enrolled == placed + waiting."""

    total: K
    parts: tuple[K, ...]


def too_few(enrolled: int, *, smallest_shown: int = SMALLEST_SHOWN) -> bool:
    """True when a program is too small to report anything ("too few to report")."""
    return enrolled < smallest_shown


def suppress[K: Hashable](
    values: Mapping[K, int],
    relations: Sequence[Relation[K]],
    *,
    smallest_shown: int = SMALLEST_SHOWN,
) -> dict[K, int | None]:
    """Primary suppression of every count in 1..smallest_shown-1, then complementary suppression
    until no suppressed cell is determined by the shown cells and the relations. None =
    suppressed.

    Raises ValueError for a negative or non-integer count, a relation naming an unknown cell, or
    values that break a relation (the check would then be meaningless). Deterministic: ties
    between equally small candidates go to the cell listed first in ``values``.
    """
    if smallest_shown < 1:
        raise ValueError(f"smallest_shown must be 1 or more, got {smallest_shown}")
    table = _Table(values, relations)
    hidden = [1 <= v < smallest_shown for v in table.values]
    table.complete(hidden)
    return {
        key: None if hidden[index] else table.values[index] for index, key in enumerate(table.keys)
    }


class _Table[K: Hashable]:
    """Cells numbered in the order of ``values``; relations as sparse integer rows."""

    def __init__(self, values: Mapping[K, int], relations: Sequence[Relation[K]]) -> None:
        self.keys: list[K] = list(values)
        index = {key: position for position, key in enumerate(self.keys)}
        self.values: list[int] = []
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"cell {key!r}: expected a count of 0 or more, got {value!r}")
            self.values.append(value)
        self.rows: list[_Row] = []
        self.totals: list[int] = []  # the column of each relation's total
        self.relations_of: list[list[int]] = [[] for _ in self.keys]
        for relation in relations:
            for key in (relation.total, *relation.parts):
                if key not in index:
                    raise ValueError(f"relation {relation!r} names unknown cell {key!r}")
            total = index[relation.total]
            row: _Row = {total: -1}
            for part in relation.parts:
                column = index[part]
                row[column] = row.get(column, 0) + 1
            row = {column: c for column, c in row.items() if c}
            if sum(c * self.values[column] for column, c in row.items()) != 0:
                raise ValueError(f"values break {relation!r}: the total is not the sum of parts")
            number = len(self.rows)
            self.rows.append(row)
            self.totals.append(total)
            for column in row:
                self.relations_of[column].append(number)

    def _candidate(self, hidden: list[bool], relations: Sequence[int]) -> int | None:
        """The smallest shown non-zero cell of these relations, parts before totals."""
        best: tuple[int, int, int] | None = None
        for number in relations:
            for column in self.rows[number]:
                if hidden[column] or self.values[column] == 0:
                    continue  # zeros stay shown: they are public and protect nobody
                key = (self.values[column], int(column == self.totals[number]), column)
                if best is None or key < best:
                    best = key
        return None if best is None else best[2]

    def _heuristic(self, hidden: list[bool]) -> None:
        """Suppress until no relation has exactly one suppressed cell."""
        changed = True
        while changed:
            changed = False
            for number, row in enumerate(self.rows):
                if sum(hidden[column] for column in row) != 1:
                    continue
                column = self._candidate(hidden, [number])
                # None: the lone suppressed cell is the only non-zero one, so the relation says
                # it is 0, which is impossible for a suppressed (non-zero) cell; cannot happen.
                if column is not None:
                    hidden[column] = True
                    changed = True

    def _block(self, hidden: list[bool], start: int) -> list[int]:
        """Relations connected to cell ``start`` through suppressed cells."""
        seen_cells = {start}
        seen_relations: set[int] = set()
        stack = [start]
        while stack:
            cell = stack.pop()
            for number in self.relations_of[cell]:
                if number in seen_relations:
                    continue
                seen_relations.add(number)
                for column in self.rows[number]:
                    if hidden[column] and column not in seen_cells:
                        seen_cells.add(column)
                        stack.append(column)
        return sorted(seen_relations)

    def complete(self, hidden: list[bool]) -> None:
        """Complementary suppression: heuristic, then exact checks until nothing is exposed."""
        self._heuristic(hidden)
        while True:
            determined = _determined(self.rows, hidden)
            exposed = determined or _pinned_at_one(self.rows, hidden, self.values)
            column = None
            for cell in exposed:
                column = self._candidate(hidden, self.relations_of[cell])
                if column is None:
                    column = self._candidate(hidden, self._block(hidden, cell))
                if column is not None:
                    break
            if column is None:
                if determined:  # impossible: see _determined's docstring
                    raise AssertionError("a determined cell with nothing left to suppress")
                return  # nothing exposed, or every non-zero cell near the exposed ones is hidden
            hidden[column] = True
            self._heuristic(hidden)


def _determined(rows: Sequence[_Row], hidden: Sequence[bool]) -> list[int]:
    """Suppressed cells whose value follows from the relations and the shown cells.

    Cell j is determined iff e_j is in the row space of the relation matrix restricted to the
    suppressed columns, i.e. iff the reduced row echelon form has a row equal to e_j. Exact:
    integer rows, fraction-free elimination, each row divided by the gcd of its entries.

    If a block of relations connected through suppressed cells had no shown non-zero cell, its
    right-hand sides would all be 0 and a determined cell would be 0, yet suppressed cells are
    never 0; so a determined cell always has a shown non-zero cell left to suppress.
    """
    matrix: list[_Row] = []
    for row in rows:
        restricted = {column: c for column, c in row.items() if hidden[column]}
        if restricted:
            matrix.append(restricted)
    pivots: list[tuple[int, _Row]] = []  # (pivot column, row) of the reduced form so far
    for row in matrix:
        for column, pivot_row in pivots:
            row = _eliminate(row, pivot_row, column)
            if not row:
                break
        if not row:
            continue
        column = min(row)
        pivots = [(c, _eliminate(other, row, column)) for c, other in pivots]
        pivots.append((column, row))
    return sorted(column for column, row in pivots if len(row) == 1)


def _eliminate(row: _Row, pivot_row: _Row, column: int) -> _Row:
    """``row`` with ``column`` cleared using ``pivot_row``, scaled to coprime integers."""
    factor = row.get(column)
    if factor is None:
        return row
    pivot = pivot_row[column]
    combined = {c: value * pivot for c, value in row.items()}
    for c, value in pivot_row.items():
        combined[c] = combined.get(c, 0) - value * factor
    result = {c: value for c, value in combined.items() if value}
    divisor = math.gcd(*result.values()) if result else 1
    if divisor > 1:
        result = {c: value // divisor for c, value in result.items()}
    return result


def _pinned_at_one(
    rows: Sequence[_Row], hidden: Sequence[bool], values: Sequence[int]
) -> list[int]:
    """Suppressed cells pinned by the reader's knowledge that suppressed cells are at least 1.

    Only cells whose true value is 1 sit on that bound. A suppressed cell j (not determined by
    the equations) can move iff some null-space direction d of the suppressed system has
    d_j != 0 and keeps every cell at 1 from going down (d_i >= 0 there, or d_i <= 0 throughout
    for the opposite direction). Such a direction is searched for exactly, among the null-space
    basis vectors (built with the cells at 1 as free variables where possible) and their signed
    sum. A cell with no direction found is reported as pinned,
    which may be a false alarm, so at worst this over-suppresses. The tests check with an LP.
    """
    columns = [c for c, h in enumerate(hidden) if h]
    ones = {c for c in columns if values[c] == 1}
    if not ones:
        return []
    basis = _null_space(rows, hidden, columns, last=ones)
    pinned: list[int] = []
    for j in columns:
        moving = [d for d in basis if d.get(j)]
        if not moving:
            continue  # determined; handled by _determined
        if any(_keeps_ones(d, ones) for d in moving):
            continue
        # A combination: sum the basis vectors that move j, each signed to raise j.
        total: dict[int, int] = {}
        for d in moving:
            sign = 1 if d[j] > 0 else -1
            for c, v in d.items():
                total[c] = total.get(c, 0) + sign * v
        if total.get(j) and _keeps_ones(total, ones):
            continue
        pinned.append(j)
    return pinned


def _keeps_ones(direction: Mapping[int, int], ones: set[int]) -> bool:
    signs = {(v > 0) - (v < 0) for c, v in direction.items() if c in ones and v}
    return len(signs) <= 1  # all cells at 1 move up (or all down, taking -d), or none move


def _null_space(
    rows: Sequence[_Row], hidden: Sequence[bool], columns: Sequence[int], *, last: set[int]
) -> list[_Row]:
    """Integer basis of the null space of the relations restricted to suppressed columns.

    Columns in ``last`` are chosen as pivots only when nothing else is left, so they tend to be
    free: each then appears (positively) in its own basis vector and in no other.
    """
    pivots: dict[int, _Row] = {}
    for row in rows:
        restricted = {c: v for c, v in row.items() if hidden[c]}
        for column, pivot_row in pivots.items():
            restricted = _eliminate(restricted, pivot_row, column)
            if not restricted:
                break
        if not restricted:
            continue
        column = min(restricted, key=lambda c: (c in last, c))
        pivots = {c: _eliminate(other, restricted, column) for c, other in pivots.items()}
        pivots[column] = restricted
    basis: list[_Row] = []
    for free in columns:
        if free in pivots:
            continue
        # x_free = L (the lcm of pivots' coefficients), each pivot p: a_p x_p + a_f x_f = 0.
        scale = 1
        for column, row in pivots.items():
            if free in row:
                scale = math.lcm(scale, abs(row[column]))
        vector: _Row = {free: scale}
        for column, row in pivots.items():
            if free in row:
                vector[column] = -row[free] * scale // row[column]
        basis.append(vector)
    return basis
