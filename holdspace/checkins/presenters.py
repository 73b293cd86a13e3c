"""View-models for results pages: plain numbers and sentences, computed from a core Score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from holdspace.checkins import content
from holdspace.core.instruments import Instrument, Scale, instrument


@dataclass(frozen=True)
class ScaleResult:
    id: str
    name: str
    meaning: str
    value: float | None
    value_text: str  # "18", "62.5"
    range_text: str  # "0 to 27"
    band_label: str | None  # the instrument's own band words, e.g. "moderate"
    band_range: str | None  # "10 to 14"
    feeling: str | None  # what people in this work commonly feel here
    omitted: str | None  # why there is no score (CBI non-responder)
    heavy: bool  # a level worth a gentler, more direct next step


@dataclass(frozen=True)
class Results:
    instrument_id: str
    short_name: str
    scales: list[ScaleResult]
    note: str | None
    any_heavy: bool


def scale_range(inst: Instrument, scale: Scale) -> tuple[float, float]:
    """Lowest and highest possible score of a scale."""
    items = [inst.item(item_id) for item_id in scale.items]
    lows = [min(item.values) for item in items]
    highs = [max(item.values) for item in items]
    if scale.method == "mean":
        return float(min(lows)), float(max(highs))
    return float(sum(lows)), float(sum(highs))


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def band_range(low: float | None, high: float | None, scale_low: float, scale_high: float) -> str:
    bottom = scale_low if low is None else low
    top = scale_high if high is None else high
    return f"{number(bottom)} to {number(top)}"


def _cbi_feeling(value: float) -> str:
    below = max((a for a in content.CBI_ANCHORS if a[0] <= value), key=lambda a: a[0])
    above = min((a for a in content.CBI_ANCHORS if a[0] >= value), key=lambda a: a[0])
    if below == above:
        where = f"your answers average “{below[1]}”"
    else:
        where = f"your answers average between “{below[1]}” and “{above[1]}”"
    return f"On this scale, {where}."


def results_for(
    instrument_id: str, scales: Mapping[str, float], bands: Mapping[str, str | None]
) -> Results:
    inst = instrument(instrument_id)
    copy = content.INSTRUMENTS[instrument_id]
    rows: list[ScaleResult] = []
    for scale in inst.scales:
        text = content.SCALES[(instrument_id, scale.id)]
        low, high = scale_range(inst, scale)
        value = scales.get(scale.id)
        band_id = bands.get(scale.id)
        band = next((b for b in scale.bands if b.id == band_id), None)
        if band is not None:
            heavy = (
                band_id in ("high", "moderately_severe", "severe")
                if text.higher_is_harder
                else band_id == "low"
            )
            heavy = heavy or (band_id == "moderate" and instrument_id in ("phq9", "gad7"))
        else:
            heavy = value is not None and not scale.bands and value >= 50
        rows.append(
            ScaleResult(
                id=scale.id,
                name=text.name,
                meaning=text.meaning,
                value=value,
                value_text=number(value) if value is not None else "",
                range_text=f"{number(low)} to {number(high)}",
                band_label=band.label if band else None,
                band_range=band_range(band.min, band.max, low, high) if band else None,
                feeling=(
                    text.bands.get(band.id)
                    if band
                    else (_cbi_feeling(value) if value is not None else None)
                ),
                omitted=(
                    None
                    if value is not None
                    else (
                        f"No score for this part: it needs answers to at least "
                        f"{scale.min_answered} of its {len(scale.items)} questions, and fewer "
                        "were answered. That’s fine; the other parts still count."
                    )
                ),
                heavy=heavy,
            )
        )
    return Results(
        instrument_id=instrument_id,
        short_name=copy.short_name,
        scales=rows,
        note=content.CBI_NOTE if instrument_id == "cbi" else None,
        any_heavy=any(row.heavy for row in rows),
    )


def summary_text(instrument_id: str, scales: Mapping[str, float]) -> str:
    """One line for a list: "Burnout 24 · Secondary traumatic stress 20"."""
    parts = []
    for scale in instrument(instrument_id).scales:
        name = content.SCALES[(instrument_id, scale.id)].name
        value = scales.get(scale.id)
        parts.append(f"{name} {number(value)}" if value is not None else f"{name}: no score")
    return " · ".join(parts)
