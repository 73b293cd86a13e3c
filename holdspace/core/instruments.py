"""Validated self-report instruments: read-only definitions and scoring.

The definitions live in ``data/instruments.json`` in this package, a verbatim copy of
``../shared/data/instruments.json`` (as of 2026-11-26; the sources and the disagreements between
them are listed in ``../shared/data/INSTRUMENTS-SOURCES.md``). Item lists, response options,
reversed items, scale membership, non-responder minimums, bands, LOINC codes and licence text are
all read from that file; this module only adds the public ids that DESIGN.md promises.

Rules taken from the data file (and the choices they forced):

- ProQOL 5: each subscale (``CS``, ``BO``, ``STS``) is the raw sum of its 10 items (10-50); the
  five items marked ``reverse`` (all burnout items) count as ``6 - x``. Bands are the current
  self-score form's raw-sum bands (<= 22 low, 23-41 moderate, >= 42 high), never t-scores.
- PHQ-9 / GAD-7: one ``total`` scale, the sum of the scored items. The file labels two PHQ-9 bands
  ``none-minimal`` and ``moderately severe``; their ids here are ``minimal`` and
  ``moderately_severe`` (``Band.label`` keeps the file's text). The difficulty question (PHQ-9 item
  ``10``, GAD-7 item ``8``) is optional, validated when given, and never scored. Any PHQ-9
  ``safety_item`` answer above "Not at all" sets the ``self_harm`` flag.
- CBI: answers are the published points (100/75/50/25/0), not option positions; the reversed work
  item counts as ``100 - x``; each scale is the mean of its answered items. Unanswered items are
  simply absent from ``answers``. A scale with fewer answers than its ``min_answered`` is a
  non-responder: the scale is absent from ``Score.scales`` (its band is ``None`` like every CBI
  band, as the CBI has no official bands). A CBI with no scorable scale is still a ``Score``, not
  an error. The client-scale minimum (3) is marked ``unconfirmed`` in the file.
- Incomplete answers are an error for every scale without a ``min_answered`` (ProQOL, PHQ-9,
  GAD-7).

No Django here: this module is part of the framework-free core.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

__all__ = [
    "INSTRUMENT_IDS",
    "SELF_HARM",
    "Band",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Scale",
    "Score",
    "instrument",
    "proqol_item_text",
    "run_score",
    "score",
]

# The public ids from DESIGN.md; the loader checks that the data file defines exactly these.
INSTRUMENT_IDS: Final[tuple[str, ...]] = ("proqol5", "phq9", "gad7", "cbi")
SELF_HARM: Final = "self_harm"

# The file has no scale for PHQ-9/GAD-7; DESIGN.md names their single scale "total".
_TOTAL: Final = "total"
# Band ids are the file's labels in snake_case, except where DESIGN.md chose a shorter id.
_BAND_ID_OVERRIDES: Final[Mapping[str, str]] = {"none-minimal": "minimal"}
# How many ids or characters an error message shows before it abbreviates (one readable line).
_MAX_LISTED: Final = 10
_MAX_SHOWN: Final = 40


class InstrumentError(ValueError):
    """Bad input to :func:`score`: the message names every offending item.

    ``problems`` maps each offending item id to a short message, so a form can show each one
    beside its question. It is empty when the problem is not about one item (an unknown
    instrument, answers that are not a mapping).
    """

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems: dict[str, str] = dict(problems or {})


@dataclass(frozen=True, slots=True)
class Option:
    value: int
    label: str
    loinc: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...]
    # None for an item that is recorded but never scored (the PHQ-9/GAD-7 difficulty question).
    scale: str | None
    reverse: bool
    # False for CBI items (non-responder minimums apply) and the difficulty question.
    required: bool
    loinc: str | None = None
    loinc_display: str | None = None
    # The file's condition for showing the item, in words (the difficulty question only).
    show_if: str | None = None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    @property
    def scored(self) -> bool:
        return self.scale is not None


@dataclass(frozen=True, slots=True)
class Band:
    id: str
    label: str  # the data file's wording
    min: float | None  # inclusive; None: open below
    max: float | None  # inclusive; None: open above

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    title: str
    definition: str | None
    items: tuple[str, ...]
    method: Literal["sum", "mean"]
    # Fewest answered items that still give a score; equal to len(items) when all are required.
    min_answered: int
    bands: tuple[Band, ...]
    unconfirmed: bool = False

    def band_for(self, value: float) -> str | None:
        return next((band.id for band in self.bands if band.contains(value)), None)


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    version: str
    instructions: str | None
    period: str | None
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    credit_line: str
    terms: str
    license_url: str | None
    authors_credit: str
    form_footer: str | None
    loinc_panel: str | None
    loinc_total: str | None
    placeholders: tuple[str, ...]
    placeholder_note: str | None
    scoring_note: str | None
    safety_item: str | None
    safety_rule: str | None
    # K in the file's reverse_formula "K - x"; None when no item is reversed.
    reverse_constant: int | None

    def item(self, item_id: str) -> Item:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise KeyError(item_id)

    def scale(self, scale_id: str) -> Scale:
        for candidate in self.scales:
            if candidate.id == scale_id:
                return candidate
        raise KeyError(scale_id)

    def is_risk_answer(self, value: int) -> bool:
        """The data file's safety rule for one answer to the safety item: anything above its
        lowest option ("Not at all"). False when the instrument has no safety item."""
        if self.safety_item is None:
            return False
        return value > min(self.item(self.safety_item).values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    scales: dict[str, float]
    # Every scale of the instrument has a key; None when it has no bands or no score.
    bands: dict[str, str | None]
    flags: frozenset[str]
    instrument: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (flags sorted)."""
        return {
            "instrument": self.instrument,
            "scales": dict(self.scales),
            "bands": dict(self.bands),
            "flags": sorted(self.flags),
        }


# --- loading -------------------------------------------------------------------------------


@functools.cache
def _instruments() -> dict[str, Instrument]:
    text = resources.files("holdspace.core").joinpath("data/instruments.json").read_text("utf-8")
    raw = json.loads(text)["instruments"]
    if tuple(raw) != INSTRUMENT_IDS:
        raise RuntimeError(f"instruments.json defines {list(raw)}, expected {list(INSTRUMENT_IDS)}")
    return {instrument_id: _parse(instrument_id, raw[instrument_id]) for instrument_id in raw}


def _parse(instrument_id: str, raw: dict[str, Any]) -> Instrument:
    scoring: dict[str, Any] = raw["scoring"]
    method = scoring["method"]
    if method not in ("sum", "mean"):
        raise RuntimeError(f"{instrument_id}: unknown scoring method {method!r}")
    # ProQOL and CBI keep bands under "scoring", PHQ-9 and GAD-7 at the top level.
    bands = tuple(_band(b) for b in raw.get("bands", scoring.get("bands", [])))

    if "scales" in raw:
        scales = tuple(
            Scale(
                id=scale_id,
                title=spec["title"],
                definition=spec.get("definition"),
                items=tuple(spec["items"]),
                method=method,
                min_answered=spec.get("min_answered", len(spec["items"])),
                bands=bands,
                unconfirmed=spec.get("unconfirmed", False),
            )
            for scale_id, spec in raw["scales"].items()
        )
    else:
        scale_items = tuple(scoring["items"])
        scales = (
            Scale(
                id=_TOTAL,
                title="Total",
                definition=None,
                items=scale_items,
                method=method,
                min_answered=len(scale_items),
                bands=bands,
            ),
        )
    scale_of = {item_id: scale for scale in scales for item_id in scale.items}

    items: list[Item] = []
    for spec in raw["items"]:
        scale = scale_of.get(spec["id"])
        options = (
            raw["response_sets"][spec["response_set"]] if "response_set" in spec else raw["options"]
        )
        items.append(
            Item(
                id=spec["id"],
                text=spec["text"],
                options=_options(options),
                scale=scale.id if scale else None,
                reverse=spec.get("reverse", False),
                required=scale is not None and scale.min_answered == len(scale.items),
                loinc=spec.get("loinc"),
                loinc_display=spec.get("loinc_display"),
            )
        )
    if "difficulty" in raw:
        spec = raw["difficulty"]
        items.append(
            Item(
                id=spec["id"],
                text=spec["text"],
                options=_options(spec["options"]),
                scale=None,
                reverse=False,
                required=False,
                loinc=spec.get("loinc"),
                loinc_display=spec.get("loinc_display"),
                show_if=spec.get("show_if"),
            )
        )

    license_: dict[str, Any] = raw["license"]
    loinc: dict[str, Any] = raw.get("loinc") or {}
    return Instrument(
        id=instrument_id,
        name=raw["title"],
        version=raw["version"],
        instructions=raw.get("instructions"),
        period=raw.get("period"),
        items=tuple(items),
        scales=scales,
        credit_line=license_["credit_line"],
        terms=license_["terms"],
        license_url=license_.get("url"),
        authors_credit=raw["authors_credit"],
        form_footer=license_.get("form_footer"),
        loinc_panel=loinc.get("panel"),
        loinc_total=loinc.get("total"),
        placeholders=tuple(raw.get("placeholders", ())),
        placeholder_note=raw.get("placeholder_note"),
        scoring_note=scoring.get("note"),
        safety_item=raw.get("safety_item"),
        safety_rule=raw.get("safety_rule"),
        reverse_constant=_reverse_constant(instrument_id, raw),
    )


def _reverse_constant(instrument_id: str, raw: dict[str, Any]) -> int | None:
    # ProQOL keeps the formula under "scoring", the CBI at the top level.
    formula = raw.get("reverse_formula") or raw["scoring"].get("reverse_formula")
    if formula is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*-\s*x\s*", formula)
    if match is None:
        raise RuntimeError(f"{instrument_id}: unsupported reverse_formula {formula!r}")
    return int(match.group(1))


def _options(raw: list[dict[str, Any]]) -> tuple[Option, ...]:
    return tuple(Option(value=o["value"], label=o["label"], loinc=o.get("loinc")) for o in raw)


def _band(raw: dict[str, Any]) -> Band:
    label: str = raw["band"]
    band_id = _BAND_ID_OVERRIDES.get(label, label.replace(" ", "_").replace("-", "_"))
    return Band(id=band_id, label=label, min=raw.get("min"), max=raw.get("max"))


# --- public API ----------------------------------------------------------------------------


def instrument(instrument_id: str) -> Instrument:
    """The definition of one instrument; :class:`InstrumentError` for an unknown id."""
    try:
        return _instruments()[instrument_id]
    except (KeyError, TypeError):  # TypeError: an unhashable id
        raise InstrumentError(
            f"unknown instrument {_show(instrument_id)} (known: {', '.join(INSTRUMENT_IDS)})"
        ) from None


def score(instrument_id: str, answers: Mapping[str, int]) -> Score:
    """Score ``answers`` (item id -> response value from the data file) by the published key.

    Raises :class:`InstrumentError` naming every unknown item, missing item, non-integer value
    and value off the scale at once.
    """
    inst = instrument(instrument_id)
    values = _validate(inst, answers)

    scales: dict[str, float] = {}
    bands: dict[str, str | None] = {}
    for scale in inst.scales:
        points = [_points(inst, inst.item(i), values[i]) for i in scale.items if i in values]
        bands[scale.id] = None
        if len(points) < scale.min_answered:
            continue  # a non-responder for this scale (CBI): no score
        value = float(sum(points)) if scale.method == "sum" else sum(points) / len(points)
        scales[scale.id] = value
        bands[scale.id] = scale.band_for(value)

    flags: set[str] = set()
    if inst.safety_item is not None and inst.is_risk_answer(values[inst.safety_item]):
        flags.add(SELF_HARM)
    return Score(scales=scales, bands=bands, flags=frozenset(flags), instrument=inst.id)


def proqol_item_text(
    text: str, profession_word: str | None = None, *, help_word: str | None = None
) -> str:
    """ProQOL text (an item or the instructions) with its bracketed placeholders filled in.

    The ProQOL terms allow only the bracketed words to change. ``profession_word`` replaces
    ``[helper]`` (e.g. "nurse") and ``help_word`` replaces the verb ``[help]`` (e.g. "treat");
    a profession noun is never put where a verb belongs. Every other placeholder ([helping],
    [helped], [work]), and any that is not given, becomes its generic word without brackets,
    as the data file's placeholder note says. Unbracketed words are never touched, so the
    "a" before "[helper]" stays: a word that needs "an" raises ``ValueError`` rather than
    printing "a emergency physician" or silently changing the form's wording.
    """
    replacements = {"[helper]": profession_word, "[help]": help_word}
    for placeholder, word in replacements.items():
        if word is None:
            continue
        if not word.strip() or any(c in word for c in "[]\n\r"):
            raise ValueError(f"not a usable word for {placeholder}: {word!r}")
        needs_an = word.strip()[0].lower() in "aeiou"
        if placeholder == "[helper]" and needs_an and re.search(r"\ba \[helper\]", text):
            raise ValueError(
                f"{word!r} would follow 'a' ('as a [helper]'), and the ProQOL terms allow "
                "only the bracketed word to change; choose a word that takes 'a'"
            )

    placeholders = instrument("proqol5").placeholders
    pattern = "|".join(re.escape(p) for p in sorted(placeholders, key=len, reverse=True))

    def fill(match: re.Match[str]) -> str:
        word = replacements.get(match.group(0))
        return word.strip() if word is not None else match.group(0)[1:-1]

    return re.sub(pattern, fill, text)


def run_score(instrument_id: str, path: str) -> int:
    """The ``score`` CLI command: print the score as JSON (0), or one error line on stderr (2)."""
    try:
        inst = instrument(instrument_id)
        try:
            data = json.loads(Path(path).read_bytes())
        except OSError as exc:
            raise InstrumentError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise InstrumentError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        except (UnicodeDecodeError, RecursionError):
            raise InstrumentError(f"{path}: not valid JSON") from None
        if not isinstance(data, dict):
            raise InstrumentError(
                f"{path}: expected a JSON object of item ids to answers, got {_json_type(data)}"
            )
        result = score(inst.id, data)
    except InstrumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


# --- validation ------------------------------------------------------------------------------


def _validate(inst: Instrument, answers: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise InstrumentError(
            f"{inst.id}: answers must map item ids to values, got {type(answers).__name__}"
        )
    known = {item.id: item for item in inst.items}
    unknown: list[str] = []
    invalid: dict[str, str] = {}
    values: dict[str, int] = {}
    for key, value in answers.items():
        item = known.get(key) if isinstance(key, str) else None
        if item is None:
            # A non-string key (say 7 for "7") must not read like the item id it resembles.
            unknown.append(key if isinstance(key, str) else f"{key!r} (not a string)")
            continue
        allowed = ", ".join(str(v) for v in item.values)
        # bool is an int subclass, but True is not an answer.
        if isinstance(value, bool) or not isinstance(value, int):
            invalid[key] = f"{_show(value)} is not an integer (allowed: {allowed})"
        elif value not in item.values:
            invalid[key] = f"{value} is off the scale (allowed: {allowed})"
        else:
            values[key] = value
    missing = [item.id for item in inst.items if item.required and item.id not in answers]
    if not (unknown or invalid or missing):
        return values

    unknown.sort(key=_natural)
    problems: dict[str, str] = dict.fromkeys(unknown, "unknown item")
    problems.update(dict.fromkeys(missing, "missing answer"))
    problems.update(sorted(invalid.items(), key=lambda kv: _natural(kv[0])))
    parts = []
    if unknown:
        parts.append(f"unknown items: {_listing(unknown)}")
    if missing:
        parts.append(f"missing items: {_listing(missing)}")
    shown = sorted(invalid, key=_natural)
    parts.extend(f"item {item_id}: {invalid[item_id]}" for item_id in shown[:_MAX_LISTED])
    if len(shown) > _MAX_LISTED:
        parts.append(f"{len(shown) - _MAX_LISTED} more invalid values")
    raise InstrumentError(f"{inst.id}: {'; '.join(parts)}", problems)


def _points(inst: Instrument, item: Item, value: int) -> int:
    if not item.reverse:
        return value
    if inst.reverse_constant is None:
        raise RuntimeError(f"{inst.id}: item {item.id} is reversed but there is no reverse_formula")
    return inst.reverse_constant - value


def _natural(item_id: str) -> tuple[int, int, str]:
    """Order ids as people count them: 2 before 10."""
    return (0, int(item_id), "") if item_id.isdecimal() else (1, 0, item_id)


def _listing(ids: list[str]) -> str:
    head = ", ".join(ids[:_MAX_LISTED])
    return head if len(ids) <= _MAX_LISTED else f"{head} and {len(ids) - _MAX_LISTED} more"


def _show(value: object) -> str:
    text = json.dumps(value) if isinstance(value, str | bool | None) else repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
