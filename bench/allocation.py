"""Benchmark: batch allocation (issue 7) on synthetic scenarios.

Run from the repository root:

    .venv/bin/python bench/allocation.py                    # 2,000 x 500 and 2,000 x 1,000
    .venv/bin/python bench/allocation.py --sizes 500x100 --repeat 3

Each scenario has therapists licensed in one or two of a few states (capacity 3-8, 90% accepting),
seekers in those states wanting video or phone, and about 1% of pairs excluded by avoid lists.
For each size it reports the whole ``allocate`` call (pairs + solves), the pair-building share,
placed seekers, worst-off fit, total fit against the LP bound, and the independent validator's
violations (which must be 0).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

from common import machine, percentile  # bench/common.py (scripts run from bench/)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from holdspace.core.allocation import Allocation, allocate, candidate_pairs
from holdspace.core.compacts import load_compacts
from holdspace.core.conflicts import TieGraph
from holdspace.core.eligibility import SeekerInput, TherapistInput
from holdspace.core.validation import allocation_problems

AS_OF = date(2026, 11, 26)
STATES = ("US-CO", "US-AZ", "US-OH", "US-CA", "US-TX")
CONCERNS = ("burnout", "vicarious_trauma", "grief_loss", "anxiety", "moral_injury", "depression")
MODALITIES = ("emdr", "ifs", "act", "cbt", "somatic")


def scenario(
    n_seekers: int, n_therapists: int, seed: int
) -> tuple[list[SeekerInput], list[TherapistInput]]:
    rnd = random.Random(seed)
    therapists = [
        TherapistInput(
            id=f"t{j:05d}",
            profession=rnd.choice(("counselor", "social_worker", "mft")),
            licenses=tuple(rnd.sample(STATES, rnd.choice((1, 1, 2)))),
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
    avoid_each = max(1, n_therapists // 100)  # about 1% of pairs conflicted
    seekers = [
        SeekerInput(
            id=f"s{i:05d}",
            location=rnd.choice(STATES),
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
    return seekers, therapists


def run(n_seekers: int, n_therapists: int, repeat: int, seed: int) -> list[str]:
    seekers, therapists = scenario(n_seekers, n_therapists, seed)
    graph = TieGraph()
    compacts = load_compacts()
    started = time.perf_counter()
    pairs = candidate_pairs(seekers, therapists, graph, compacts=compacts, as_of=AS_OF)
    pair_seconds = time.perf_counter() - started
    timings: list[float] = []
    result: Allocation | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = allocate(seekers, therapists, graph, compacts=compacts, as_of=AS_OF)
        timings.append(time.perf_counter() - started)
    assert result is not None
    started = time.perf_counter()
    violations = allocation_problems(
        result.assignments,
        result.unmatched,
        seekers=seekers,
        therapists=therapists,
        graph=graph,
        compacts=compacts,
        as_of=AS_OF,
    )
    check_seconds = time.perf_counter() - started
    stats = result.stats
    capacity = sum(t.capacity for t in therapists if t.accepting)
    return [
        f"{n_seekers:,} x {n_therapists:,}",
        f"{len(pairs.score):,}",
        f"{capacity:,}",
        f"{percentile(timings, 0.5):.2f}",
        f"{pair_seconds:.2f}",
        f"{stats.matched:,}",
        f"{stats.min_fit or 0:.3f}",
        f"{stats.total_fit:.2f}",
        f"{stats.lp_bound:.2f}",
        f"{100 * stats.total_fit / stats.lp_bound if stats.lp_bound else 100:.2f}%",
        f"{check_seconds:.2f}",
        str(len(violations)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["2000x500", "2000x1000"])
    parser.add_argument("--repeat", type=int, default=1, help="allocate runs per size (median)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    header = [
        "seekers x therapists", "pairs", "slots", "allocate s", "of which pairs s", "placed",
        "min fit", "total fit", "LP bound", "of bound", "validate s", "violations",
    ]  # fmt: skip
    rows = [header]
    for size in args.sizes:
        n_seekers, n_therapists = (int(part) for part in size.split("x"))
        rows.append(run(n_seekers, n_therapists, args.repeat, args.seed))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print(f"Batch allocation on {machine()}")
    for index, row in enumerate(rows):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    main()
