"""The directory's search columns of every listed profile, in memory, as numpy arrays.

A Find request filters ~100,000 profiles and bounds the fit of ~10,000 candidates; doing that in
the database meant visiting every index entry and sorting in SQL (~30 ms). Here it is a few
vectorised operations over arrays of ~100,000 numbers.

The arrays stay correct across processes without reloading everything: every write that can
change a search column stamps the row's ``search_version`` (``directory.search``), and before
each use the index asks the database for the rows stamped after its newest stamp less
``IN_FLIGHT_US`` (a write that took its stamp before a later one but committed after it is still
picked up), and for rows created since (bulk inserts carry no stamp). Normally that is zero rows
found through the ``search_version`` and primary-key indexes (under a millisecond). A full load
(~100,000 rows, a couple of seconds) happens once per process, on first use. Rows deleted since
stay in the arrays; the selectors load every candidate from the database and drop those that
are gone or no longer listed there, so a stale entry can cost a little work, never a wrong
shortlist.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Max, Q

from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import TherapistProfile

IN_FLIGHT_US = 5 * 60 * 1_000_000  # re-read rows stamped this long before the newest stamp seen
NO_DATE = -1  # a null date, as a day number (real ones are >= 1)
NO_ZIP = -1

JURISDICTION_CODES = {code: number for number, code in enumerate(sorted(US_JURISDICTIONS))}

_COLUMNS = (
    "pk", "user_id", "listed_until", "term_bits", "language_bits", "reach_bits", "reach_until",
    "office_jurisdiction", "office_zip", "fee", "sliding_scale", "clinician_experience_years",
    "search_version",
)  # fmt: skip

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _day(value: dt.date | None) -> int:
    return value.toordinal() if value is not None else NO_DATE


def _zip(value: str) -> int:
    return int(value) if value.isdigit() else NO_ZIP


@dataclass
class Columns:
    """One entry per profile row; ``position`` maps a profile id to its entry."""

    pk: Ints
    user_id: Ints
    listed_until: Ints
    term_bits: Ints
    language_bits: Ints
    reach_bits: Ints
    reach_until: Ints
    office_jurisdiction: Ints
    office_zip: Ints
    fee: Floats  # NaN when no fee is given
    sliding_scale: Bools
    experience: Floats
    version: Ints
    node_order: Ints  # rank of the core id "u<user_id>" as a string, for the core's tie-break
    position: dict[int, int]
    newest_version: int
    largest_pk: int

    @classmethod
    def from_rows(cls, rows: list[tuple[Any, ...]]) -> Columns:
        """Column by column (a full load is ~100,000 rows)."""
        count = len(rows)
        (pk, user_id, listed_until, term_bits, language_bits, reach_bits, reach_until, office,
         office_zip, fee, sliding_scale, experience, version) = (
            list(column) for column in zip(*rows, strict=True)
        ) if rows else ([] for _ in _COLUMNS)  # fmt: skip
        columns = cls(
            pk=np.array(pk, np.int64),
            user_id=np.array(user_id, np.int64),
            listed_until=np.array([_day(d) for d in listed_until], np.int64),
            term_bits=np.array(term_bits, np.int64),
            language_bits=np.array(language_bits, np.int64),
            reach_bits=np.array(reach_bits, np.int64),
            reach_until=np.array([_day(d) for d in reach_until], np.int64),
            office_jurisdiction=np.array(
                [JURISDICTION_CODES.get(code, -1) for code in office], np.int64
            ),
            office_zip=np.array([_zip(code or "") for code in office_zip], np.int64),
            fee=np.array([np.nan if f is None else float(f) for f in fee], np.float64),
            sliding_scale=np.array(sliding_scale, np.bool_).reshape(count),
            experience=np.array(experience, np.float64),
            version=np.array(version, np.int64),
            node_order=np.zeros(count, np.int64),
            position={key: index for index, key in enumerate(pk)},
            newest_version=max(version, default=0),
            largest_pk=max(pk, default=0),
        )
        columns._finish()
        return columns

    def _set(self, index: int, row: tuple[Any, ...]) -> None:
        (pk, user_id, listed_until, term_bits, language_bits, reach_bits, reach_until, office,
         office_zip, fee, sliding_scale, experience, version) = row  # fmt: skip
        self.pk[index] = pk
        self.user_id[index] = user_id
        self.listed_until[index] = _day(listed_until)
        self.term_bits[index] = term_bits
        self.language_bits[index] = language_bits
        self.reach_bits[index] = reach_bits
        self.reach_until[index] = _day(reach_until)
        self.office_jurisdiction[index] = JURISDICTION_CODES.get(office, -1)
        self.office_zip[index] = _zip(office_zip or "")
        self.fee[index] = np.nan if fee is None else float(fee)
        self.sliding_scale[index] = bool(sliding_scale)
        self.experience[index] = float(experience)
        self.version[index] = version
        self.position[pk] = index
        self.newest_version = max(self.newest_version, version)
        self.largest_pk = max(self.largest_pk, pk)

    def _finish(self) -> None:
        nodes = np.array([f"u{user_id}" for user_id in self.user_id.tolist()])
        order = np.argsort(nodes, kind="stable")
        self.node_order = np.empty(len(order), np.int64)
        self.node_order[order] = np.arange(len(order))

    def changed(self, rows: list[tuple[Any, ...]]) -> Columns | None:
        """A copy with these rows applied (changed ones overwritten, new ones appended), or
        None when every row is already as stored. Copies, so requests still reading the old
        arrays in other threads are not disturbed."""
        rows = [
            row for row in rows
            if row[0] not in self.position or self.version[self.position[row[0]]] != row[-1]
        ]  # fmt: skip
        if not rows:
            return None
        new = [row for row in rows if row[0] not in self.position]
        grown = len(self.pk) + len(new)
        arrays = {}
        for name in _ARRAYS:
            array = getattr(self, name)
            copy = np.zeros(grown, array.dtype)
            copy[: len(array)] = array
            arrays[name] = copy
        columns = Columns(
            **arrays, node_order=self.node_order, position=dict(self.position),
            newest_version=self.newest_version, largest_pk=self.largest_pk,
        )  # fmt: skip
        start = len(self.pk)
        for row in rows:
            if row[0] in columns.position:
                columns._set(columns.position[row[0]], row)
        for offset, row in enumerate(new):
            columns._set(start + offset, row)
        if new:
            columns._finish()
        return columns


_ARRAYS = (
    "pk", "user_id", "listed_until", "term_bits", "language_bits", "reach_bits", "reach_until",
    "office_jurisdiction", "office_zip", "fee", "sliding_scale", "experience", "version",
)  # fmt: skip


class SearchIndex:
    """Thread-safe holder of the current ``Columns`` for this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._columns: Columns | None = None

    def reset(self) -> None:
        """Load everything on the next use (tests; a candidate missing from the database)."""
        with self._lock:
            self._columns = None

    def current(self, *, today: dt.date) -> Columns:
        """The columns, brought up to date with one indexed query (a full load if due)."""
        with self._lock:
            columns = self._columns
            if columns is None:
                largest_pk = TherapistProfile.objects.aggregate(largest=Max("pk"))["largest"]
                rows = list(
                    TherapistProfile.objects.filter(listed_until__gte=today)
                    .order_by()
                    .values_list(*_COLUMNS)
                )
                columns = Columns.from_rows(rows)
                columns.largest_pk = max(columns.largest_pk, largest_pk or 0)
                self._columns = columns
                return columns
            since = max(0, columns.newest_version - IN_FLIGHT_US)
            changed = list(
                TherapistProfile.objects.filter(
                    Q(search_version__gt=since) | Q(pk__gt=columns.largest_pk)
                )
                .order_by()
                .values_list(*_COLUMNS)
            )
            updated = columns.changed(changed)
            if updated is not None:
                self._columns = columns = updated
            return columns


index = SearchIndex()
