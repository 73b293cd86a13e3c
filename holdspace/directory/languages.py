"""Languages therapists can offer sessions in: ISO 639 codes with names from pycountry."""

from __future__ import annotations

import pycountry

# The languages most spoken in US homes (Census ACS) plus American Sign Language.
_CODES = (
    "en",
    "es",
    "zh",
    "tl",
    "vi",
    "ar",
    "fr",
    "ko",
    "ru",
    "ht",
    "de",
    "pt",
    "hi",
    "it",
    "pl",
    "ur",
    "fa",
    "ja",
    "he",
    "bn",
    "pa",
    "gu",
    "el",
    "hy",
    "so",
    "am",
    "uk",
    "yi",
    "ase",
)


# Everyday names where the ISO reference name is not what people say.
_EVERYDAY = {"el": "Greek", "ht": "Haitian Creole", "pa": "Punjabi"}


def _name(code: str) -> str:
    if code in _EVERYDAY:
        return _EVERYDAY[code]
    language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    if language is None:
        raise LookupError(code)
    name: str = language.name
    return name.split(";")[0].replace(" (macrolanguage)", "")


LANGUAGES: dict[str, str] = {code: _name(code) for code in _CODES}
