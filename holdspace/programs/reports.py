"""Aggregate program reports: counts by month of enrollment, with small-cell suppression.

Coordinators see only what this module returns: cells (a count, or None when suppressed) and a
few statistics shown only when at least 11 people contribute to them. The people behind the
figures never leave this module. Suppression is ``holdspace.core.suppression``: every count
from 1 to 10 is hidden, and more cells are hidden where needed so that no hidden count can be
worked out from the totals.

Measures per month: enrolled = placed + waiting + left (waiting includes an offer awaiting the
therapist's answer; left = left the program before being placed), and sessions held through the
program (confirmed sessions with the program therapist after the offer, up to the allowance).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from holdspace.checkins.models import CheckIn, Instrument
from holdspace.core.suppression import SMALLEST_SHOWN, Relation, suppress, too_few
from holdspace.programs.models import (
    AllocationRun,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
    Program,
    ProgramTherapist,
)
from holdspace.scheduling.models import Booking, BookingStatus

TOTAL = "total"
MEASURES = ("enrolled", "placed", "waiting", "left", "sessions")
MEASURE_LABELS = {
    "enrolled": "Enrolled",
    "placed": "Placed",
    "waiting": "Waiting",
    "left": "Left the program",
    "sessions": "Sessions held",
}
PROQOL_SCALES = (("CS", "Compassion satisfaction"), ("BO", "Burnout"),
                 ("STS", "Secondary traumatic stress"))  # fmt: skip
TOO_FEW = "Too few to report"
NOT_SHOWN = "Not shown"

type Key = tuple[str, str]  # (month "2026-11" or TOTAL, measure)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[int | None, ...]  # in MEASURES order; None = suppressed


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "Nov 2026: 14 enrolled" / "... not shown"
    shown: bool


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, month label)
    title: str
    desc: str


@dataclass(frozen=True)
class Report:
    too_few: bool
    rows: tuple[Row, ...] = ()
    total: Row | None = None
    median_days: float | None = None  # None: fewer than 11 people contribute
    proqol: tuple[tuple[str, float | None], ...] = ()  # (scale name, mean change or None)
    chart: BarChart | None = None


def _month(moment: dt.datetime) -> str:
    # UTC months for everyone: buckets that moved with the reader's zone would let two views
    # of one report be subtracted to reveal a suppressed count.
    return moment.astimezone(dt.UTC).strftime("%Y-%m")


def _month_label(month: str) -> str:
    return dt.date.fromisoformat(f"{month}-01").strftime("%b %Y")


def _enrollee_facts(program: Program) -> list[tuple[Enrollment, str, int, dt.datetime | None]]:
    """Per enrollee (inside this module only): bucket, sessions held, first session start."""
    now = timezone.now()
    accepted: dict[int, Placement] = {
        p.enrollment_id: p
        for p in Placement.objects.filter(
            enrollment__program=program, status=PlacementStatus.ACCEPTED
        ).select_related("place")
    }
    facts = []
    for enrollment in Enrollment.objects.filter(program=program).order_by("pk"):
        placement = accepted.get(enrollment.pk)
        if enrollment.status == EnrollmentStatus.PLACED or (
            enrollment.status == EnrollmentStatus.WITHDRAWN and placement is not None
        ):
            bucket = "placed"
        elif enrollment.status == EnrollmentStatus.WITHDRAWN:
            bucket = "left"
        else:
            bucket = "waiting"
        sessions, first = 0, None
        if placement is not None:
            held = list(
                Booking.objects.filter(
                    profile_id=placement.place.profile_id,
                    seeker_id=enrollment.seeker_id,
                    status=BookingStatus.CONFIRMED,
                    start__gte=placement.offered_at,
                    end__lte=now,
                )
                .order_by("start")
                .values_list("start", flat=True)
            )
            sessions = min(len(held), program.session_allowance)
            first = held[0] if held else None
        facts.append((enrollment, bucket, sessions, first))
    return facts


def _proqol_changes(enrollments: list[Enrollment]) -> dict[str, list[float]]:
    """First vs latest ProQOL after enrollment, for those who agreed to share only."""
    changes: dict[str, list[float]] = defaultdict(list)
    for enrollment in enrollments:
        if not enrollment.share_outcomes:
            continue
        checkins = list(
            CheckIn.objects.filter(
                user_id=enrollment.seeker_id,
                instrument=Instrument.PROQOL5,
                taken_at__gte=enrollment.enrolled_at,
            ).order_by("taken_at", "pk")
        )
        if len(checkins) < 2:
            continue
        first, latest = checkins[0].scales, checkins[-1].scales
        for scale, _ in PROQOL_SCALES:
            if scale in first and scale in latest:
                changes[scale].append(float(latest[scale]) - float(first[scale]))
    return changes


def program_report(program: Program) -> Report:
    facts = _enrollee_facts(program)
    if too_few(len(facts)):
        return Report(too_few=True)
    months = sorted({_month(e.enrolled_at) for e, _, _, _ in facts})
    values: dict[Key, int] = {}
    for month in [*months, TOTAL]:
        for measure in MEASURES:
            values[(month, measure)] = 0
    for enrollment, bucket, sessions, _ in facts:
        for month in (_month(enrollment.enrolled_at), TOTAL):
            values[(month, "enrolled")] += 1
            values[(month, bucket)] += 1
            values[(month, "sessions")] += sessions
    relations: list[Relation[Key]] = [
        Relation((m, "enrolled"), ((m, "placed"), (m, "waiting"), (m, "left")))
        for m in [*months, TOTAL]
    ]
    relations += [
        Relation((TOTAL, measure), tuple((m, measure) for m in months)) for measure in MEASURES
    ]
    shown = suppress(values, relations)

    def row(month: str, label: str) -> Row:
        return Row(label=label, cells=tuple(shown[(month, m)] for m in MEASURES))

    firsts = [
        (first - enrollment.enrolled_at).total_seconds() / 86400
        for enrollment, _, _, first in facts
        if first is not None
    ]
    median_days = round(statistics.median(firsts), 1) if len(firsts) >= SMALLEST_SHOWN else None
    changes = _proqol_changes([e for e, _, _, _ in facts])
    proqol = tuple(
        (
            name,
            round(statistics.mean(changes[scale]), 1)
            if len(changes[scale]) >= SMALLEST_SHOWN
            else None,
        )
        for scale, name in PROQOL_SCALES
    )
    rows = tuple(row(m, _month_label(m)) for m in months)
    return Report(
        too_few=False,
        rows=rows,
        total=row(TOTAL, "All months"),
        median_days=median_days,
        proqol=proqol,
        chart=_chart(rows),
    )


# --- chart ------------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 24, 40


def _chart(rows: tuple[Row, ...]) -> BarChart:
    """Enrolled per month as bars; a hidden count has no bar, only its "not shown" label."""
    enrolled = [r.cells[MEASURES.index("enrolled")] for r in rows]
    top = max([v for v in enrolled if v is not None] + [1])
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(rows), 1)
    baseline = HEIGHT - BOTTOM
    bars, ticks = [], []
    for index, (r, value) in enumerate(zip(rows, enrolled, strict=True)):
        centre = LEFT + slot * (index + 0.5)
        width = min(48.0, slot * 0.6)
        height = 0.0 if value is None else (baseline - TOP) * value / top
        bars.append(
            Bar(
                x=round(centre - width / 2, 1),
                y=round(baseline - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=f"{r.label}: {NOT_SHOWN.lower() if value is None else value} enrolled",
                shown=value is not None,
            )
        )
        ticks.append((round(centre, 1), r.label))
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        bars=tuple(bars),
        ticks=tuple(ticks),
        title="People enrolled, by month of enrollment",
        desc=(
            "Bar chart of how many people enrolled each month. Months whose count is hidden "
            "have no bar. The same figures are in the table below."
        ),
    )


# --- CSV --------------------------------------------------------------------------------------

SUPPRESSED_CSV = ""  # an empty cell: hidden (1 to 10, or hidden so a small count can't be derived)


def _csv_cell(value: int | None) -> str:
    return SUPPRESSED_CSV if value is None else str(value)


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if report.too_few:
        writer.writerow([TOO_FEW])
        return out.getvalue()
    writer.writerow(["Month of enrollment", *(MEASURE_LABELS[m] for m in MEASURES)])
    assert report.total is not None
    for row in (*report.rows, report.total):
        writer.writerow([row.label, *(_csv_cell(v) for v in row.cells)])
    writer.writerow([])
    writer.writerow(
        ["Median days from enrollment to first session",
         TOO_FEW if report.median_days is None else report.median_days]
    )  # fmt: skip
    for name, change in report.proqol:
        writer.writerow(
            [f"Mean change in ProQOL {name} (those who agreed to share)",
             TOO_FEW if change is None else change]
        )  # fmt: skip
    writer.writerow([])
    writer.writerow(
        ["An empty cell is hidden: it is between 1 and 10, or it is hidden so that a small "
         "number can't be worked out from the totals."]
    )  # fmt: skip
    return out.getvalue()


# --- run summary and places -----------------------------------------------------------------


def run_summary(run: AllocationRun) -> dict[str, int | None]:
    """A run's counts, suppressed like the report (considered = placed + still waiting)."""
    return counts_summary(considered=run.seekers, placed=run.placed, waiting=run.waiting)


def counts_summary(*, considered: int, placed: int, waiting: int) -> dict[str, int | None]:
    """Allocation counts (a run's, or a dry run's before it is run), suppressed."""
    values = {"considered": considered, "placed": placed, "waiting": waiting}
    return suppress(values, [Relation("considered", ("placed", "waiting"))])


def fit_summary(
    *, placed_shown: bool, total_fit: float, lp_bound: float, min_fit: float | None
) -> dict[str, str | None]:
    """How good a proposed allocation is, in words. The share of the best possible fit and the
    worst-off fit never reveal how many are placed; the raw total fit (at least one per whole
    point) is shown only when the number placed is shown too."""
    share = f"{round(100 * total_fit / lp_bound)}%" if lp_bound > 0 else None
    return {
        "share": share,
        "total": f"{total_fit:.2f} of a best possible {lp_bound:.2f}" if placed_shown else None,
        "worst": None if min_fit is None else f"{min_fit:.2f}",
    }


def capacity_summary(program: Program) -> dict[str, int]:
    """Therapists in the program and the places they offer in all. These describe therapists'
    own choices, not the people helped, and never how many places are taken."""
    places = ProgramTherapist.objects.filter(program=program, left_at__isnull=True)
    return {
        "therapists": places.count(),
        "places": sum(places.values_list("capacity", flat=True)),
    }


@dataclass(frozen=True)
class Overview:
    """One program at a glance for its coordinator's home: the report's own (suppressed) totals,
    so no figure on the home can be set against the report to work out a hidden one."""

    program: Program
    too_few: bool  # fewer than 11 enrolled: nothing counted is shown
    placed: int | None  # None: not shown
    waiting: int | None
    latest: AllocationRun | None
    latest_summary: dict[str, int | None] | None


def overview(program: Program) -> Overview:
    report = program_report(program)
    cells = dict(zip(MEASURES, report.total.cells, strict=True)) if report.total else {}
    latest = AllocationRun.objects.filter(program=program).first()
    return Overview(
        program=program,
        too_few=report.too_few,
        placed=cells.get("placed"),
        waiting=cells.get("waiting"),
        latest=latest,
        latest_summary=run_summary(latest) if latest else None,
    )
