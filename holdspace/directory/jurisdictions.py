"""US jurisdictions (ISO 3166-2) where therapists can be licensed, named by pycountry."""

from __future__ import annotations

import pycountry

# States, DC and the inhabited territories; ISO lists DC and territories as "US-DC" etc. too.
US_JURISDICTIONS: dict[str, str] = dict(
    sorted(
        ((sub.code, sub.name) for sub in pycountry.subdivisions.get(country_code="US") or []),
        key=lambda item: item[1],
    )
)
# Outlying islands without residents or licensing boards would only clutter the lists.
US_JURISDICTIONS.pop("US-UM", None)
