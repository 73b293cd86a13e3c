"""Benchmark: batch allocation (issue 7) on synthetic scenarios.

Run from the repository root:

    .venv/bin/python bench/allocation.py                      # both shapes of issue 7
    .venv/bin/python bench/allocation.py --shapes uniform --repeat 9
    .venv/bin/python bench/allocation.py --shapes realistic --scale 0.2   # a quicker, smaller run

Shapes (targets from issue 7: under 2 s and under 15 s on 2 cores, 0 violations):

- ``uniform``: 2,000 seekers x 1,000 therapists. Therapists are licensed in one or two of five
  states, offer video and/or phone, have capacity 3-8 (90% accepting); about 1% of pairs are
  conflicted (avoid lists, and shared employer units).
- ``realistic``: 10,000 seekers x 3,000 therapists across 15 states weighted by population, with
  real licensure: second and third state licenses, PSYPACT APITs for psychologists in member
  states, Counseling Compact privileges, offices with real ZIP codes and in-person seekers with a
  travel limit; conflicts from a tie graph (health systems, employer units, training cohorts,
  person ties, avoid lists, 15% strict seekers).

For each shape it prints the wall time of the whole ``allocate`` call: the first call in the
process (which also looks up every ZIP code; the lookups are then cached) and the median of
``--repeat`` more. Then the pair-building part of a warm call (eligibility, conflicts and fit),
and peak memory: the tracemalloc peak of numpy and Python allocations during ``allocate``, and
the process's max RSS at the end. Then placed seekers, total fit against the LP bound, the
worst-off fit, and the independent validator's violations (which must be 0).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from common import machine, percentile  # bench/common.py (scripts run from bench/)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zipcodes

from holdspace.core.allocation import Allocation, allocate, candidate_pairs
from holdspace.core.compacts import Authorization, load_compacts
from holdspace.core.conflicts import Affiliation, Entity, Tie, TieGraph
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput
from holdspace.core.geo import haversine_km
from holdspace.core.validation import allocation_problems

AS_OF = date(2026, 11, 26)
CONCERNS = ("burnout", "vicarious_trauma", "grief_loss", "anxiety", "moral_injury", "depression")
MODALITIES = ("emdr", "ifs", "act", "cbt", "somatic")

type Scenario = tuple[list[SeekerInput], list[TherapistInput], TieGraph]


# -- 2,000 x 1,000: five states, remote only, about 1% of pairs conflicted --------------------

UNIFORM_STATES = ("US-CO", "US-AZ", "US-OH", "US-CA", "US-TX")


def uniform(n_seekers: int, n_therapists: int, seed: int) -> Scenario:
    rnd = random.Random(seed)
    therapists = [
        TherapistInput(
            id=f"t{j:05d}",
            profession=rnd.choice(("counselor", "social_worker", "mft")),
            licenses=tuple(rnd.sample(UNIFORM_STATES, rnd.choice((1, 1, 2)))),
            formats=tuple(rnd.sample(("video", "phone"), rnd.choice((1, 2)))),
            languages=("en",),
            fee=rnd.choice((90, 120, 150, 180)),
            accepting=rnd.random() < 0.9,
            capacity=rnd.randint(3, 8),
            modalities=tuple(rnd.sample(MODALITIES, 2)),
            focus=tuple(rnd.sample(CONCERNS, 3)),
            sliding_scale=rnd.random() < 0.3,
            clinician_experience_years=rnd.randint(0, 12),
            professions_served=("nurse", "physician"),
        )
        for j in range(n_therapists)
    ]
    ids = [t.id for t in therapists]
    avoid_each = max(1, n_therapists // 200)  # about 0.5% of pairs by avoid lists
    seekers = [
        SeekerInput(
            id=f"s{i:05d}",
            location=rnd.choice(UNIFORM_STATES),
            formats=("video",) if rnd.random() < 0.7 else ("video", "phone"),
            concerns=tuple(rnd.sample(CONCERNS, rnd.randint(1, 3))),
            modalities=tuple(rnd.sample(MODALITIES, rnd.randint(0, 2))),
            max_fee=rnd.choice((None, 100, 140)),
            avoid=tuple(rnd.sample(ids, avoid_each)),
            priority=round(rnd.random(), 3),
            profession=rnd.choice(("nurse", "physician", None)),
        )
        for i in range(n_seekers)
    ]
    # Employer units, each with 0.5% of the seekers and 0.5% of the therapists: another 0.5%.
    n_units = 200
    entities = [Entity(f"u{k}", "employer_unit") for k in range(n_units)]
    affiliations = [
        Affiliation(person, f"u{rnd.randrange(n_units)}", date(2020, 1, 1), None)
        for person in [s.id for s in seekers] + [t.id for t in therapists]
    ]
    return seekers, therapists, TieGraph(entities, affiliations)


# -- 10,000 x 3,000: realistic licensure, in person, and a tie graph ---------------------------

POPULATION = {  # millions, 2024 estimates
    "US-CA": 39.0, "US-TX": 30.5, "US-FL": 22.6, "US-NY": 19.6, "US-PA": 13.0, "US-IL": 12.5,
    "US-OH": 11.8, "US-GA": 11.0, "US-NC": 10.8, "US-MI": 10.0, "US-WA": 7.8, "US-AZ": 7.4,
    "US-IN": 6.9, "US-CO": 5.9, "US-MN": 5.7,
}  # fmt: skip
LANGUAGES = ("en", "es", "zh", "vi")
# The package's Python wrapper is untyped; this is its documented shape.
_filter_by: Callable[..., list[dict[str, Any]]] = zipcodes.filter_by


def _weighted(rnd: random.Random, weights: dict[str, float]) -> Callable[[], str]:
    keys, values = list(weights), list(weights.values())
    return lambda: rnd.choices(keys, values)[0]


def _metro_zips(rnd: random.Random) -> dict[str, list[str]]:
    """For each state, real ZIP codes within 40 km of three random centres (metro areas)."""
    found: dict[str, list[str]] = {}
    for state in POPULATION:
        rows = [
            z
            for z in _filter_by(state=state[3:])
            if z["zip_code_type"] == "STANDARD" and z["lat"] and z["long"]
        ]
        rows.sort(key=lambda z: z["zip_code"])
        chosen: list[str] = []
        for centre in rnd.sample(rows, 3):
            lat, lon = float(centre["lat"]), float(centre["long"])
            chosen += [
                z["zip_code"]
                for z in rows
                if haversine_km(lat, lon, float(z["lat"]), float(z["long"])) <= 40
            ]
        found[state] = sorted(set(chosen))
    return found


def realistic(n_seekers: int, n_therapists: int, seed: int) -> Scenario:
    rnd = random.Random(seed)
    compacts = load_compacts()
    state_of = _weighted(rnd, POPULATION)
    zips = _metro_zips(rnd)
    states = list(POPULATION)
    therapists: list[TherapistInput] = []
    for j in range(n_therapists):
        home = state_of()
        profession = rnd.choices(
            ("psychologist", "counselor", "social_worker", "mft"), (30, 35, 20, 15)
        )[0]
        licenses = [home]
        for share in (0.2, 0.05):
            if rnd.random() < share:
                licenses.append(state_of())
        authorizations: list[Authorization] = []
        if profession == "psychologist" and home in compacts.psypact and rnd.random() < 0.6:
            authorizations.append(Authorization("psypact_apit"))
        if profession == "counselor" and home in compacts.counseling and rnd.random() < 0.4:
            others = sorted(compacts.counseling & set(states) - {home})
            authorizations += [
                Authorization("counseling_compact_privilege", state)
                for state in rnd.sample(others, min(len(others), rnd.randint(1, 2)))
            ]
        office = Office(home, rnd.choice(zips[home])) if rnd.random() < 0.4 else None
        formats = ["video"] if rnd.random() < 0.95 else []
        if rnd.random() < 0.5 or not formats:
            formats.append("phone")
        if office is not None and rnd.random() < 0.8:
            formats.append("in_person")
        therapists.append(
            TherapistInput(
                id=f"t{j:05d}",
                profession=profession,
                home=home,
                licenses=tuple(dict.fromkeys(licenses)),
                authorizations=tuple(authorizations),
                office=office,
                formats=tuple(formats),
                languages=("en", rnd.choice(LANGUAGES[1:])) if rnd.random() < 0.2 else ("en",),
                fee=rnd.choice((90, 120, 150, 180, 220)),
                accepting=rnd.random() < 0.9,
                capacity=rnd.randint(3, 8),
                modalities=tuple(rnd.sample(MODALITIES, rnd.randint(1, 3))),
                focus=tuple(rnd.sample(CONCERNS, rnd.randint(2, 4))),
                sliding_scale=rnd.random() < 0.3,
                clinician_experience_years=rnd.randint(0, 15),
                professions_served=tuple(
                    rnd.sample(("nurse", "physician", "psychologist", "counselor"), 2)
                ),
            )
        )
    by_state: dict[str, list[str]] = {}
    for t in therapists:
        by_state.setdefault(t.home or "", []).append(t.id)

    seekers: list[SeekerInput] = []
    for i in range(n_seekers):
        location = state_of()
        in_person = rnd.random() < 0.25
        local = by_state.get(location, [])
        seekers.append(
            SeekerInput(
                id=f"s{i:05d}",
                location=location,
                zip=rnd.choice(zips[location]) if in_person else None,
                formats=("in_person", "video")
                if in_person and rnd.random() < 0.6
                else ("in_person",)
                if in_person
                else ("video",)
                if rnd.random() < 0.7
                else ("video", "phone"),
                concerns=tuple(rnd.sample(CONCERNS, rnd.randint(1, 3))),
                modalities=tuple(rnd.sample(MODALITIES, rnd.randint(0, 2))),
                languages=(rnd.choice(LANGUAGES),) if rnd.random() < 0.3 else (),
                max_fee=rnd.choice((None, 100, 140, 180)),
                max_km=rnd.choice((15, 30, 60)) if in_person else None,
                avoid=tuple(rnd.sample(local, min(len(local), rnd.randint(1, 3))))
                if rnd.random() < 0.2
                else (),
                strictness="strict" if rnd.random() < 0.15 else "standard",
                priority=round(rnd.random(), 3),
                profession=rnd.choice(("nurse", "physician", "psychologist", None)),
            )
        )

    # The tie graph: health systems (wide) per state, employer units inside them (close),
    # training cohorts (close), and person ties.
    entities: list[Entity] = []
    affiliations: list[Affiliation] = []
    systems: dict[str, list[str]] = {}
    for state in states:
        systems[state] = [f"hs-{state}-{k}" for k in range(max(1, round(POPULATION[state])))]
        entities += [Entity(e, "health_system") for e in systems[state]]
    n_units = max(1, n_seekers // 15)
    entities += [Entity(f"unit{k}", "employer_unit") for k in range(n_units)]
    n_cohorts = max(1, (n_seekers + n_therapists) // 40)
    entities += [Entity(f"cohort{k}", "training_cohort") for k in range(n_cohorts)]

    def join(person: str, entity: str) -> None:
        start = date(rnd.randint(2005, 2024), rnd.randint(1, 12), 1)
        ended = rnd.random() < 0.3
        end = date(min(2026, start.year + rnd.randint(1, 8)), 6, 30) if ended else None
        affiliations.append(Affiliation(person, entity, start, end))

    for s in seekers:
        join(s.id, rnd.choice(systems[s.location]))
        join(s.id, f"unit{rnd.randrange(n_units)}")
        if rnd.random() < 0.2:
            join(s.id, f"cohort{rnd.randrange(n_cohorts)}")
    for t in therapists:
        if rnd.random() < 0.4:
            join(t.id, rnd.choice(systems[t.home or states[0]]))
        if rnd.random() < 0.1:
            join(t.id, f"unit{rnd.randrange(n_units)}")
        if rnd.random() < 0.2:
            join(t.id, f"cohort{rnd.randrange(n_cohorts)}")
    ties: list[Tie] = []
    for s in seekers:
        local = by_state.get(s.location, [])
        for _ in range(rnd.randint(0, 3)):
            if local and rnd.random() < 0.3:
                ties.append(Tie(s.id, rnd.choice(local), "colleague"))
            else:
                ties.append(Tie(s.id, f"p{rnd.randrange(n_seekers)}", "friend"))
    for t in therapists:
        for _ in range(rnd.randint(0, 2)):
            ties.append(Tie(t.id, f"p{rnd.randrange(n_seekers)}", "friend"))
    return seekers, therapists, TieGraph(entities, affiliations, ties)


SHAPES: dict[str, tuple[int, int, Callable[[int, int, int], Scenario]]] = {
    "uniform": (2_000, 1_000, uniform),
    "realistic": (10_000, 3_000, realistic),
}


def run(shape: str, scale: float, repeat: int, seed: int) -> list[str]:
    full_seekers, full_therapists, build = SHAPES[shape]
    n_seekers = max(1, round(full_seekers * scale))
    n_therapists = max(1, round(full_therapists * scale))
    seekers, therapists, graph = build(n_seekers, n_therapists, seed)
    compacts = load_compacts()
    timings: list[float] = []
    result: Allocation | None = None
    for _ in range(1 + repeat):  # the first call also looks up every ZIP code (then cached)
        started = time.perf_counter()
        result = allocate(seekers, therapists, graph, compacts=compacts, as_of=AS_OF)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    pairs = candidate_pairs(
        sorted(seekers, key=lambda s: s.id),
        sorted(therapists, key=lambda t: t.id),
        graph,
        compacts=compacts,
        as_of=AS_OF,
    )
    pair_seconds = time.perf_counter() - started
    n_pairs = len(pairs.score)
    del pairs
    # Peak memory of one more run, traced (tracing slows Python code, so it is not timed).
    tracemalloc.start()
    allocate(seekers, therapists, graph, compacts=compacts, as_of=AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result is not None
    violations = allocation_problems(
        result.assignments,
        result.unmatched,
        seekers=seekers,
        therapists=therapists,
        graph=graph,
        compacts=compacts,
        as_of=AS_OF,
    )
    stats = result.stats
    # OR-Tools allocates outside Python's tracer; max RSS covers it (the whole process so far).
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        shape,
        f"{n_seekers:,} x {n_therapists:,}",
        f"{n_pairs:,}",
        f"{timings[0]:.2f}",
        f"{percentile(timings[1:], 0.5):.2f}",
        f"{pair_seconds:.2f}",
        f"{peak / 2**20:,.0f} MB",
        f"{max_rss_mb:,.0f} MB",
        f"{stats.matched:,}/{n_seekers:,}",
        f"{stats.total_fit:,.2f}",
        f"{stats.lp_bound:,.2f}",
        f"{100 * stats.total_fit / stats.lp_bound if stats.lp_bound else 100:.3f}%",
        "-" if stats.min_fit is None else f"{stats.min_fit:.3f}",
        str(len(violations)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply both sizes")
    parser.add_argument(
        "--repeat", type=int, default=3, help="allocate runs after the first (median)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    header = [
        "shape", "seekers x therapists", "pairs", "first s", "allocate s", "pairs s",
        "traced peak", "max RSS", "placed", "total fit", "LP bound", "of bound",
        "worst-off fit", "violations",
    ]  # fmt: skip
    rows = [header]
    for shape in args.shapes:
        rows.append(run(shape, args.scale, args.repeat, args.seed))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print(f"Batch allocation on {machine()}")
    for index, row in enumerate(rows):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    if any(row[-1] != "0" for row in rows[1:]):
        sys.exit("the validator found violations")


if __name__ == "__main__":
    main()
