"""Reads for the private network. Nothing here returns who else is affiliated with anything."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from holdspace.accounts.models import User
from holdspace.network.models import (
    Affiliation,
    AvoidEntry,
    Entity,
    PersonTie,
    Separation,
    Strictness,
)
from holdspace.network.names import normalise_entity_name

SEARCH_LIMIT = 10
SUGGESTION_LIMIT = 5
SIMILARITY = 0.75  # difflib ratio for "did you mean"


def search_entities(*, query: str, kind: str = "") -> list[dict[str, object]]:
    """Up to 10 entities whose normalised name contains the query: id, name and kind only
    (never sizes, member counts or anything about who is there)."""
    normalised = normalise_entity_name(query)
    if len(normalised) < 2:
        return []
    entities = Entity.objects.filter(normalised_name__contains=normalised)
    if kind:
        entities = entities.filter(kind=kind)
    rows: list[dict[str, object]] = [
        {"id": pk, "name": name, "kind": entity_kind}
        for pk, name, entity_kind in entities.order_by("normalised_name", "pk").values_list(
            "id", "name", "kind"
        )[:200]
    ]
    # Names that start with what was typed first; then alphabetical.
    rows.sort(key=lambda row: not normalise_entity_name(str(row["name"])).startswith(normalised))
    return rows[:SEARCH_LIMIT]


@dataclass(frozen=True)
class PlaceLookup:
    """The entity a typed name means (``entity``), or near matches to offer instead."""

    entity: Entity | None
    suggestions: list[Entity] = field(default_factory=list)


def lookup_place(*, kind: str, name: str, entity_id: int | None = None) -> PlaceLookup:
    """Resolve a place typed (or picked from the autocomplete) on a form."""
    normalised = normalise_entity_name(name)
    if entity_id is not None:
        picked = Entity.objects.filter(pk=entity_id).first()
        # The hidden id only counts while the text still names the picked entity.
        if picked is not None and picked.normalised_name == normalised:
            return PlaceLookup(entity=picked)
    exact = Entity.objects.filter(kind=kind, normalised_name=normalised).first()
    if exact is not None or not normalised:
        return PlaceLookup(entity=exact)
    return PlaceLookup(entity=None, suggestions=similar_entities(kind=kind, normalised=normalised))


def similar_entities(*, kind: str, normalised: str) -> list[Entity]:
    """Entities of any kind whose normalised name is close to ``normalised`` (same kind first)."""
    words = sorted(normalised.split(), key=len, reverse=True)[:2]
    pool: dict[int, Entity] = {}
    for word in words:
        for entity in Entity.objects.filter(normalised_name__contains=word)[:100]:
            pool[entity.pk] = entity
    scored = []
    for entity in pool.values():
        ratio = difflib.SequenceMatcher(None, normalised, entity.normalised_name).ratio()
        contains = normalised in entity.normalised_name or entity.normalised_name in normalised
        if ratio >= SIMILARITY or contains:
            scored.append((entity.kind != kind, -ratio, entity.name, entity))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:SUGGESTION_LIMIT]]


def affiliations_of(user: User) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(user=user)
        .select_related("entity")
        .order_by("entity__name", "pk")
    )


def ties_of(user: User) -> QuerySet[PersonTie]:
    return PersonTie.objects.filter(user=user).order_by("created", "pk")


def avoid_list_of(user: User) -> QuerySet[AvoidEntry]:
    return AvoidEntry.objects.filter(user=user).order_by("created", "pk")


def strictness_of(user: User) -> str:
    """The user's saved strictness; standard until they choose."""
    separation = Separation.objects.filter(user=user).first()
    return separation.strictness if separation is not None else Strictness.STANDARD


def get_avoid_entry_for(user: User, entry_id: int) -> AvoidEntry:
    """The user's own avoid entry; anyone else's is a 404."""
    try:
        return AvoidEntry.objects.get(pk=entry_id, user=user)
    except AvoidEntry.DoesNotExist:
        raise Http404("No such entry") from None


def get_affiliation_for(user: User, affiliation_id: int) -> Affiliation:
    """The user's own affiliation; anyone else's is a 404."""
    try:
        return Affiliation.objects.select_related("entity").get(pk=affiliation_id, user=user)
    except Affiliation.DoesNotExist:
        raise Http404("No such affiliation") from None


def get_tie_for(user: User, tie_id: int) -> PersonTie:
    try:
        return PersonTie.objects.get(pk=tie_id, user=user)
    except PersonTie.DoesNotExist:
        raise Http404("No such tie") from None
