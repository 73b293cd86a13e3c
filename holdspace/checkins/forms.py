"""Reading a check-in from a posted form, and laying out its questions for the page.

Answers arrive as ``item-<id>`` fields. Everything is checked by the core's ``score()``; this
module only turns its ``InstrumentError.problems`` into sentences a tired person can act on,
and keeps every valid answer so nothing chosen is lost on a re-render.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from holdspace.checkins import words
from holdspace.core.instruments import (
    Instrument,
    InstrumentError,
    Score,
    instrument,
    proqol_item_text,
    score,
)

FIELD_PREFIX = "item-"
# Every check-in form names its instrument, so any page (an error page too) can read its answers.
INSTRUMENT_FIELD = "instrument"
# Roughly how long one question takes a tired reader (seconds); used for "about N minutes".
SECONDS_PER_ITEM = 10
_INTEGER = re.compile(r"-?[0-9]{1,6}")

MISSING = "Please choose an answer to this question."
OFF_SCALE = "That answer isn’t one of the choices. Please choose one of the answers shown."
UNKNOWN = (
    "We received an answer to a question that isn’t part of this check-in, so we set it aside."
)
NOTHING_ANSWERED = "Please answer at least a few questions in one section to see a result."


@dataclass(frozen=True)
class Submission:
    """A complete, valid check-in: answers as scored, with the word shown for "[helper]"."""

    instrument_id: str
    answers: dict[str, int]
    profession_word: str
    score: Score

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The answers as form fields, so the results page can carry them without storing them."""
        fields = [(INSTRUMENT_FIELD, self.instrument_id)]
        fields += [
            (f"{FIELD_PREFIX}{item_id}", str(value)) for item_id, value in self.answers.items()
        ]
        if self.profession_word:
            fields.append(("word", self.profession_word))
        return fields


@dataclass
class Problems:
    by_item: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_item or self.general)


def read(
    instrument_id: str, data: Mapping[str, str]
) -> tuple[Submission | None, dict[str, int], Problems]:
    """Parse and score posted answers. Returns the submission (None when there are problems),
    the answers worth keeping on the page, and the problems in plain words."""
    inst = instrument(instrument_id)
    known = {item.id for item in inst.items}
    answers: dict[str, int] = {}
    problems = Problems()
    for key, raw in data.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        item_id = key.removeprefix(FIELD_PREFIX)
        if _INTEGER.fullmatch(raw.strip()):
            answers[item_id] = int(raw)
        elif item_id in known:
            problems.by_item[item_id] = OFF_SCALE
        else:
            problems.general.append(UNKNOWN)
    try:
        result = score(instrument_id, answers)
    except InstrumentError as error:
        for item_id in error.problems:
            if item_id not in known:
                if UNKNOWN not in problems.general:
                    problems.general.append(UNKNOWN)
            elif item_id in answers:
                problems.by_item[item_id] = OFF_SCALE
            else:
                problems.by_item.setdefault(item_id, MISSING)
        result = None
    if result is not None and not result.scales and not problems:
        problems.general.append(NOTHING_ANSWERED)  # a CBI with every section skipped
    kept = {
        item_id: value
        for item_id, value in answers.items()
        if item_id in known and item_id not in problems.by_item
    }
    if problems or result is None:
        return None, kept, problems
    word = profession_word_for(inst, data.get("word"))
    return Submission(instrument_id, answers, word, result), kept, problems


def profession_word_for(
    inst: Instrument, value: str | None, default: str = words.GENERIC_WORD
) -> str:
    return words.clean_word(value, default=default) if inst.placeholders else ""


# --- laying out the questions ---------------------------------------------------------------


@dataclass(frozen=True)
class OptionView:
    value: int
    label: str
    checked: bool


@dataclass(frozen=True)
class ItemView:
    id: str
    number: int
    text: str
    options: list[OptionView]
    required: bool
    error: str | None
    note: str | None  # for the optional difficulty question

    @property
    def field_name(self) -> str:
        return f"{FIELD_PREFIX}{self.id}"

    @property
    def first_input_id(self) -> str:
        return f"q{self.id}-0"


def item_text(inst: Instrument, text: str, profession_word: str) -> str:
    return proqol_item_text(text, profession_word or None) if inst.placeholders else text


def item_views(
    inst: Instrument, *, answers: Mapping[str, int], problems: Problems, profession_word: str
) -> list[ItemView]:
    return [
        ItemView(
            id=item.id,
            number=number,
            text=item_text(inst, item.text, profession_word),
            options=[
                OptionView(o.value, o.label, answers.get(item.id) == o.value) for o in item.options
            ],
            required=item.required,
            error=problems.by_item.get(item.id),
            note=(
                "Optional. Answer this if any of the questions above bothered you at all."
                if item.show_if
                else None
            ),
        )
        for number, item in enumerate(inst.items, start=1)
    ]


def question_count(inst: Instrument) -> int:
    return len(inst.items)


def minutes(inst: Instrument) -> int:
    return max(1, math.ceil(len(inst.items) * SECONDS_PER_ITEM / 60))


def submission_from(instrument_id: str, answers: Mapping[str, int], word: str | None) -> Submission:
    """A submission rebuilt from stored values (the session); raises InstrumentError if stale."""
    inst = instrument(instrument_id)
    result = score(instrument_id, answers)
    return Submission(instrument_id, dict(answers), profession_word_for(inst, word), result)
