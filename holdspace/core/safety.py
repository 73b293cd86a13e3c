"""The one rule for "does this raw submission carry a risk signal?".

DESIGN.md: PHQ-9 item 9 above 0, or a seeker choosing "thoughts of ending my life", shows crisis
resources in the same response, also when other answers are missing or invalid. So the rule reads
answers *before* they are validated: whatever else is wrong (items skipped, values off the scale,
junk fields), a risk answer is never lost in the error handling. Every path that can carry a
risk signal asks here and nowhere else.

Leaning towards a false alarm is deliberate: showing crisis resources to someone who did not
need them costs little; missing them costs too much. So a safety-item value above "Not at all"
counts even when it is off the scale, and a repeated field counts if any of its values does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from holdspace.core.instruments import INSTRUMENT_IDS, instrument

__all__ = ["CRISIS_CONCERN", "check_in_risk", "concerns_risk"]

# The Find answers' concern "Thoughts of ending my life": crisis resources, never a focus area.
CRISIS_CONCERN: Final = "ending_life"

# An answer as a person's browser sends it: an integer, optionally signed, maybe padded.
_INTEGER: Final = re.compile(r"\s*[+-]?[0-9]{1,9}\s*")


def _integers(raw: object) -> list[int]:
    """Every integer a raw answer holds: an int, integer text, or a list of either (a field
    sent more than once). Anything else holds none."""
    if isinstance(raw, bool | bytes | bytearray):
        return []
    if isinstance(raw, int):
        return [raw]
    if isinstance(raw, str):
        return [int(raw)] if _INTEGER.fullmatch(raw) else []
    if isinstance(raw, Iterable):
        return [value for part in raw for value in _integers(part)]
    return []


def check_in_risk(instrument_id: str, answers: Mapping[str, object]) -> bool:
    """Whether raw, possibly invalid or incomplete ``answers`` (item id -> value as sent) answer
    the instrument's safety item above its lowest option. False for an instrument without a
    safety item, or one this core does not know."""
    if instrument_id not in INSTRUMENT_IDS:
        return False
    inst = instrument(instrument_id)
    if inst.safety_item is None or inst.safety_item not in answers:
        return False
    return any(inst.is_risk_answer(value) for value in _integers(answers[inst.safety_item]))


def concerns_risk(concerns: Iterable[object]) -> bool:
    """Whether raw Find concerns (as sent, possibly with invalid choices beside it) include
    "thoughts of ending my life"."""
    return any(
        isinstance(concern, str) and concern.strip() == CRISIS_CONCERN for concern in concerns
    )
