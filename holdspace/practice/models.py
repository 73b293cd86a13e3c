"""A therapist's practice: session notes (encrypted, draft then signed, amended never edited)
and acknowledgements of risk flags on a client's check-ins.

A signed note's text has no update path: services change text only through a conditional
UPDATE that matches drafts, and ``SessionNote.save`` refuses to write over a signed row.
Corrections are ``NoteAmendment`` rows kept beside the original.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from holdspace.checkins.models import CheckIn
from holdspace.fields import EncryptedTextField
from holdspace.outreach.models import ConsultationRequest
from holdspace.scheduling.models import Booking


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class SignedNoteError(Exception):
    """A signed note's text was about to change."""


class SessionNote(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    status = models.CharField(max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NoteStatus.values), name="note_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(signed_at__isnull=True))
                | (Q(status="signed") & Q(signed_at__isnull=False)),
                name="note_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A row already signed in the database is never written again (amend instead).
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status="signed").exists():
            raise SignedNoteError("A signed note cannot be changed; add an amendment.")
        super().save(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class NoteAmendment(models.Model):
    """A later addition to a signed note; never changed once written."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} to note {self.note_id}"


class RiskAcknowledgement(models.Model):
    """The therapist saw a client's self-harm check-in. A flag is any visible check-in with
    ``self_harm`` and no acknowledgement row for that request."""

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="risk_acknowledgements"
    )
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "checkin"], name="risk_ack_once"),
        ]

    def __str__(self) -> str:
        return f"Risk acknowledged for check-in {self.checkin_id}"
