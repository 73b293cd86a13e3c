"""A masked reminder of a person on someone's avoid list or list of people close to them.

The person is matched by a keyed hash only (nobody can read it back); this is what the owner
reads instead, so they can tell their entries apart: "D… R…" (a name's first and last initial),
"j…@…" (an email's first character, never the domain: a domain names the workplace), "…42" (a
license number's last two characters). At most two letters or digits of the original are kept,
which fits many people on any ward or roster, so the mask alone does not say who it is.
"""

from __future__ import annotations

import unicodedata
from typing import Final

ELLIPSIS: Final = "…"
LICENSE_TAIL: Final = 2  # characters of a license number kept
SHORTEST_LICENSE_SHOWN: Final = 6  # shorter numbers show no characters at all


def _visible(text: str) -> str:
    """Only letters and digits, after NFKC: no controls, direction marks, zero-width joiners
    or combining marks that could make a mask render misleadingly."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normal if unicodedata.category(ch)[0] in "LN")


def _initial(word: str, *, upper: bool) -> str:
    letters = _visible(word)
    if not letters:
        return ""
    first = letters[0]
    return first.upper()[0] if upper else first.casefold()[0]


def mask_identifier(kind: str, value: str) -> str:
    """The masked form of an identifier of ``kind`` (email, name, license). Never more than
    two characters of ``value`` survive; an unusable value gives just the ellipsis."""
    if kind == "email":
        local = value.strip().rsplit("@", 1)[0] if "@" in value else value
        initial = _initial(local, upper=False)
        return f"{initial}{ELLIPSIS}@{ELLIPSIS}" if initial else f"{ELLIPSIS}@{ELLIPSIS}"
    if kind == "name":
        initials = [i for i in (_initial(w, upper=True) for w in value.split()) if i]
        if not initials:
            return ELLIPSIS
        if len(initials) == 1:
            return f"{initials[0]}{ELLIPSIS}"
        return f"{initials[0]}{ELLIPSIS} {initials[-1]}{ELLIPSIS}"
    if kind == "license":
        characters = _visible(value).upper()
        if len(characters) < SHORTEST_LICENSE_SHOWN:
            return ELLIPSIS
        return f"{ELLIPSIS}{characters[-LICENSE_TAIL:]}"
    raise ValueError(f"unknown identifier kind {kind!r}")
