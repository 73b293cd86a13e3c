"""Organisations, their coordinators and programs; therapists' places in a program; seekers'
enrollments, the offers made to them, and allocation runs.

Coordinators see aggregates only (``reports``): nothing here is ever listed to them per person.
An enrollment names the seeker's account (to place them and tell them), never their name: the
therapist sees the pseudonym through the normal consultation request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.dateformat import format as date_format

from holdspace.accounts.models import Role
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import TherapistProfile
from holdspace.matching.models import FindProfile
from holdspace.network.models import Entity
from holdspace.outreach.models import ConsultationRequest

INVITATION_VALID_FOR = dt.timedelta(days=14)
CODE_LENGTH = 12


class Organisation(models.Model):
    """A hospital, association or volunteer network running programs. Its ``entity`` is the
    shared network entity, so therapists tied to the organisation are kept away from enrollees."""

    name = models.CharField(max_length=200, unique=True)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="organisations")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoordinatorMembership(models.Model):
    """A coordinator account may run the programs of this organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="coordinator_unique")
        ]

    def __str__(self) -> str:
        return f"coordinator membership {self.pk}"

    def clean(self) -> None:
        # Coordinators must use two-factor sign-in; other roles would skip that requirement.
        if self.user_id is not None and self.user.role != Role.COORDINATOR:
            raise ValidationError({"user": "Only coordinator accounts can run programs."})


class Program(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    jurisdictions = models.JSONField(
        default=list, help_text="Where enrollees may be during sessions (ISO 3166-2 codes)."
    )
    session_allowance = models.PositiveSmallIntegerField(
        help_text="Sessions each enrollee may have through the program."
    )
    sponsor_paid = models.BooleanField(
        default=False, help_text="The organisation pays for the sessions."
    )
    # Stored upper case without separators; typed in any case, with or without dashes.
    code = models.CharField(max_length=CODE_LENGTH, unique=True, editable=False)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="program_unique_name"),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")),
                name="program_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(session_allowance__gte=1), name="program_allowance_positive"
            ),
            models.CheckConstraint(
                condition=Q(Exact(Length("code"), CODE_LENGTH)), name="program_code_length"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="program_named"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_names(self) -> str:
        """``"Colorado, New Mexico"`` rather than the stored ISO codes."""
        return ", ".join(US_JURISDICTIONS.get(code, code) for code in self.jurisdictions)

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def open_on(self, day: dt.date) -> bool:
        """Running on ``day``: allocation may place people."""
        return self.active and self.starts <= day and (self.ends is None or day <= self.ends)

    def enrolls_on(self, day: dt.date) -> bool:
        """Takes enrollments on ``day``: from the moment it is open, also before it starts
        (someone handed the code today should not be turned away; placements wait for the
        start), until it ends."""
        return self.active and (self.ends is None or day <= self.ends)

    def starts_later(self, day: dt.date) -> bool:
        return self.enrolls_on(day) and day < self.starts

    @property
    def starts_in_future(self) -> bool:
        return self.starts_later(timezone.localdate())

    def status_on(self, day: dt.date) -> str:
        """In words, for the coordinator: what the program does today."""
        if not self.active:
            return "Closed"
        if self.ends is not None and day > self.ends:
            return f"Ended on {date_format(self.ends, 'j F Y')}"
        if day < self.starts:
            return f"Opens on {date_format(self.starts, 'j F Y')}"
        return "Open for enrollment"


class InvitationState(models.TextChoices):
    WAITING = "waiting", "Not answered yet"
    ACCEPTED = "accepted", "Joined"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired without an answer"


class TherapistInvitation(models.Model):
    """A link a coordinator hands to a therapist. Only a hash of its token is stored; the link
    is shown once, when it is made. The therapist may join (``used_at``) or say no thanks
    (``declined_at``); the coordinator sees which (therapists are not anonymous)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    # The address the coordinator had the link e-mailed to, if any: how they tell links apart.
    email = models.EmailField(blank=True)
    created = models.DateTimeField()
    expires = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        TherapistProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(declined_at__isnull=True),
                name="program_invitation_one_answer",
            ),
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True) | Q(declined_at__lte=F("expires")),
                name="program_invitation_declined_in_time",
            ),
            models.CheckConstraint(
                condition=Q(expires__gt=F("created")), name="program_invitation_expires_later"
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_at__lte=F("expires")),
                name="program_invitation_used_in_time",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    def state_at(self, now: dt.datetime) -> InvitationState:
        if self.used_at is not None:
            return InvitationState.ACCEPTED
        if self.declined_at is not None:
            return InvitationState.DECLINED
        if self.expires <= now:
            return InvitationState.EXPIRED
        return InvitationState.WAITING


class ProgramTherapist(models.Model):
    """A therapist's place in a program: how many new clients they take through it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="therapists")
    profile = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="program_places"
    )
    capacity = models.PositiveSmallIntegerField()
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "profile"], name="program_therapist_once"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="program_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"program therapist {self.pk}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class Need(models.TextChoices):
    SOON = "soon", "As soon as possible"
    WEEKS = "weeks", "Within the next few weeks"
    FLEXIBLE = "flexible", "Whenever a place is free"


# The allocation's priority (0..1) for each answer: higher is placed first when places are short.
PRIORITY = {Need.SOON: 0.9, Need.WEEKS: 0.5, Need.FLEXIBLE: 0.2}


class EnrollmentStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a place"
    OFFERED = "offered", "Offered a therapist"
    PLACED = "placed", "Placed with a therapist"
    WITHDRAWN = "withdrawn", "Left the program"


class Enrollment(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    need = models.CharField(max_length=10, choices=Need.choices, default=Need.WEEKS)
    priority = models.FloatField(default=0.5)
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.WAITING
    )
    enrolled_at = models.DateTimeField()
    # Off by default: outcome scores count in the report only for those who opt in.
    share_outcomes = models.BooleanField(default=False)
    find_profile = models.ForeignKey(
        FindProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    told_waiting_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "seeker"], name="enrollment_once"),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="enrollment_status_valid"
            ),
            models.CheckConstraint(condition=Q(need__in=Need.values), name="enrollment_need_valid"),
            models.CheckConstraint(
                condition=Q(priority__gte=0) & Q(priority__lte=1),
                name="enrollment_priority_range",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", left_at__isnull=False)
                | (~Q(status="withdrawn") & Q(left_at__isnull=True)),
                name="enrollment_left_when_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"enrollment {self.pk}"


class PlacementStatus(models.TextChoices):
    OFFERED = "offered", "Offered, waiting for the therapist"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined by the therapist"
    EXPIRED = "expired", "Not answered in time"
    SEEKER_DECLINED = "seeker_declined", "Declined by the seeker"
    WITHDRAWN = "withdrawn", "Seeker left the program"


ACTIVE_PLACEMENTS = (PlacementStatus.OFFERED, PlacementStatus.ACCEPTED)


class AllocationRun(models.Model):
    """One allocation: counts only, never who."""

    class Trigger(models.TextChoices):
        COORDINATOR = "coordinator", "Run by a coordinator"
        NIGHTLY = "nightly", "Nightly run"
        COMMAND = "command", "Command line"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    seekers = models.PositiveIntegerField(default=0)  # waiting and considered
    placed = models.PositiveIntegerField(default=0)  # offers made
    waiting = models.PositiveIntegerField(default=0)  # still waiting afterwards
    refused = models.PositiveIntegerField(default=0)  # offers outreach's re-check refused
    therapists = models.PositiveIntegerField(default=0)  # with a free place
    total_fit = models.FloatField(null=True, blank=True)
    lp_bound = models.FloatField(null=True, blank=True)
    min_fit = models.FloatField(null=True, blank=True)
    validator_ok = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=["coordinator", "nightly", "command"]),
                name="program_run_trigger_valid",
            ),
            models.CheckConstraint(
                condition=Q(placed__lte=F("seekers")), name="program_run_placed_at_most_seekers"
            ),
        ]

    def __str__(self) -> str:
        return f"allocation run {self.pk}"


class Placement(models.Model):
    """An offer of one therapist to one enrollee, carried by a normal consultation request."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="placements")
    place = models.ForeignKey(ProgramTherapist, on_delete=models.CASCADE, related_name="placements")
    request = models.ForeignKey(
        ConsultationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(
        AllocationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=PlacementStatus.choices, default=PlacementStatus.OFFERED
    )
    offered_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status__in=["offered", "accepted"]),
                name="program_one_active_placement",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlacementStatus.values), name="placement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "accepted"]) | Q(closed_at__isnull=False),
                name="program_closed_placement_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"placement {self.pk}"
