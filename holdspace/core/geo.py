"""US ZIP code centroids and great-circle distances, for in-person travel limits.

An unknown or malformed ZIP has no centroid: callers must then treat in-person as impossible
rather than guess a location.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import zipcodes

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
ZIP_PATTERN = re.compile(r"\d{5}(?:-\d{4})?")

# The package's Python wrapper is untyped; this is its documented shape.
_list_all: Callable[[], list[dict[str, Any]]] = zipcodes.list_all


class Centroid(NamedTuple):
    lat: float
    lon: float
    state: str  # USPS state code of the ZIP, e.g. "CO"


def is_zip_format(value: str) -> bool:
    """``#####`` or ``#####-####``; says nothing about whether the ZIP exists."""
    return ZIP_PATTERN.fullmatch(value) is not None


@functools.cache
def zip_centroids() -> Mapping[str, Centroid]:
    """Every US ZIP with a centroid. Built once per process (about half a second): a lookup per
    ZIP would scan the package's table each time, half a millisecond for every new ZIP."""
    table: dict[str, Centroid] = {}
    for row in _list_all():
        try:
            centroid = Centroid(float(row["lat"]), float(row["long"]), str(row["state"]))
        except (KeyError, TypeError, ValueError):
            continue
        table.setdefault(str(row["zip_code"]), centroid)
    return MappingProxyType(table)


def zip_centroid(zip_code: str) -> Centroid | None:
    """The centroid of a US ZIP (ZIP+4 uses its first five digits), or None if unknown."""
    if not is_zip_format(zip_code):
        return None
    return zip_centroids().get(zip_code[:5])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def zip_distance_km(zip_a: str, zip_b: str) -> float | None:
    """Distance between two ZIP centroids, or None when either ZIP is unknown."""
    a, b = zip_centroid(zip_a), zip_centroid(zip_b)
    if a is None or b is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
