"""Writes for the Find flow: saving a signed-in seeker's answers, and the screen-by-screen
updates to the session copy. Keyword-only and typed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from holdspace.accounts.models import User
from holdspace.matching.answers import Answers, Needs, Person, Place, Where, World
from holdspace.matching.models import FindProfile
from holdspace.network import services as network
from holdspace.network.models import Affiliation, AvoidEntry, Entity, PersonTie


@transaction.atomic
def save_answers(*, user: User, answers: Answers) -> FindProfile:
    """Keep a signed-in seeker's answers (replacing any saved before). The answer about
    thoughts of ending one's life is not kept: it is acted on at once, never stored."""
    if answers.where is None or answers.needs is None:
        raise ValueError("answer the first two screens before saving")
    where, needs, world = answers.where, answers.needs, answers.world
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
            "strictness": world.strictness,
        },
    )
    Affiliation.objects.filter(user=user).delete()
    for place in world.places:
        entity = None
        if place.entity is not None:
            entity = Entity.objects.filter(pk=place.entity).first()
        if entity is None:  # a new place, first written now that the seeker chose to save
            entity = network.find_or_create_entity(
                kind=place.kind, name=place.name, created_by=user
            )
        network.add_affiliation(
            user=user,
            entity=entity,
            start=_year_start(place.start_year),
            end=_year_end(place.end_year),
            exclude_all=place.exclude_all,
        )
    AvoidEntry.objects.filter(user=user).delete()
    for person in world.avoid:
        network.add_avoid_digest(
            user=user, identifier_kind=person.identifier_kind, digest=person.digest
        )
    PersonTie.objects.filter(user=user).delete()
    for person in world.ties:
        network.add_tie_digest(
            user=user,
            kind=person.tie_kind or "other",
            identifier_kind=person.identifier_kind,
            digest=person.digest,
        )
    return profile


def _year_start(year: int | None) -> dt.date | None:
    return dt.date(year, 1, 1) if year else None


def _year_end(year: int | None) -> dt.date | None:
    return dt.date(year, 12, 31) if year else None


def saved_answers(*, user: User) -> Answers | None:
    """A signed-in seeker's saved answers as a fresh session copy, or None."""
    profile = FindProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    places = [
        Place(
            kind=a.entity.kind,
            name=a.entity.name,
            entity=a.entity_id,
            start_year=a.start.year if a.start else None,
            end_year=a.end.year if a.end else None,
            exclude_all=a.exclude_all,
        )
        for a in Affiliation.objects.filter(user=user).select_related("entity").order_by("pk")
    ]
    avoid = [
        Person(identifier_kind=e.identifier_kind, digest=e.digest)
        for e in AvoidEntry.objects.filter(user=user).order_by("pk")
    ]
    ties = [
        Person(identifier_kind=t.identifier_kind, digest=t.digest, tie_kind=t.kind)
        for t in PersonTie.objects.filter(user=user).order_by("pk")
    ]
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
        world=World(places=places, avoid=avoid, ties=ties, strictness=profile.strictness),
        world_done=True,
    )


@transaction.atomic
def forget_saved_answers(*, user: User) -> None:
    """Delete everything the seeker saved from the Find flow."""
    FindProfile.objects.filter(user=user).delete()
    Affiliation.objects.filter(user=user).delete()
    AvoidEntry.objects.filter(user=user).delete()
    PersonTie.objects.filter(user=user).delete()
