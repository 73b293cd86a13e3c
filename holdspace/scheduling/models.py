"""Availability, session types, bookings and calendar feeds.

No double booking: pending and confirmed bookings hold their time. On PostgreSQL an exclusion
constraint (btree_gist, added by migration 0002 on PostgreSQL only) makes two overlapping
active bookings of one therapist impossible; on SQLite every write runs in an immediate
transaction that re-checks overlap first (see services._guard).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from holdspace.core import zones
from holdspace.core.slots import SessionKind as CoreSessionKind
from holdspace.directory.models import TherapistProfile


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class SessionKind(models.TextChoices):
    CONSULTATION = CoreSessionKind.CONSULTATION.value, "Free 15-minute consultation"
    SESSION = CoreSessionKind.SESSION.value, "50-minute session"
    CHECK_IN = CoreSessionKind.CHECK_IN.value, "30-minute check-in"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the therapist to confirm"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)
https_only = URLValidator(schemes=["https"], message="Enter a secure link starting with https://")


class SchedulingSettings(models.Model):
    """One per therapist: the video link and how much notice a booking needs."""

    profile = models.OneToOneField(
        TherapistProfile, on_delete=models.CASCADE, related_name="scheduling_settings"
    )
    video_url = models.URLField(
        "Video link",
        max_length=300,
        blank=True,
        validators=[https_only],
        help_text="Shared only with the people you have a booking with.",
    )
    notice_hours = models.PositiveSmallIntegerField(
        "Minimum notice (hours)",
        default=12,
        validators=[MaxValueValidator(24 * 14)],
        help_text="How soon before a session it can still be booked.",
    )

    class Meta:
        verbose_name_plural = "scheduling settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(video_url="") | Q(video_url__startswith="https://"),
                name="scheduling_video_url_https",
            ),
            models.CheckConstraint(
                condition=Q(notice_hours__lte=24 * 14), name="scheduling_notice_at_most_14_days"
            ),
        ]

    def __str__(self) -> str:
        return f"Scheduling settings for {self.profile}"


class WeeklyAvailability(models.Model):
    """Available every ``weekday`` from ``start`` to ``end``, wall time in the profile's zone."""

    profile = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="availability_ends_later"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday_valid"
            ),
            models.UniqueConstraint(
                fields=["profile", "weekday", "start"], name="availability_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DayOff(models.Model):
    """A whole local day (in the therapist's zone) with no bookable time."""

    profile = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="days_off")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        verbose_name_plural = "days off"
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="day_off_unique")]

    def __str__(self) -> str:
        return f"{self.profile} off on {self.date:%Y-%m-%d}"


class SessionType(models.Model):
    profile = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="session_types"
    )
    kind = models.CharField(max_length=16, choices=SessionKind.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(10), MaxValueValidator(180)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "Break after (minutes)",
        default=0,
        validators=[MaxValueValidator(60)],
        help_text="Kept free after this kind of session before the next one can start.",
    )
    active = models.BooleanField("Offer this", default=True)

    class Meta:
        ordering = ["minutes"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind"], name="session_type_unique_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_type_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=10, minutes__lte=180), name="session_type_minutes_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.CONSULTATION) | Q(minutes=15),
                name="session_type_consultation_is_15_minutes",
            ),
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=60), name="session_type_buffer_at_most_hour"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == SessionKind.CONSULTATION:
            return "Free 15-minute consultation"
        noun = "session" if self.kind == SessionKind.SESSION else "check-in"
        return f"{self.minutes}-minute {noun}"

    @property
    def is_free_consultation(self) -> bool:
        return self.kind == SessionKind.CONSULTATION


class Booking(models.Model):
    profile = models.ForeignKey(TherapistProfile, on_delete=models.PROTECT, related_name="bookings")
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    # The zone the seeker chose when booking: their emails and calendar use it.
    seeker_time_zone = models.CharField(max_length=64)
    # Stable calendar identity (RFC 5545 UID) and revision (SEQUENCE, bumped on each change).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_by = models.CharField(max_length=16, blank=True)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    late_cancellation = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["profile", "start"], name="booking_profile_start"),
            models.Index(fields=["seeker", "start"], name="booking_seeker_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_later"),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=BookingStatus.CANCELLED) | Q(cancelled_by=""),
                name="booking_cancelled_by_only_when_cancelled",
            ),
        ]

    def __str__(self) -> str:
        when = zones.write(timezone.localtime(self.start))  # the reader's zone, named
        return f"Booking {self.pk} ({self.status}) {when}"

    @property
    def holds_slot(self) -> bool:
        return self.status in ACTIVE_STATUSES


class CalendarFeed(models.Model):
    """A private calendar subscription URL. Only a SHA-256 of the token is stored, so a copy
    of the database cannot be used to read anyone's calendar; renewing replaces the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    renewed = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
