"""An independent check of an allocation result (issue 7: "a separate code path").

Nothing here comes from :mod:`holdspace.core.allocation`: each assignment is re-derived pair by
pair with the core's own rules (:func:`eligible` and :func:`conflict_reason`), and the counting is
done from scratch. It runs in tests and after every allocation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from holdspace.core.compacts import Compacts
from holdspace.core.conflicts import TieGraph, conflict_reason
from holdspace.core.eligibility import SeekerInput, TherapistInput, eligible


class Placement(Protocol):
    """Anything naming a seeker and the therapist they were given."""

    @property
    def seeker(self) -> str: ...

    @property
    def therapist(self) -> str: ...


class InvalidAllocation(ValueError):
    """An allocation that breaks a rule; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(f"invalid allocation: {'; '.join(problems)}")
        self.problems = tuple(problems)


def allocation_problems(
    assignments: Iterable[Placement],
    unmatched: Iterable[str],
    *,
    seekers: Iterable[SeekerInput],
    therapists: Iterable[TherapistInput],
    graph: TieGraph,
    compacts: Compacts,
    as_of: date,
) -> list[str]:
    """Every rule the result breaks, as readable lines; an empty list means valid.

    Rules: each known seeker appears exactly once (assigned once, or unmatched); only known
    therapists; no therapist above capacity; every pair eligible and free of conflicts.
    """
    seeker_by_id = {seeker.id: seeker for seeker in seekers}
    therapist_by_id = {therapist.id: therapist for therapist in therapists}
    placed = list(assignments)
    left_out = list(unmatched)
    problems: list[str] = []

    times_assigned = Counter(p.seeker for p in placed)
    for seeker_id, count in sorted(times_assigned.items()):
        if count > 1:
            problems.append(f"seeker {seeker_id!r} is assigned {count} therapists")
    times_unmatched = Counter(left_out)
    for seeker_id, count in sorted(times_unmatched.items()):
        if seeker_id not in seeker_by_id:
            problems.append(f"unmatched seeker {seeker_id!r} is not in the scenario")
        if count > 1:
            problems.append(f"seeker {seeker_id!r} is listed as unmatched {count} times")
        if seeker_id in times_assigned:
            problems.append(f"seeker {seeker_id!r} is both assigned and unmatched")
    for seeker_id in sorted(seeker_by_id):
        if seeker_id not in times_assigned and seeker_id not in times_unmatched:
            problems.append(f"seeker {seeker_id!r} is neither assigned nor unmatched")

    load = Counter(p.therapist for p in placed)
    for therapist_id, count in sorted(load.items()):
        known = therapist_by_id.get(therapist_id)
        if known is not None and count > known.capacity:
            problems.append(
                f"therapist {therapist_id!r} has {count} seekers, capacity {known.capacity}"
            )

    for placement in placed:
        seeker = seeker_by_id.get(placement.seeker)
        therapist = therapist_by_id.get(placement.therapist)
        pair = f"{placement.seeker!r} -> {placement.therapist!r}"
        if seeker is None:
            problems.append(f"{pair}: seeker is not in the scenario")
        if therapist is None:
            problems.append(f"{pair}: therapist is not in the scenario")
        if seeker is None or therapist is None:
            continue
        if not eligible(therapist, seeker, compacts=compacts, as_of=as_of):
            problems.append(f"{pair}: not eligible")
        reason = conflict_reason(
            seeker.id,
            therapist.id,
            graph,
            strict=seeker.strict,
            avoid=seeker.avoid,
            exclude_entities=seeker.exclude_entities,
            as_of=as_of,
        )
        if reason is not None:
            problems.append(f"{pair}: conflict ({reason})")
    return problems


def check_allocation(
    assignments: Iterable[Placement],
    unmatched: Iterable[str],
    *,
    seekers: Iterable[SeekerInput],
    therapists: Iterable[TherapistInput],
    graph: TieGraph,
    compacts: Compacts,
    as_of: date,
) -> None:
    """Raise :class:`InvalidAllocation` listing every problem, if there are any."""
    problems = allocation_problems(
        assignments,
        unmatched,
        seekers=seekers,
        therapists=therapists,
        graph=graph,
        compacts=compacts,
        as_of=as_of,
    )
    if problems:
        raise InvalidAllocation(problems)
