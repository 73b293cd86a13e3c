"""Consultation requests, their message threads and reveals.

A therapist sees a request's pseudonym and what the seeker chose to share; never the seeker's
account details until the seeker records a ``Reveal``. Free text is encrypted at rest.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from holdspace.core.taxonomy import PROFESSIONS
from holdspace.directory.models import TherapistProfile
from holdspace.fields import EncryptedTextField

ANSWER_WITHIN = dt.timedelta(hours=72)


class Status(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Not answered in time"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Setting(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    CLINIC = "clinic", "Clinic or outpatient"
    PRIVATE = "private_practice", "Private practice"
    COMMUNITY = "community", "Community or nonprofit"
    EDUCATION = "education", "School or university"
    EMERGENCY = "emergency", "Emergency services"
    OTHER = "other", "Somewhere else"


class DeclineReason(models.TextChoices):
    NOT_TAKING = "not_taking", "Not taking new clients right now"
    FIT = "fit", "Not the right fit for what you need"
    CONFLICT = "conflict", "A possible conflict"
    OTHER = "other", "Other"


class ConsultationRequest(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_requests"
    )
    profile = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="consultation_requests"
    )
    # What the seeker chose to share.
    profession = models.CharField(max_length=32, blank=True, choices=list(PROFESSIONS.items()))
    setting = models.CharField(max_length=20, blank=True, choices=Setting.choices)
    situation = EncryptedTextField("what's going on", blank=True)
    preferred_times = models.CharField(max_length=200, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # declined, expired or withdrawn
    decline_reason = models.CharField(max_length=12, blank=True, choices=DeclineReason.choices)
    decline_note = EncryptedTextField(blank=True)
    # The seeker's Find answers (JSON, encrypted) while they may be needed: to re-check the
    # rules at acceptance and to offer next matches. Cleared once accepted or withdrawn.
    answers = EncryptedTextField(blank=True)
    # When each party last read the conversation: messages from the other party after it are
    # unread (null: never opened). Never shown to the other party: there are no read receipts.
    seeker_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    therapist_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "profile"],
                condition=models.Q(status="open"),
                name="one_open_request_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="request_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(decline_reason__in=["", *DeclineReason.values]),
                name="request_decline_reason_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["accepted", "declined"])
                | models.Q(answered_at__isnull=False),
                name="answered_request_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status="declined") | models.Q(decline_reason=""),
                name="decline_reason_only_when_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def due_at(self) -> dt.datetime:
        return self.created_at + ANSWER_WITHIN

    @property
    def can_message(self) -> bool:
        return self.status in (Status.OPEN, Status.ACCEPTED)


class Message(models.Model):
    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class Reveal(models.Model):
    """The seeker showed who they are to this request's therapist. Only the seeker creates it
    and nobody changes it: it records who, when and exactly what was shown."""

    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="reveal"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revealed_at = models.DateTimeField()
    legal_name = EncryptedTextField()
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"Reveal for request {self.request_id}"

    @property
    def fields_shown(self) -> list[str]:
        return [name for name in ("legal_name", "email", "phone") if getattr(self, name)]
