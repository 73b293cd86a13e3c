"""The profession words a person may put in place of the ProQOL's "[helper]".

A fixed list, so the stored word is always one the terms allow in that sentence ("as a [helper]"
needs a word that takes "a"; the core refuses the others) and nothing typed is ever echoed back.
"""

from __future__ import annotations

from typing import Final

# The form's own word first: it is the default for anyone we know nothing about.
GENERIC_WORD: Final = "helper"
PROFESSION_WORDS: Final[tuple[str, ...]] = (
    GENERIC_WORD,
    "clinician",
    "counselor",
    "doctor",
    "nurse",
    "nurse practitioner",
    "paramedic",
    "physician",
    "psychiatrist",
    "psychologist",
    "social worker",
    "therapist",
    "trainee",
)

# holdspace.core.taxonomy PROFESSIONS id -> the word that fits it.
WORD_FOR_PROFESSION: Final[dict[str, str]] = {
    "psychologist": "psychologist",
    "counselor": "counselor",
    "social_worker": "social worker",
    "mft": "therapist",
    "psychiatrist": "psychiatrist",
    "physician": "physician",
    "nurse": "nurse",
    "nurse_practitioner": "nurse practitioner",
    "emt_paramedic": "paramedic",
    "trainee": "trainee",
    "other": GENERIC_WORD,
}


def word_for(profession: str) -> str:
    return WORD_FOR_PROFESSION.get(profession, GENERIC_WORD)


def clean_word(value: str | None, *, default: str = GENERIC_WORD) -> str:
    """A word from the list, or ``default`` for anything else (a tampered or stale value)."""
    return value if value in PROFESSION_WORDS else default
