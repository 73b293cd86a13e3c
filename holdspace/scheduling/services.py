"""Writes for scheduling. Keyword-only and typed; every change to a booking — book, confirm,
reschedule, cancel — runs through ``_guard``, the one place that decides whether a time is
free and turns every way of losing a race into ``SlotTaken``."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import random
import secrets
import time
from collections.abc import Callable
from functools import partial
from typing import Literal

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.core import slots
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import selectors, tasks
from holdspace.scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    CalendarFeed,
    DayOff,
    SchedulingSettings,
    SessionKind,
    SessionType,
    WeeklyAvailability,
)

logger = logging.getLogger(__name__)

TAKEN = "That time was just taken — please choose another."
Event = Literal["booked", "confirmed", "rescheduled", "cancelled"]
REMINDER_BEFORE = dt.timedelta(hours=24)
# SQLite: the immediate transaction normally waits for the write lock by itself (timeout 20 s).
# A shared-cache database (the test suite's in-memory one) reports "locked" at once instead;
# those attempts (and PostgreSQL deadlock victims) are retried for up to this long, so nobody
# ever sees "database is locked".
LOCK_PATIENCE_SECONDS = 20.0


class BookingError(Exception):
    """A booking change that cannot happen; ``message`` is safe to show as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlotTaken(BookingError):
    def __init__(self) -> None:
        super().__init__(TAKEN)


# Setup ------------------------------------------------------------------------------------


def ensure_scheduling_defaults(*, profile: TherapistProfile) -> None:
    """Give a profile the default session types (idempotent; new profiles get them by signal)."""
    for spec in slots.DEFAULT_SESSIONS:
        SessionType.objects.get_or_create(
            profile=profile,
            kind=spec.kind.value,
            defaults={"minutes": spec.minutes, "buffer_minutes": spec.buffer_minutes},
        )


@transaction.atomic
def set_weekly_availability(
    *, profile: TherapistProfile, windows: list[slots.WeeklyWindow]
) -> None:
    """Replace the weekly availability. Windows of one day must not overlap (ValueError)."""
    ordered = sorted(windows, key=lambda w: (w.weekday, w.start))
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and after.start < before.end:
            raise ValueError("Two times on the same day overlap.")
    WeeklyAvailability.objects.filter(profile=profile).delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(profile=profile, weekday=w.weekday, start=w.start, end=w.end)
        for w in ordered
    )


def add_day_off(*, profile: TherapistProfile, date: dt.date) -> DayOff:
    day_off, _ = DayOff.objects.get_or_create(profile=profile, date=date)
    return day_off


def remove_day_off(*, profile: TherapistProfile, day_off_id: int) -> None:
    DayOff.objects.filter(profile=profile, pk=day_off_id).delete()


def update_settings(*, profile: TherapistProfile, video_url: str, notice_hours: int) -> None:
    SchedulingSettings.objects.update_or_create(
        profile=profile, defaults={"video_url": video_url, "notice_hours": notice_hours}
    )


def update_session_type(
    *, session_type: SessionType, active: bool, minutes: int, buffer_minutes: int
) -> None:
    session_type.active = active
    if session_type.kind != SessionKind.CONSULTATION:  # consultations stay 15 minutes
        session_type.minutes = minutes
    session_type.buffer_minutes = buffer_minutes
    session_type.save(update_fields=["active", "minutes", "buffer_minutes"])


# The guard ---------------------------------------------------------------------------------


def _overlapping(booking: Booking) -> bool:
    """Another active booking of the same therapist overlaps [start, end) — half-open."""
    return (
        Booking.objects.filter(
            profile_id=booking.profile_id,
            status__in=ACTIVE_STATUSES,
            start__lt=booking.end,
            end__gt=booking.start,
        )
        .filter(~Q(pk=booking.pk) if booking.pk else Q())
        .exists()
    )


def _is_overlap_violation(error: IntegrityError) -> bool:
    # PostgreSQL's exclusion_violation (SQLSTATE 23P01) from booking_no_overlap.
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or "booking_no_overlap" in str(error)


def _is_lock_error(error: OperationalError) -> bool:
    """Worth another attempt: SQLite was busy, or PostgreSQL picked this transaction as a
    deadlock victim (possible only for writes that skip the therapist lock below)."""
    if connection.vendor == "sqlite":
        return "locked" in str(error)
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def _with_lock_patience[T](work: Callable[[], T]) -> T:
    """Run ``work`` (one whole transaction), retrying while SQLite says it is locked."""
    if connection.in_atomic_block:
        return work()  # inside someone else's transaction: retrying is theirs to decide
    deadline = time.monotonic() + LOCK_PATIENCE_SECONDS
    pause = 0.002
    while True:
        try:
            return work()
        except OperationalError as error:
            if not _is_lock_error(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 0.05)


def _guard(
    change: Callable[[], Booking],
    *,
    event: Event,
    now: dt.datetime,
    profile_id: int | None = None,
    booking_id: int | None = None,
) -> Booking:
    """THE guard. ``change`` loads (and locks) what it needs and returns the booking as it
    should be, unsaved. Here, in one transaction: if the booking is to hold its time, no
    other pending or confirmed booking of that therapist may overlap it; then it is saved
    and the notifications are queued for after the commit.

    SQLite: the transaction is IMMEDIATE, so the check and the write cannot interleave with
    another writer. PostgreSQL: the therapist's profile row is locked first (always before
    any booking row, so changes never deadlock), which makes the check authoritative for
    everything that comes through here; the exclusion constraint is the guarantee for
    anything that does not, and if it ever fires the answer is the same ``SlotTaken``.
    """

    def attempt() -> Booking:
        with transaction.atomic():
            # The therapist of an existing booking (which never changes) is looked up in
            # here too, so every read is covered by the lock patience below.
            therapist = profile_id if profile_id is not None else _profile_of(booking_id)
            # FOR NO KEY UPDATE: serialises this therapist's booking changes without
            # blocking the foreign-key checks of the inserts themselves.
            list(
                TherapistProfile.objects.select_for_update(no_key=True)
                .filter(pk=therapist)
                .values_list("pk", flat=True)
            )
            booking = change()
            if booking.holds_slot and _overlapping(booking):
                raise SlotTaken()
            booking.save()
            _notify_after_commit(booking, event=event, now=now)
        return booking

    try:
        return _with_lock_patience(attempt)
    except IntegrityError as error:
        if _is_overlap_violation(error):
            raise SlotTaken() from None
        raise


def _check_time(*, profile: TherapistProfile, interval: slots.Interval, now: dt.datetime) -> None:
    """The requested time is still offered: enough notice, inside availability, not a day off."""
    notice = dt.timedelta(hours=selectors.settings_for(profile).notice_hours)
    if interval.start < now + notice:
        raise BookingError("That time is too soon to book — please choose a later one.")
    local_day = slots.to_local(interval.start, profile.time_zone).date()
    if not slots.within_availability(
        slot=interval,
        windows=selectors.weekly_windows(profile),
        time_zone=profile.time_zone,
        days_off=selectors.days_off_between(profile, local_day, local_day),
    ):
        raise BookingError("That time is no longer offered — please choose another.")


def _interval(start: dt.datetime, session_type: SessionType) -> slots.Interval:
    if timezone.is_naive(start):
        raise BookingError("That time could not be read — please choose another.")
    start = start.astimezone(dt.UTC)
    return slots.Interval(start, start + dt.timedelta(minutes=session_type.minutes))


def _profile_of(booking_id: int | None) -> int:
    """The therapist a booking belongs to (it never changes), to lock before the booking."""
    if booking_id is None:
        raise BookingError("That booking could not be found.")
    found = Booking.objects.filter(pk=booking_id).values_list("profile_id", flat=True).first()
    if found is None:
        raise BookingError("That booking could not be found.")
    return found


def _locked_booking(booking_id: int, condition: Q) -> Booking:
    try:
        return (
            Booking.objects.select_for_update()
            .select_related("profile", "session_type")
            .get(condition, pk=booking_id)
        )
    except Booking.DoesNotExist:
        raise BookingError("That booking could not be found.") from None


# Booking changes ---------------------------------------------------------------------------


def book(
    *,
    seeker: User,
    profile: TherapistProfile,
    session_type: SessionType,
    start: dt.datetime,
    seeker_time_zone: str,
    now: dt.datetime | None = None,
) -> Booking:
    """Book ``start`` for ``seeker``. Free consultations are confirmed at once (the therapist
    published the time, and one less wait matters to an exhausted seeker); other sessions wait
    for the therapist to confirm. Raises BookingError (SlotTaken when someone was faster)."""
    now = now or timezone.now()
    slots.zone(seeker_time_zone)  # refuse unknown zones before anything is written
    interval = _interval(start, session_type)

    def change() -> Booking:
        if not selectors.booking_allowed(seeker=seeker, profile=profile, session_type=session_type):
            raise BookingError(
                "This kind of session can be booked after a free consultation, "
                "or you already have a consultation booked with this therapist."
            )
        _check_time(profile=profile, interval=interval, now=now)
        return Booking(
            profile=profile,
            seeker=seeker,
            session_type=session_type,
            start=interval.start,
            end=interval.end,
            seeker_time_zone=seeker_time_zone,
            status=BookingStatus.CONFIRMED
            if session_type.is_free_consultation
            else BookingStatus.PENDING,
        )

    return _guard(change, profile_id=profile.pk, event="booked", now=now)


def confirm(*, therapist: User, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """The therapist confirms a pending booking (it already holds its time)."""
    now = now or timezone.now()

    def change() -> Booking:
        booking = _locked_booking(booking_id, Q(profile__user=therapist))
        if booking.status == BookingStatus.CANCELLED:
            raise BookingError("This booking was cancelled, so it can't be confirmed.")
        if booking.start <= now:
            raise BookingError("This session has already started.")
        if booking.status == BookingStatus.PENDING:
            booking.status = BookingStatus.CONFIRMED
            booking.sequence += 1
        return booking

    return _guard(change, booking_id=booking_id, event="confirmed", now=now)


def reschedule(
    *, seeker: User, booking_id: int, start: dt.datetime, now: dt.datetime | None = None
) -> Booking:
    """The seeker moves a booking to another offered time, outside the cancellation window.
    A paid session goes back to waiting for the therapist's confirmation."""
    now = now or timezone.now()

    def change() -> Booking:
        booking = _locked_booking(booking_id, Q(seeker=seeker))
        if not booking.holds_slot:
            raise BookingError("This booking was cancelled; please book a new time.")
        if selectors.is_late(booking, now):
            raise BookingError(
                "Sessions can't be moved within 24 hours of their start; you can still cancel."
            )
        interval = _interval(start, booking.session_type)
        _check_time(profile=booking.profile, interval=interval, now=now)
        booking.start, booking.end = interval.start, interval.end
        booking.sequence += 1
        booking.reminder_sent_at = None
        if not booking.session_type.is_free_consultation:
            booking.status = BookingStatus.PENDING
        return booking

    return _guard(change, booking_id=booking_id, event="rescheduled", now=now)


def cancel(
    *, user: User, booking_id: int, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Either party cancels; the time is free again at once. A seeker cancelling within 24
    hours of the start still can, but the booking is marked as a late cancellation."""
    now = now or timezone.now()

    def change() -> Booking:
        booking = _locked_booking(booking_id, Q(seeker=user) | Q(profile__user=user))
        if booking.status == BookingStatus.CANCELLED:
            raise BookingError("This booking is already cancelled.")
        if booking.start <= now:
            raise BookingError("This session has already started, so it can't be cancelled.")
        by_seeker = booking.seeker_id == user.pk
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_by = "seeker" if by_seeker else "therapist"
        booking.cancellation_reason = reason.strip()[:200]
        booking.late_cancellation = by_seeker and selectors.is_late(booking, now)
        booking.sequence += 1
        return booking

    return _guard(change, booking_id=booking_id, event="cancelled", now=now)


# Notifications -----------------------------------------------------------------------------


def _enqueue(enqueue: Callable[[], object]) -> None:
    """Queue a task after the commit; the booking stands even if queueing fails."""
    try:
        _with_lock_patience(enqueue)
    except Exception:
        logger.exception("Could not queue a booking notification")


def _notify_after_commit(booking: Booking, *, event: Event, now: dt.datetime) -> None:
    # Tasks are queued only once the booking is committed, so they never see a rolled-back row.
    notify = partial(tasks.send_booking_email.enqueue, booking_id=booking.pk, event=event)
    transaction.on_commit(partial(_enqueue, notify))
    remind_at = booking.start - REMINDER_BEFORE
    if event in ("booked", "rescheduled") and booking.holds_slot and remind_at > now:
        reminder = partial(
            tasks.send_reminder.using(run_after=remind_at).enqueue,
            booking_id=booking.pk,
            start=booking.start.isoformat(),
        )
        transaction.on_commit(partial(_enqueue, reminder))


# Calendar feeds ----------------------------------------------------------------------------


def renew_feed(*, user: User) -> str:
    """A new private feed token for ``user`` (the old URL stops working). Only its hash is
    stored; the token itself is returned once, to be shown once."""
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(token.encode()).hexdigest()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": digest})
    return token


def revoke_feed(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()
