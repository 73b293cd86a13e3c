"""A therapist's practice: session notes (encrypted, draft then signed, amended never edited),
acknowledgements of risk flags on a client's check-ins, and measurement plans (check-ins the
therapist asks a client for, on a cadence) with one invitation row per due check-in.

A signed note's text has no update path: services change text only through a conditional
UPDATE that matches drafts, and ``SessionNote.save`` refuses to write over a signed row.
Corrections are ``NoteAmendment`` rows kept beside the original.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from holdspace.checkins.models import CheckIn, Instrument
from holdspace.fields import EncryptedTextField
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import cadence
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


class Cadence(models.TextChoices):
    BEFORE_SESSION = cadence.BEFORE_SESSION, "Before each session"
    TWO_WEEKS = cadence.TWO_WEEKS, "Every 2 weeks"
    MONTHLY = cadence.MONTHLY, "Monthly"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    STOPPED = "stopped", "Stopped"


class MeasurementPlan(models.Model):
    """One instrument a therapist asks a client to fill in, on a cadence. Plans are never
    edited: a different cadence is a new plan, so the history says what was asked when."""

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="measurement_plans"
    )
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    cadence = models.CharField(max_length=16, choices=Cadence.choices)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # RESTRICT, not PROTECT: the author stays while the plan does, yet removing a whole
    # practice (therapist -> profile -> requests -> plans) in one delete still works.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__in=Instrument.values), name="plan_instrument_valid"
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=Cadence.values), name="plan_cadence_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=PlanStatus.ACTIVE) & Q(stopped_at__isnull=True))
                | (Q(status=PlanStatus.STOPPED) & Q(stopped_at__isnull=False)),
                name="plan_stopped_has_time",
            ),
            # One active plan per instrument and client: two cadences would mean two e-mails.
            models.UniqueConstraint(
                fields=["request", "instrument"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="plan_one_active_per_instrument",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk}: {self.instrument} {self.cadence} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE


class CheckInInvitation(models.Model):
    """One due check-in of a plan: created when it falls due, e-mailed once (``sent_at`` is
    claimed before sending), completed by the client's saved check-in.

    Periodic plans get at most one a day; before-each-session plans one per session (and, as
    they share the daily key, one a day even with two sessions that day)."""

    plan = models.ForeignKey(MeasurementPlan, on_delete=models.CASCADE, related_name="invitations")
    # The session it comes before (before-each-session plans only). A booking removed later
    # leaves the invitation's history in place.
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    created_at = models.DateTimeField()
    # After this the check-in is no longer asked for: the session ended, or the next one is due.
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # The client may delete their check-in later; the invitation still shows it was completed.
    checkin = models.OneToOneField(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="invitation_once_a_day"),
            models.UniqueConstraint(
                fields=["plan", "booking"],
                condition=Q(booking__isnull=False),
                name="invitation_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(checkin__isnull=True) | Q(completed_at__isnull=False),
                name="invitation_checkin_has_time",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="invitation_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} of plan {self.plan_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
