"""Reads for scheduling. Every read of a booking goes through ``get_booking_for``."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.core import slots
from holdspace.directory.models import TherapistProfile
from holdspace.directory.selectors import listed_profiles
from holdspace.outreach.selectors import has_accepted_request
from holdspace.scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    CalendarFeed,
    DayOff,
    SchedulingSettings,
    SessionType,
    WeeklyAvailability,
)

# How far ahead seekers can book, and how far back a calendar feed reaches.
BOOKING_HORIZON_DAYS = 42
FEED_HISTORY_DAYS = 90
# Seekers may cancel up to the start, but inside this window the cancellation is "late".
CANCELLATION_WINDOW = dt.timedelta(hours=24)


def settings_for(profile: TherapistProfile) -> SchedulingSettings:
    """The profile's settings, or unsaved defaults when the therapist never changed them."""
    found = SchedulingSettings.objects.filter(profile=profile).first()
    return found or SchedulingSettings(profile=profile)


def weekly_windows(profile: TherapistProfile) -> list[slots.WeeklyWindow]:
    return [
        slots.WeeklyWindow(row.weekday, row.start, row.end)
        for row in WeeklyAvailability.objects.filter(profile=profile)
    ]


def days_off_between(profile: TherapistProfile, first: dt.date, last: dt.date) -> set[dt.date]:
    return set(
        DayOff.objects.filter(profile=profile, date__range=(first, last)).values_list(
            "date", flat=True
        )
    )


def offered_session_types(profile: TherapistProfile) -> QuerySet[SessionType]:
    return SessionType.objects.filter(profile=profile, active=True)


def get_offered_session_type(profile: TherapistProfile, session_type_id: int) -> SessionType:
    try:
        return offered_session_types(profile).get(pk=session_type_id)
    except SessionType.DoesNotExist:
        raise Http404("No such session type") from None


def get_bookable_profile(*, profile_id: int, today: dt.date) -> TherapistProfile:
    """A listed profile a seeker may book with; unlisted ones are a 404."""
    try:
        return listed_profiles(today=today).select_related("user").get(pk=profile_id)
    except TherapistProfile.DoesNotExist:
        raise Http404("No such therapist") from None


def booking_allowed(*, seeker: User, profile: TherapistProfile, session_type: SessionType) -> bool:
    """Whether ``seeker`` may book ``session_type`` with ``profile`` — the one policy rule.

    A signed-in seeker may book the FREE 15-minute consultation with any listed therapist,
    one upcoming consultation per therapist at a time. Every other session type needs an
    accepted consultation request with this therapist (outreach app).
    """
    if seeker.role != Role.SEEKER or session_type.profile_id != profile.pk:
        return False
    if not session_type.active:
        return False
    if not session_type.is_free_consultation:
        return has_accepted_request(seeker=seeker, profile=profile)
    return not Booking.objects.filter(
        profile=profile,
        seeker=seeker,
        session_type__kind=session_type.kind,
        status__in=ACTIVE_STATUSES,
        end__gt=timezone.now(),
    ).exists()


def busy_spans(profile: TherapistProfile, window: slots.Interval) -> list[slots.Interval]:
    """Active bookings of ``profile`` overlapping ``window``."""
    rows = Booking.objects.filter(
        profile=profile, status__in=ACTIVE_STATUSES, start__lt=window.end, end__gt=window.start
    ).values_list("start", "end")
    return [slots.Interval(start, end) for start, end in rows]


def available_slots(
    *,
    profile: TherapistProfile,
    session_type: SessionType,
    first_day: dt.date,
    last_day: dt.date,
    now: dt.datetime,
) -> list[slots.Interval]:
    """What a seeker can book, from ``first_day`` to ``last_day`` (the therapist's local days)."""
    span = slots.Interval(
        slots.local_day_bounds(first_day, profile.time_zone).start,
        slots.local_day_bounds(last_day, profile.time_zone).end,
    )
    settings = settings_for(profile)
    buffer = dt.timedelta(minutes=session_type.buffer_minutes)
    return slots.bookable_slots(
        windows=weekly_windows(profile),
        time_zone=profile.time_zone,
        first_day=first_day,
        last_day=last_day,
        duration=dt.timedelta(minutes=session_type.minutes),
        buffer=buffer,
        now=now,
        min_notice=dt.timedelta(hours=settings.notice_hours),
        days_off=days_off_between(profile, first_day, last_day),
        busy=busy_spans(profile, slots.Interval(span.start - buffer, span.end + buffer)),
    )


def slot_offered(
    *, profile: TherapistProfile, session_type: SessionType, start: dt.datetime, now: dt.datetime
) -> bool:
    """Whether ``start`` is one of the times the booking page would offer right now (the
    review step checks this; the booking guard decides for good when it is confirmed)."""
    day = slots.to_local(start, profile.time_zone).date()
    today = slots.to_local(now, profile.time_zone).date()
    if not today <= day <= today + dt.timedelta(days=BOOKING_HORIZON_DAYS):
        return False
    found = available_slots(
        profile=profile, session_type=session_type, first_day=day, last_day=day, now=now
    )
    return any(slot.start == start for slot in found)


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("profile", "profile__user", "seeker", "session_type")


def get_booking_for(user: User, booking_id: int) -> Booking:
    """A booking its seeker or its therapist may see; anyone else gets a 404."""
    if not user.is_authenticated:
        raise Http404("No such booking")
    try:
        return _bookings().get(Q(seeker=user) | Q(profile__user=user), pk=booking_id)
    except Booking.DoesNotExist:
        raise Http404("No such booking") from None


def bookings_for(user: User, *, since: dt.datetime) -> QuerySet[Booking]:
    """The user's bookings (as seeker or therapist) ending after ``since``, soonest first."""
    return _bookings().filter(Q(seeker=user) | Q(profile__user=user), end__gt=since)


def upcoming_for(
    user: User, *, now: dt.datetime, until: dt.datetime | None = None
) -> QuerySet[Booking]:
    """The user's sessions still to come or under way (waiting to be confirmed, or confirmed),
    as seeker or therapist, soonest first; those starting before ``until`` if given."""
    found = bookings_for(user, since=now).filter(status__in=ACTIVE_STATUSES)
    if until is not None:
        found = found.filter(start__lt=until)
    return found.order_by("start", "pk")


def has_weekly_availability(profile: TherapistProfile) -> bool:
    """Whether the therapist has set any weekly times seekers can book."""
    return WeeklyAvailability.objects.filter(profile=profile).exists()


def feed_user(token: str) -> User:
    """The owner of a calendar feed token; unknown or revoked tokens are a 404."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    try:
        return CalendarFeed.objects.select_related("user").get(token_hash=digest).user
    except CalendarFeed.DoesNotExist:
        raise Http404("No such calendar") from None


def has_feed(user: User) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()


def is_late(booking: Booking, now: dt.datetime) -> bool:
    """Inside the cancellation window: seekers may still cancel, but it counts as late."""
    return booking.start - now < CANCELLATION_WINDOW
