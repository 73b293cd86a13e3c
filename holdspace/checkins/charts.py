"""Trend charts as plain data for a server-rendered SVG (templates/checkins/includes/chart.html).

No JavaScript and nothing from other hosts: the template draws what this module measures. Points
are evenly spaced in the order taken (two check-ins on one day stay readable); the dates are on
the axis, in each point's <title> and in the data table beside the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from holdspace.checkins import content
from holdspace.checkins.presenters import number, scale_range
from holdspace.core.instruments import instrument

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 136, 16, 44


@dataclass(frozen=True)
class Entry:
    taken_at: dt.datetime  # already in local time
    value: float | None
    band_label: str | None


@dataclass(frozen=True)
class BandRect:
    y: float
    height: float
    label: str
    label_y: float
    shade: int  # 0..2: alternate calm tints


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    id: str
    scale_name: str
    title: str
    desc: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bands: list[BandRect]
    points: list[Point]
    polyline: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    rows: list[tuple[str, str, str]]  # date, score, band

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def label_x(self) -> int:
        return self.plot_right + 8

    @property
    def has_bands(self) -> bool:
        return bool(self.bands)


def day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def trend_chart(instrument_id: str, scale_id: str, entries: Sequence[Entry]) -> Chart:
    inst = instrument(instrument_id)
    scale = inst.scale(scale_id)
    copy = content.SCALES[(instrument_id, scale_id)]
    short = content.INSTRUMENTS[instrument_id].short_name
    low, high = scale_range(inst, scale)
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return round(plot_bottom - (value - low) / (high - low) * (plot_bottom - plot_top), 1)

    scored = [e for e in entries if e.value is not None]
    step = (plot_right - plot_left) / max(len(scored) - 1, 1)

    def x_of(index: int) -> float:
        if len(scored) == 1:
            return (plot_left + plot_right) / 2
        return round(plot_left + index * step, 1)

    bands: list[BandRect] = []
    for index, band in enumerate(scale.bands):
        # Integer scores: draw each boundary halfway between the last score of one band and
        # the first of the next, so a score on a boundary sits clearly inside its band.
        top_value = high if band.max is None else min(high, band.max + 0.5)
        bottom_value = low if band.min is None else max(low, band.min - 0.5)
        y_top, y_bottom = y_of(top_value), y_of(bottom_value)
        bands.append(
            BandRect(
                y=y_top,
                height=round(y_bottom - y_top, 1),
                label=band.label,
                label_y=round((y_top + y_bottom) / 2 + 4, 1),
                shade=index % 3,
            )
        )
    points = [
        Point(x_of(i), y_of(e.value), f"{day(e.taken_at)}: {number(e.value)}")
        for i, e in enumerate(scored)
        if e.value is not None
    ]
    ticks = sorted({low, (low + high) / 2, high})
    y_ticks = [Tick(plot_left - 8, y_of(v) + 4, number(v)) for v in ticks]
    if len(points) <= 6:
        x_ticks = [
            Tick(p.x, plot_bottom + 20, day(e.taken_at))
            for p, e in zip(points, scored, strict=True)
        ]
    else:
        x_ticks = [
            Tick(points[0].x, plot_bottom + 20, day(scored[0].taken_at)),
            Tick(points[-1].x, plot_bottom + 20, day(scored[-1].taken_at)),
        ]
    direction = "Higher is harder." if copy.higher_is_harder else "Higher is better."
    if scored:
        values = ", ".join(number(e.value) for e in scored if e.value is not None)
        desc = (
            f"{len(scored)} check-in{'s' if len(scored) != 1 else ''} from "
            f"{day(scored[0].taken_at)} to {day(scored[-1].taken_at)}, in order: {values}. "
            f"Scores run from {number(low)} to {number(high)}. {direction}"
        )
    else:
        desc = "No scores for this part yet."
    return Chart(
        id=f"chart-{instrument_id}-{scale_id}",
        scale_name=copy.name,
        title=f"{short}: {copy.name} over time",
        desc=desc,
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bands=bands,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rows=[
            (
                day(e.taken_at),
                number(e.value) if e.value is not None else "no score",
                e.band_label or "",
            )
            for e in entries
        ],
    )
