"""Whose time zone a time is written in: the one rule.

A person's zone is, in order:

1. the zone they chose (the "Time zone" page, the booking pages' zone form) or the one their
   browser reported the first time they signed in with JavaScript on (``User.time_zone``);
2. for a therapist, their practice's zone (``TherapistProfile.time_zone``, chosen in the
   profile wizard: their weekly hours are in it);
3. for a seeker, the usual zone of the state in their saved Find answers (or, on a page,
   in the Find answers of this visit);
4. ``America/New_York`` (``core.zones.FALLBACK``), as a last resort. Every page names the
   zone, so a wrong guess is visible and one click from being fixed.

``TimeZoneMiddleware`` activates it for each request, so Django's ``date`` filter and
``timezone.localtime`` use it; the ``times`` template library writes moments with the zone
named; background e-mails render inside ``timezone.override(zone_for(recipient))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.core import zones
from holdspace.matching import answers as find_answers


class Source(StrEnum):
    SETTING = "setting"  # the person chose it, or their browser reported it
    PRACTICE = "practice"  # a therapist's practice zone
    JURISDICTION = "jurisdiction"  # the state in a seeker's saved Find answers
    FALLBACK = "fallback"


@dataclass(frozen=True)
class ResolvedZone:
    name: str
    source: Source
    jurisdiction: str = ""  # the state it was guessed from ("US-CO"), for JURISDICTION

    @property
    def chosen(self) -> bool:
        """True when a person picked it (not a guess a browser could improve on)."""
        return self.source in (Source.SETTING, Source.PRACTICE)

    @property
    def label(self) -> str:
        return zones.label(self.name)


def resolve(user: User | AnonymousUser) -> ResolvedZone:
    if not isinstance(user, User):
        return ResolvedZone(zones.FALLBACK, Source.FALLBACK)
    if user.time_zone and zones.is_known(user.time_zone):
        return ResolvedZone(user.time_zone, Source.SETTING)
    # Reverse one-to-one accessors of the directory and matching apps (which depend on this
    # one): a user without the row raises ObjectDoesNotExist, an AttributeError.
    profile = getattr(user, "therapist_profile", None)
    if profile is not None and zones.is_known(profile.time_zone):
        return ResolvedZone(profile.time_zone, Source.PRACTICE)
    find = getattr(user, "find_profile", None)
    guessed = zones.for_jurisdiction(find.location) if find is not None else None
    if guessed and find is not None:
        return ResolvedZone(guessed, Source.JURISDICTION, find.location)
    return ResolvedZone(zones.FALLBACK, Source.FALLBACK)


def zone_for(user: User | AnonymousUser) -> str:
    """The IANA name of the zone ``user`` reads times in."""
    return resolve(user).name


_CACHE_ATTRIBUTE = "_holdspace_time_zone"


def for_request(request: HttpRequest) -> ResolvedZone:
    """The zone of the request's user, worked out once per request. Before the last resort,
    the state in Find answers kept for this visit only (anonymous, or not saved yet)."""
    found = getattr(request, _CACHE_ATTRIBUTE, None)
    if not isinstance(found, ResolvedZone):
        found = resolve(request.user)
        if found.source == Source.FALLBACK and hasattr(request, "session"):
            where = find_answers.load(request.session).where
            guessed = zones.for_jurisdiction(where.location) if where else None
            if guessed and where is not None:
                found = ResolvedZone(guessed, Source.JURISDICTION, where.location)
        setattr(request, _CACHE_ATTRIBUTE, found)
    return found


def forget_for_request(request: HttpRequest) -> None:
    """After the zone changed mid-request (the person just chose one)."""
    if hasattr(request, _CACHE_ATTRIBUTE):
        delattr(request, _CACHE_ATTRIBUTE)
