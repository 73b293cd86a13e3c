"""US jurisdictions (ISO 3166-2) where therapists can be licensed, named by pycountry."""

from __future__ import annotations

from typing import Any

import pycountry

# pycountry has no type information; this is the one lookup we make.
_us_subdivisions: Any = pycountry.subdivisions.get(country_code="US")  # type: ignore[no-untyped-call]
# States, DC and the inhabited territories; ISO lists DC and territories as "US-DC" etc. too.
US_JURISDICTIONS: dict[str, str] = dict(
    sorted(
        ((sub.code, sub.name) for sub in _us_subdivisions or []),
        key=lambda item: item[1],
    )
)
# Outlying islands without residents or licensing boards would only clutter the lists.
US_JURISDICTIONS.pop("US-UM", None)
