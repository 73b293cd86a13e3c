"""A seeker's world as the Find screen and "Your world" edit it: places, people to avoid,
people close to them, standard or strict.

Two homes, one interface (``Editor``): a signed-in seeker's world is saved in their account as
each change is made (``SavedWorld``, through the network services); anyone else's lives in the
session for this visit only (``SessionWorld``). A removal can be undone for a few minutes: the
removed entry waits in the session (its reminder encrypted) until it is put back or expires.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Any, Final

from django.contrib.sessions.backends.base import SessionBase
from django.utils import dateformat, timezone

from holdspace.accounts.models import User
from holdspace.matching import services
from holdspace.matching.answers import Answers, Person, Place, person_data, person_from
from holdspace.matching.selectors import place_of, saved_world
from holdspace.network import selectors as network
from holdspace.network import services as network_services
from holdspace.network.models import IdentifierKind, TieKind
from holdspace.numbers import small_int

PLACE, AVOID, TIE = "place", "avoid", "tie"
SECTIONS: Final = (PLACE, AVOID, TIE)
UNDO_KEY = "holdspace.find.undo"
UNDO_SECONDS: Final = 10 * 60
UNDO_MINUTES: Final = UNDO_SECONDS // 60
SECTION_NAMES: Final = {
    PLACE: "your places",
    AVOID: "people to avoid",
    TIE: "people close to you",
}

Entry = Place | Person


@dataclass(frozen=True)
class Item:
    """One row of a list as the seeker reads it."""

    key: str  # what its Remove button posts back
    text: str  # "D… R…", or the place's name
    detail: str  # "by name", "colleague, by email", "2019–now"
    tag: str = ""


@dataclass(frozen=True)
class Listing:
    places: list[Item]
    avoid: list[Item]
    ties: list[Item]
    strictness: str


def _by(identifier_kind: str) -> str:
    return f"by {IdentifierKind(identifier_kind).label.lower()}"


def _years(start: int | None, end: int | None) -> str:
    if not start and not end:
        return ""
    return f"{start or '?'}–{end or 'now'}"


def place_item(key: str, place: Place) -> Item:
    tag = "exclude anyone there" if place.exclude_all else ""
    return Item(key, place.name, _years(place.start_year, place.end_year), tag)


def _person_detail(person: Person) -> str:
    detail = _by(person.identifier_kind)
    if person.tie_kind:
        detail = f"{TieKind(person.tie_kind).label.lower()}, {detail}"
    return detail


def person_item(key: str, person: Person, *, number: int, added: str = "") -> Item:
    # Entries saved before masks existed have no reminder: they are told apart by date.
    text = person.label or (f"Someone added {added}" if added else f"Person {number}")
    return Item(key, text, _person_detail(person))


def describe(entry: Entry) -> str:
    """An entry in a sentence: "D… R…, by name"; "St Mary's ED"."""
    if isinstance(entry, Place):
        return entry.name
    return f"{entry.label or 'someone'}, {_person_detail(entry)}"


def _day(moment: dt.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y")


class Editor(ABC):
    saved: bool

    @abstractmethod
    def listing(self) -> Listing: ...

    @abstractmethod
    def add(self, section: str, entry: Entry) -> bool:
        """Add an entry; False when it was there already."""

    @abstractmethod
    def remove(self, section: str, key: str) -> Entry | None:
        """Remove the entry the Remove button named; None when there is no such entry."""

    @abstractmethod
    def set_strictness(self, strictness: str) -> bool:
        """True when this changed it."""


class SessionWorld(Editor):
    """An anonymous seeker's world: in ``answers`` (the caller stores them), for this visit."""

    saved = False

    def __init__(self, answers: Answers) -> None:
        self.world = answers.world

    def _rows(self, section: str) -> list[Any]:
        if section == PLACE:
            return self.world.places
        return self.world.avoid if section == AVOID else self.world.ties

    def listing(self) -> Listing:
        return Listing(
            places=[place_item(str(i), p) for i, p in enumerate(self.world.places)],
            avoid=[person_item(str(i), p, number=i + 1) for i, p in enumerate(self.world.avoid)],
            ties=[person_item(str(i), p, number=i + 1) for i, p in enumerate(self.world.ties)],
            strictness=self.world.strictness,
        )

    def add(self, section: str, entry: Entry) -> bool:
        rows = self._rows(section)
        if isinstance(entry, Person):
            if any(entry.same_person(other) for other in rows):
                return False
        elif entry in rows:
            return False
        rows.append(entry)
        return True

    def remove(self, section: str, key: str) -> Entry | None:
        rows = self._rows(section)
        position = small_int(key)
        if position is None or position >= len(rows):
            return None
        entry: Entry = rows.pop(position)
        return entry

    def set_strictness(self, strictness: str) -> bool:
        changed = strictness != self.world.strictness
        self.world.strictness = strictness
        return changed


class SavedWorld(Editor):
    """A signed-in seeker's world: saved in their account as each change is made."""

    saved = True

    def __init__(self, user: User) -> None:
        self.user = user

    def listing(self) -> Listing:
        places = [
            Item(
                str(a.pk),
                a.entity.name,
                _years(a.start.year if a.start else None, a.end.year if a.end else None),
                "exclude anyone there" if a.exclude_all else "",
            )
            for a in network.affiliations_of(self.user)
        ]
        avoid = [
            person_item(
                str(e.pk),
                Person(e.identifier_kind, e.digest, label=e.label),
                number=number,
                added=_day(e.created),
            )
            for number, e in enumerate(network.avoid_list_of(self.user), start=1)
        ]
        ties = [
            person_item(
                str(t.pk),
                Person(t.identifier_kind, t.digest, tie_kind=t.kind, label=t.label),
                number=number,
                added=_day(t.created),
            )
            for number, t in enumerate(network.ties_of(self.user), start=1)
        ]
        return Listing(places, avoid, ties, network.strictness_of(self.user))

    def add(self, section: str, entry: Entry) -> bool:
        world = saved_world(self.user)
        if isinstance(entry, Place):
            services.keep_place(user=self.user, place=entry)
            return True
        rows = world.avoid if section == AVOID else world.ties
        if any(entry.same_person(other) for other in rows):
            return False
        if section == AVOID:
            services.keep_avoid(user=self.user, person=entry)
        else:
            services.keep_tie(user=self.user, person=entry)
        return True

    def remove(self, section: str, key: str) -> Entry | None:
        """Raises Http404 (through the selectors) for an entry that is not the seeker's."""
        pk = small_int(key)
        if pk is None:
            return None
        if section == PLACE:
            affiliation = network.get_affiliation_for(self.user, pk)
            place = place_of(affiliation)
            network_services.remove_affiliation(affiliation=affiliation)
            return place
        if section == AVOID:
            entry = network.get_avoid_entry_for(self.user, pk)
            network_services.remove_avoid_entry(entry=entry)
            return Person(entry.identifier_kind, entry.digest, label=entry.label)
        tie = network.get_tie_for(self.user, pk)
        network_services.remove_tie(tie=tie)
        return Person(tie.identifier_kind, tie.digest, tie_kind=tie.kind, label=tie.label)

    def set_strictness(self, strictness: str) -> bool:
        if network.strictness_of(self.user) == strictness:
            return False
        network_services.set_strictness(user=self.user, strictness=strictness)
        return True


def editor_for(user: User | None, answers: Answers) -> Editor:
    return SavedWorld(user) if user is not None else SessionWorld(answers)


# --- undo ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    token: str
    section: str
    text: str  # "D… R…, by name"
    minutes: int = UNDO_MINUTES

    @property
    def where(self) -> str:
        return SECTION_NAMES[self.section]


def remember_removal(session: SessionBase, section: str, entry: Entry) -> None:
    """Keep the removed entry for a few minutes, so an Undo button can put it back."""
    data = person_data(entry) if isinstance(entry, Person) else asdict(entry)
    session[UNDO_KEY] = {
        "token": secrets.token_urlsafe(12),
        "section": section,
        "entry": data,
        "at": time.time(),
    }


def _entry(section: str, data: dict[str, Any]) -> Entry:
    return Place(**data) if section == PLACE else person_from(data)


def pending_undo(session: SessionBase) -> Undo | None:
    """The removal that can still be undone, if any (an expired one is forgotten here)."""
    kept = session.get(UNDO_KEY)
    if not kept:
        return None
    try:
        section, at = kept["section"], float(kept["at"])
        entry = _entry(section, kept["entry"])
    except (KeyError, TypeError, ValueError):
        session.pop(UNDO_KEY, None)
        return None
    if section not in SECTIONS or time.time() - at > UNDO_SECONDS:
        session.pop(UNDO_KEY, None)
        return None
    return Undo(token=str(kept["token"]), section=section, text=describe(entry))


def take_undo(session: SessionBase, token: str) -> tuple[str, Entry] | None:
    """The removed entry for this Undo button, once, while it is still fresh."""
    pending = pending_undo(session)
    if pending is None or not secrets.compare_digest(pending.token, token[:64]):
        return None
    kept = session.pop(UNDO_KEY)
    return pending.section, _entry(pending.section, kept["entry"])
