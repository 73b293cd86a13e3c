"""Writes for the private network. Keyword-only, typed; raw identifiers are hashed on entry
and never stored, returned or logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from holdspace.accounts.models import User
from holdspace.network.keys import person_key
from holdspace.network.models import (
    Affiliation,
    AvoidEntry,
    Entity,
    IdentifierKind,
    IdentityKey,
    KeySource,
    PersonTie,
    Separation,
    Strictness,
)
from holdspace.network.names import normalise_entity_name


def find_or_create_entity(*, kind: str, name: str, created_by: User | None) -> Entity:
    """The entity of this kind with the same normalised name, or a new one."""
    name = " ".join(name.split())
    normalised = normalise_entity_name(name)
    if not normalised:
        raise ValueError("an entity needs a name")
    existing = Entity.objects.filter(kind=kind, normalised_name=normalised).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Entity.objects.create(
                kind=kind, name=name, normalised_name=normalised, created_by=created_by
            )
    except IntegrityError:  # someone added the same place a moment ago
        return Entity.objects.get(kind=kind, normalised_name=normalised)


@transaction.atomic
def add_affiliation(
    *,
    user: User,
    entity: Entity,
    start: dt.date | None,
    end: dt.date | None,
    exclude_all: bool = False,
) -> Affiliation:
    """Add (or update the dates of) the user's affiliation with ``entity``."""
    if start and end and start > end:
        raise ValueError("an affiliation cannot end before it starts")
    affiliation, _ = Affiliation.objects.update_or_create(
        user=user, entity=entity, defaults={"start": start, "end": end, "exclude_all": exclude_all}
    )
    return affiliation


def remove_affiliation(*, affiliation: Affiliation) -> None:
    affiliation.delete()


def add_tie(*, user: User, kind: str, identifier_kind: str, value: str) -> PersonTie:
    """A tie to a person named by one identifier; only its keyed hash is kept."""
    digest = person_key(identifier_kind, value)
    tie, _ = PersonTie.objects.get_or_create(
        user=user, identifier_kind=identifier_kind, digest=digest, defaults={"kind": kind}
    )
    return tie


def add_tie_digest(
    *, user: User, kind: str, identifier_kind: str, digest: str, label: str = ""
) -> PersonTie:
    """Like :func:`add_tie` for a value hashed earlier (the Find flow keeps only digests), with
    its masked reminder (``core.masks``) when there is one."""
    tie, created = PersonTie.objects.get_or_create(
        user=user,
        identifier_kind=identifier_kind,
        digest=digest,
        defaults={"kind": kind, "label": label},
    )
    if not created and label and not tie.label:
        tie.label = label
        tie.save(update_fields=["label"])
    return tie


def remove_tie(*, tie: PersonTie) -> None:
    tie.delete()


def add_avoid_digest(
    *, user: User, identifier_kind: str, digest: str, label: str = ""
) -> AvoidEntry:
    """Someone the user never wants to be matched with, by keyed hash, with the masked
    reminder the user reads back (``core.masks``). Adding the same person twice keeps one."""
    entry, created = AvoidEntry.objects.get_or_create(
        user=user, identifier_kind=identifier_kind, digest=digest, defaults={"label": label}
    )
    if not created and label and not entry.label:
        entry.label = label
        entry.save(update_fields=["label"])
    return entry


def remove_avoid_entry(*, entry: AvoidEntry) -> None:
    entry.delete()


def set_strictness(*, user: User, strictness: str) -> Separation:
    """How far apart to keep this seeker from their world (standard or strict)."""
    if strictness not in Strictness.values:
        raise ValueError(f"unknown strictness {strictness!r}")
    separation, _ = Separation.objects.update_or_create(
        user=user, defaults={"strictness": strictness}
    )
    return separation


def _identity_sources(user: User) -> Iterable[tuple[str, str, str]]:
    """(source, identifier kind, raw value) for everything that names this user."""
    yield KeySource.EMAIL, IdentifierKind.EMAIL, user.email
    if user.legal_name:
        yield KeySource.LEGAL_NAME, IdentifierKind.NAME, user.legal_name
    profile = getattr(user, "therapist_profile", None)
    if profile is not None:
        if profile.display_name:
            yield KeySource.DISPLAY_NAME, IdentifierKind.NAME, profile.display_name
        for number in profile.licenses.values_list("number", flat=True):
            yield KeySource.LICENSE, IdentifierKind.LICENSE, number


def identity_keys_for(user: User) -> set[tuple[str, str]]:
    """(source, digest) pairs for the user's current identifiers (blank ones skipped)."""
    keys = set()
    for source, kind, value in _identity_sources(user):
        try:
            keys.add((source, person_key(kind, value)))
        except ValueError:  # a blank or unusable value names nobody
            continue
    return keys


@transaction.atomic
def refresh_identity_keys(*, user: User) -> None:
    """Make the user's identity keys match their email, names and license numbers now."""
    wanted = identity_keys_for(user)
    current = {
        (source, digest): pk
        for pk, source, digest in IdentityKey.objects.filter(user=user).values_list(
            "pk", "source", "digest"
        )
    }
    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        IdentityKey.objects.filter(pk__in=stale).delete()
    IdentityKey.objects.bulk_create(
        [IdentityKey(user=user, source=s, digest=d) for s, d in wanted if (s, d) not in current]
    )


def rebuild_identity_keys(*, user_ids: Iterable[int] | None = None, batch_size: int = 2000) -> int:
    """Recompute identity keys for the given users (default: everyone) in batches, for data
    written without the services (bulk imports) or after the HMAC key is rotated."""
    from holdspace.directory.models import License, TherapistProfile

    ids = (
        list(user_ids)
        if user_ids is not None
        else list(User.objects.order_by("pk").values_list("pk", flat=True))
    )
    for offset in range(0, len(ids), batch_size):
        chunk = ids[offset : offset + batch_size]
        names = dict(
            TherapistProfile.objects.filter(user_id__in=chunk).values_list(
                "user_id", "display_name"
            )
        )
        numbers: dict[int, list[str]] = {}
        for user_id, number in License.objects.filter(profile__user_id__in=chunk).values_list(
            "profile__user_id", "number"
        ):
            numbers.setdefault(user_id, []).append(number)
        rows: dict[tuple[int, str, str], IdentityKey] = {}
        for user_id, email, legal_name in User.objects.filter(pk__in=chunk).values_list(
            "pk", "email", "legal_name"
        ):
            sources = [
                (KeySource.EMAIL, IdentifierKind.EMAIL, email),
                (KeySource.LEGAL_NAME, IdentifierKind.NAME, legal_name),
                (KeySource.DISPLAY_NAME, IdentifierKind.NAME, names.get(user_id, "")),
                *((KeySource.LICENSE, IdentifierKind.LICENSE, n) for n in numbers.get(user_id, [])),
            ]
            for source, kind, value in sources:
                try:
                    digest = person_key(kind, value)
                except ValueError:
                    continue
                rows[(user_id, source, digest)] = IdentityKey(
                    user_id=user_id, source=source, digest=digest
                )
        with transaction.atomic():
            IdentityKey.objects.filter(user_id__in=chunk).delete()
            IdentityKey.objects.bulk_create(rows.values(), batch_size=batch_size)
    return len(ids)
