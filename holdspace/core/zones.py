"""Time zones for people: the zones we offer, a jurisdiction's usual zone, and an instant
written the way a calendar would, with its zone named ("Tue 9 Mar 2027, 1:00 PM MST").

Every time Holdspace shows a person is written in that person's zone by these functions, so
a therapist in Denver and a client in New York read the same session as 1:00 PM MST and
3:00 PM EST, and neither ever reads an unlabelled UTC time.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal
from zoneinfo import available_timezones

# The last resort when a person has chosen no zone and we know nothing of where they are:
# most people in the United States live in Eastern time. It is always named on the page.
FALLBACK = "America/New_York"

# Offered first in every time-zone select, in this order.
COMMON: tuple[tuple[str, str], ...] = (
    ("America/New_York", "Eastern time (New York)"),
    ("America/Chicago", "Central time (Chicago)"),
    ("America/Denver", "Mountain time (Denver)"),
    ("America/Phoenix", "Arizona time (Phoenix, no daylight saving)"),
    ("America/Los_Angeles", "Pacific time (Los Angeles)"),
    ("America/Anchorage", "Alaska time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic time (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro time (Guam)"),
    ("Pacific/Pago_Pago", "Samoa time (Pago Pago)"),
    ("America/Halifax", "Atlantic time (Halifax)"),
    ("Europe/London", "UK and Ireland time (London)"),
    ("Europe/Berlin", "Central European time (Berlin)"),
    ("Asia/Kolkata", "India time (Kolkata)"),
    ("Australia/Sydney", "Eastern Australia time (Sydney)"),
    ("UTC", "UTC"),
)
_LABELS = dict(COMMON)

# Each US jurisdiction's main zone (where most of its people live), for people who have not
# chosen one. States split between zones get the zone of their largest cities.
_EASTERN = "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV"
_CENTRAL = "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI"
JURISDICTION_ZONES: dict[str, str] = {
    **{f"US-{s}": "America/New_York" for s in _EASTERN.split()},
    **{f"US-{s}": "America/Chicago" for s in _CENTRAL.split()},
    **{f"US-{s}": "America/Denver" for s in ["CO", "ID", "MT", "NM", "UT", "WY"]},
    **{f"US-{s}": "America/Los_Angeles" for s in ["CA", "NV", "OR", "WA"]},
    "US-AZ": "America/Phoenix",
    "US-AK": "America/Anchorage",
    "US-HI": "Pacific/Honolulu",
    "US-PR": "America/Puerto_Rico",
    "US-VI": "America/Puerto_Rico",
    "US-GU": "Pacific/Guam",
    "US-MP": "Pacific/Guam",
    "US-AS": "Pacific/Pago_Pago",
}

# In the zone database but not a place: "localtime" is whatever the server uses, "Factory"
# a placeholder.
_NOT_PLACES = frozenset({"Factory", "localtime"})
# Browsers that hide where they are (privacy modes) report UTC; so do misconfigured machines.
# A report like this says nothing about the person, so it never replaces a better guess.
UNINFORMATIVE = frozenset(
    {"UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich"}
    | {f"Etc/{name}" for name in ("UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0")}
    | {"Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich"}
)
_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)

Style = Literal["short", "long", "time"]


@cache
def known() -> frozenset[str]:
    """Every IANA zone name we accept (listing the database reads the disk; it doesn't change
    while we run)."""
    return frozenset(available_timezones()) - _NOT_PLACES


def is_known(name: str) -> bool:
    return name in known()


def for_jurisdiction(code: str) -> str | None:
    """The usual zone of a jurisdiction ("US-CO" -> "America/Denver"), if we know it."""
    return JURISDICTION_ZONES.get(code)


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


def label(name: str) -> str:
    """How a zone is named to a person: "Mountain time (Denver)", "Lisbon (Europe)"."""
    if name in _LABELS:
        return _LABELS[name]
    if "/" not in name:
        return name
    region = name.rsplit("/", 1)[0].replace("_", " ")
    return f"{_city(name)} ({region})"


def grouped_choices(current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Select options: the common zones first, then every place by region, each by city.
    ``current`` (a zone someone already has, perhaps an old alias) is always offered."""
    common = {name for name, _ in COMMON}
    groups: list[tuple[str, list[tuple[str, str]]]] = [("Common time zones", list(COMMON))]
    by_region: dict[str, list[tuple[str, str]]] = {}
    for name in known():
        region = name.split("/", 1)[0]
        if name in common or region not in _REGIONS:
            continue
        if "/" in name.split("/", 1)[1]:  # "America/Argentina/Salta": name the country too
            shown = f"{_city(name)} ({name.split('/')[1].replace('_', ' ')})"
        else:
            shown = _city(name)
        by_region.setdefault(region, []).append((name, shown))
    for region in _REGIONS:
        if region in by_region:
            groups.append((region, sorted(by_region[region], key=lambda c: (c[1], c[0]))))
    offered = {name for _, choices in groups for name, _ in choices}
    if current and current not in offered and is_known(current):
        groups[0][1].append((current, label(current)))
    return groups


def abbreviation(local: dt.datetime) -> str:
    """The zone's short name at that moment ("MST", "MDT"); "UTC+5:30" where the zone
    database has only an offset."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = round(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _clock(local: dt.datetime) -> str:
    half = "AM" if local.hour < 12 else "PM"
    return f"{local.hour % 12 or 12}:{local.minute:02d} {half}"


def write(local: dt.datetime, style: Style = "short") -> str:
    """An aware datetime, already in the reader's zone, in words with its zone named:

    - short: "Tue 9 Mar 2027, 1:00 PM MST"
    - long:  "Tuesday 9 March 2027, 1:00 PM MST"
    - time:  "1:00 PM MST"
    """
    if local.tzinfo is None or local.utcoffset() is None:
        raise ValueError(f"{local} has no time zone")
    clock = f"{_clock(local)} {abbreviation(local)}"
    if style == "time":
        return clock
    if style == "long":
        return f"{local:%A} {local.day} {local:%B %Y}, {clock}"
    return f"{local:%a} {local.day} {local:%b %Y}, {clock}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def time_left(until: dt.datetime, now: dt.datetime) -> str:
    """How long until ``until``, in words: "2 days, 5 hours left", "1 hour, 20 minutes left",
    "40 minutes left", "no time left". Rounded down, so it never promises more time than there
    is; minutes count only in the last two hours. The same in every zone."""
    seconds = int((until - now).total_seconds())
    if seconds <= 0:
        return "no time left"
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes = seconds // 60
    if days:
        parts = [_count(days, "day")] + ([_count(hours, "hour")] if hours else [])
    elif hours:
        parts = [_count(hours, "hour")] + (
            [_count(minutes, "minute")] if hours < 2 and minutes else []
        )
    else:
        parts = [_count(minutes, "minute") if minutes else "less than a minute"]
    return ", ".join(parts) + " left"
