"""Entity names, normalised so that near-duplicates are caught.

"St. Mary's Hospital — Emergency Department", "st marys emergency dept" and
"Saint Mary's Hospital, Emergency Department" all become "st marys emergency department", so two
people who type the same place differently end up linked to the same entity (which is what makes
the conflict check work).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Words that distinguish nothing between two places of the same kind.
NOISE_WORDS: Final = frozenset(
    {"the", "hospital", "inc", "incorporated", "llc", "pllc", "pc", "ltd", "corp", "corporation"}
)
# Common abbreviations, written one way.
SYNONYMS: Final = {
    "saint": "st",
    "dept": "department",
    "univ": "university",
    "ctr": "center",
    "centre": "center",
    "med": "medical",
    "mt": "mount",
    "assn": "association",
    "assoc": "association",
}
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_entity_name(name: str) -> str:
    """Case-folded words without punctuation, noise words or accents; '&' reads 'and'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = _APOSTROPHES.sub("", text)  # "mary's" -> "marys", not "mary s"
    words = (
        SYNONYMS.get(word, word) for word in _NOT_WORD.sub(" ", text).replace("_", " ").split()
    )
    return " ".join(word for word in words if word not in NOISE_WORDS)
