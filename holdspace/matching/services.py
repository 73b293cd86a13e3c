"""Writes for the Find flow: saving a signed-in seeker's answers, and keeping a world (places,
people, strictness) in their account. Keyword-only and typed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from holdspace.accounts.models import User
from holdspace.matching.answers import Answers, Needs, Person, Place, Where, World
from holdspace.matching.models import FindProfile
from holdspace.matching.selectors import saved_world
from holdspace.network import services as network
from holdspace.network.models import Affiliation, AvoidEntry, Entity, PersonTie
from holdspace.network.selectors import strictness_of


@transaction.atomic
def save_answers(*, user: User, answers: Answers) -> FindProfile:
    """Keep a signed-in seeker's answers: where and needs (``save_search``), and the world in
    ``answers`` joined to the saved one (``keep_world``), so saving never removes anyone the
    seeker asked to keep away."""
    profile = save_search(user=user, answers=answers)
    keep_world(user=user, world=answers.world)
    return profile


def save_search(*, user: User, answers: Answers) -> FindProfile:
    """Keep a signed-in seeker's where and needs (replacing those saved before), as each Find
    screen is submitted. The answer about thoughts of ending one's life is not kept: it is
    acted on at once, never stored."""
    if answers.where is None or answers.needs is None:
        raise ValueError("answer the first two screens before saving")
    where, needs = answers.where, answers.needs
    profile, _ = FindProfile.objects.update_or_create(
        user=user,
        defaults={
            "location": where.location,
            "zip": where.zip,
            "formats": where.formats,
            "max_km": where.max_km,
            "concerns": needs.concerns,
            "modalities": needs.modalities,
            "max_fee": needs.max_fee,
            "language": needs.language,
            "profession": needs.profession,
        },
    )
    return profile


def _year_start(year: int | None) -> dt.date | None:
    return dt.date(year, 1, 1) if year else None


def _year_end(year: int | None) -> dt.date | None:
    return dt.date(year, 12, 31) if year else None


def keep_place(*, user: User, place: Place) -> Affiliation:
    """Save one place in the seeker's account. A name nobody has added yet becomes a shared
    entity now (never for anonymous seekers: their places stay in the session)."""
    entity = None
    if place.entity is not None:
        entity = Entity.objects.filter(pk=place.entity).first()
    if entity is None:
        entity = network.find_or_create_entity(kind=place.kind, name=place.name, created_by=user)
    return network.add_affiliation(
        user=user,
        entity=entity,
        start=_year_start(place.start_year),
        end=_year_end(place.end_year),
        exclude_all=place.exclude_all,
    )


def keep_avoid(*, user: User, person: Person) -> AvoidEntry:
    return network.add_avoid_digest(
        user=user, identifier_kind=person.identifier_kind, digest=person.digest, label=person.label
    )


def keep_tie(*, user: User, person: Person) -> PersonTie:
    return network.add_tie_digest(
        user=user,
        kind=person.tie_kind or "other",
        identifier_kind=person.identifier_kind,
        digest=person.digest,
        label=person.label,
    )


@transaction.atomic
def keep_world(*, user: User, world: World) -> int:
    """Add everything in ``world`` to the seeker's saved world: a session's world when they
    sign up or sign in mid-flow, or the answers being saved. Never removes anything, and
    never makes the separation less strict. Returns how many entries are new."""
    before = _size(saved_world(user))
    for place in world.places:
        keep_place(user=user, place=place)
    for person in world.avoid:
        keep_avoid(user=user, person=person)
    for person in world.ties:
        keep_tie(user=user, person=person)
    if world.strictness == "strict" and strictness_of(user) != "strict":
        network.set_strictness(user=user, strictness="strict")
    return _size(saved_world(user)) - before


def _size(world: World) -> int:
    return len(world.places) + len(world.avoid) + len(world.ties)


def saved_answers(*, user: User) -> Answers | None:
    """A signed-in seeker's saved answers as a fresh session copy, or None."""
    profile = FindProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return Answers(
        where=Where(
            location=profile.location,
            formats=list(profile.formats),
            zip=profile.zip,
            max_km=profile.max_km,
        ),
        needs=Needs(
            concerns=list(profile.concerns),
            modalities=list(profile.modalities),
            max_fee=profile.max_fee,
            language=profile.language,
            profession=profile.profession,
        ),
        world=saved_world(user),
        world_done=True,
    )


def forget_saved_answers(*, user: User) -> None:
    """Delete the seeker's saved where and needs. Their world (places, people, strictness) is
    kept: it protects them wherever a shortlist is made, and is removed entry by entry (or
    with the account, ``mydata``), never as a side effect of starting Find over."""
    FindProfile.objects.filter(user=user).delete()
