"""CSV export of a person's own check-ins: one row per check-in, stable columns. Times are
ISO 8601 in the reader's zone (active for the request) with its UTC offset, as the column
name says: "2026-03-03T09:00:00-05:00"."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from holdspace.checkins.models import CheckIn
from holdspace.checkins.presenters import number
from holdspace.core.instruments import INSTRUMENT_IDS, instrument


def _columns() -> tuple[list[str], int]:
    scale_ids: list[str] = []
    for instrument_id in INSTRUMENT_IDS:
        scale_ids += [s.id for s in instrument(instrument_id).scales if s.id not in scale_ids]
    most_items = max(len(instrument(i).items) for i in INSTRUMENT_IDS)
    return scale_ids, most_items


def csv_text(checkins: Iterable[CheckIn]) -> str:
    scale_ids, most_items = _columns()
    header = ["taken_at_iso8601", "instrument", "profession_word", "self_harm"]
    header += [f"{kind}_{scale_id}" for scale_id in scale_ids for kind in ("score", "band")]
    header += [f"answer_{n}" for n in range(1, most_items + 1)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for checkin in checkins:
        row = [
            timezone.localtime(checkin.taken_at).isoformat(timespec="seconds"),
            checkin.instrument,
            checkin.profession_word,
            "yes" if checkin.self_harm else "no",
        ]
        for scale_id in scale_ids:
            value = checkin.scales.get(scale_id)
            row += [number(value) if value is not None else "", checkin.bands.get(scale_id) or ""]
        # Answers by position in the instrument, so "answer_9" is the ninth question.
        items = instrument(checkin.instrument).items
        row += [str(checkin.answers.get(item.id, "")) for item in items]
        row += [""] * (most_items - len(items))
        writer.writerow(row)
    return out.getvalue()
