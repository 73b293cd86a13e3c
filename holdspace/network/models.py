"""Entities, affiliations, person ties, avoid entries and identity keys.

Private by construction: nothing here is ever shown to anyone but its owner. People are never
stored by name, email or license number, only as keyed hashes (``keys.person_key``), with a
masked reminder for the owner (``core.masks``: "D… R…"), itself encrypted at rest.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from holdspace.core.conflicts import IDENTIFIER_KINDS
from holdspace.core.taxonomy import ENTITY_KINDS, STRICTNESS
from holdspace.fields import EncryptedTextField
from holdspace.network.keys import DIGEST_LENGTH
from holdspace.network.names import normalise_entity_name


class EntityKind(models.TextChoices):
    EMPLOYER_UNIT = "employer_unit", "Workplace unit (a ward, department or team)"
    PRACTICE = "practice", "Practice or clinic"
    TRAINING_COHORT = "training_cohort", "Training program or cohort"
    CONSULTATION_GROUP = "consultation_group", "Consultation group"
    SUPERVISION_GROUP = "supervision_group", "Supervision group"
    HEALTH_SYSTEM = "health_system", "Health system"
    UNIVERSITY = "university", "University or school"
    ASSOCIATION = "association", "Professional association"
    OTHER = "other", "Other"


assert set(EntityKind.values) == ENTITY_KINDS, "EntityKind must follow core.taxonomy"


class IdentifierKind(models.TextChoices):
    EMAIL = "email", "Email"
    NAME = "name", "Full name"
    LICENSE = "license", "License number"


assert set(IdentifierKind.values) == set(IDENTIFIER_KINDS)


class TieKind(models.TextChoices):
    COLLEAGUE = "colleague", "Colleague"
    SUPERVISOR = "supervisor", "Supervisor"
    SUPERVISEE = "supervisee", "Supervisee"
    FRIEND = "friend", "Friend"
    FAMILY = "family", "Family"
    FORMER_CLIENT = "former_client", "Former client"
    OTHER = "other", "Other"


class KeySource(models.TextChoices):
    EMAIL = "email", "Account email"
    LEGAL_NAME = "legal_name", "Legal name"
    DISPLAY_NAME = "display_name", "Therapist display name"
    LICENSE = "license", "License number"


def _digest_is_hex(field: str = "digest") -> Q:
    # A fixed-length digest: a raw identifier can never be stored here by mistake.
    return Q(Exact(Length(field), DIGEST_LENGTH))


class Entity(models.Model):
    """A workplace unit, cohort, group or wider institution, shared between people."""

    kind = models.CharField(max_length=24, choices=EntityKind.choices)
    name = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="About how many people.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["normalised_name"], name="entity_normalised")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "normalised_name"], name="entity_unique_name"),
            models.CheckConstraint(condition=Q(kind__in=EntityKind.values), name="entity_kind"),
            models.CheckConstraint(condition=~Q(normalised_name=""), name="entity_named"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived here so every path (services, admin) agrees; bulk_create must set it itself.
        self.normalised_name = normalise_entity_name(self.name)
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """Someone belonged to an entity between two dates (either may be unknown)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="affiliations")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    # DESIGN rule 3: a seeker may ask for nobody from this place, whatever the dates.
    exclude_all = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["entity", "user"], name="affiliation_by_entity")]
        constraints = [
            models.UniqueConstraint(fields=["user", "entity"], name="affiliation_unique"),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(start__lte=models.F("end")),
                name="affiliation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"affiliation {self.pk}"  # never the entity or the person: this is private


class PersonTie(models.Model):
    """A tie from ``user`` to a person known only by a keyed hash of one identifier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_ties"
    )
    kind = models.CharField(max_length=16, choices=TieKind.choices)
    identifier_kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    digest = models.CharField(max_length=DIGEST_LENGTH)
    # The owner's masked reminder ("D… R…"); empty for entries made before masks existed.
    label = EncryptedTextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["digest"], name="tie_digest")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "identifier_kind", "digest"], name="tie_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=TieKind.values), name="tie_kind"),
            models.CheckConstraint(
                condition=Q(identifier_kind__in=IdentifierKind.values), name="tie_identifier_kind"
            ),
            models.CheckConstraint(condition=_digest_is_hex(), name="tie_digest_length"),
        ]

    def __str__(self) -> str:
        return f"tie {self.pk}"


class AvoidEntry(models.Model):
    """Someone the user never wants to be matched with: identifier kind and keyed hash only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="avoid_entries"
    )
    identifier_kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    digest = models.CharField(max_length=DIGEST_LENGTH)
    # The owner's masked reminder ("D… R…"); empty for entries made before masks existed.
    label = EncryptedTextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "avoid entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "identifier_kind", "digest"], name="avoid_unique"
            ),
            models.CheckConstraint(
                condition=Q(identifier_kind__in=IdentifierKind.values),
                name="avoid_identifier_kind",
            ),
            models.CheckConstraint(condition=_digest_is_hex(), name="avoid_digest_length"),
        ]

    def __str__(self) -> str:
        return f"avoid entry {self.pk}"


class Strictness(models.TextChoices):
    STANDARD = "standard", "Standard"
    STRICT = "strict", "Strict"


assert set(Strictness.values) == set(STRICTNESS)


class Separation(models.Model):
    """How far apart a seeker asked to be kept from their world (DESIGN "Conflict rules"):
    standing, like their places and avoid list, so it applies wherever a shortlist is made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="separation"
    )
    strictness = models.CharField(
        max_length=8, choices=Strictness.choices, default=Strictness.STANDARD
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(strictness__in=Strictness.values), name="separation_strictness"
            ),
        ]

    def __str__(self) -> str:
        return f"separation {self.pk}"


class IdentityKey(models.Model):
    """A keyed hash of one of the user's own identifiers, so that an avoid entry or a tie that
    names them (by email, name or license) finds them. Rebuilt by ``services``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_keys"
    )
    source = models.CharField(max_length=16, choices=KeySource.choices)
    digest = models.CharField(max_length=DIGEST_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["digest", "user"], name="identity_digest")]
        constraints = [
            models.UniqueConstraint(fields=["user", "source", "digest"], name="identity_unique"),
            models.CheckConstraint(
                condition=Q(source__in=KeySource.values), name="identity_source"
            ),
            models.CheckConstraint(condition=_digest_is_hex(), name="identity_digest_length"),
        ]

    def __str__(self) -> str:
        return f"identity key {self.pk}"
