"""Booking rules through the services: the guard, adjacency, cancelling, confirming, moving."""

from __future__ import annotations

import datetime as dt

import pytest

from holdspace.accounts.models import Role, User
from holdspace.core.slots import WeeklyWindow
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import selectors, services
from holdspace.scheduling.models import Booking, BookingStatus, SessionKind, SessionType
from tests.factories import make_user
from tests.scheduling.conftest import ZONE, at, book, session_type

pytestmark = pytest.mark.django_db


def test_a_consultation_is_booked_and_confirmed_at_once(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.end - booking.start == dt.timedelta(minutes=15)
    assert booking.start.tzinfo is not None


def test_the_same_time_twice_is_refused_with_the_clear_message(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    book(seeker, profile, at(day, "09:00"))
    with pytest.raises(services.SlotTaken) as caught:
        book(make_user(), profile, at(day, "09:00"))
    assert caught.value.message == "That time was just taken — please choose another."
    # Overlapping but not identical is taken too.
    with pytest.raises(services.SlotTaken):
        book(make_user(), profile, at(day, "09:10"))


def _session_booking(
    seeker: User, profile: TherapistProfile, start: dt.datetime, minutes: int = 50
) -> Booking:
    """A 50-minute session booked directly (the accepted-request rule arrives with outreach)."""
    kind = session_type(profile, SessionKind.SESSION)
    booking = Booking(
        profile=profile,
        seeker=seeker,
        session_type=kind,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        seeker_time_zone=ZONE,
    )
    return services._guard(
        lambda: booking, profile_id=profile.pk, event="booked", now=start - dt.timedelta(days=7)
    )


def test_adjacent_sessions_both_succeed(profile: TherapistProfile, day: dt.date) -> None:
    first = _session_booking(make_user(), profile, at(day, "09:00"))
    second = _session_booking(make_user(), profile, at(day, "09:50"))
    assert (first.end, second.start) == (second.start, at(day, "09:50"))
    assert second.end == at(day, "10:40")
    with pytest.raises(services.SlotTaken):
        _session_booking(make_user(), profile, at(day, "10:39"))


def test_cancelling_frees_the_time(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    services.cancel(user=seeker, booking_id=booking.pk, reason="Can't make it")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == "seeker"
    assert not booking.late_cancellation
    again = book(make_user(), profile, at(day, "10:00"))
    assert again.status == BookingStatus.CONFIRMED


def test_a_late_cancellation_is_allowed_and_marked(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    cancelled = services.cancel(
        user=seeker, booking_id=booking.pk, now=booking.start - dt.timedelta(hours=3)
    )
    assert cancelled.late_cancellation
    with pytest.raises(services.BookingError, match="already cancelled"):
        services.cancel(user=seeker, booking_id=booking.pk)


def test_a_therapist_cancelling_late_is_not_the_seekers_late_cancellation(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    cancelled = services.cancel(
        user=profile.user, booking_id=booking.pk, now=booking.start - dt.timedelta(hours=3)
    )
    assert (cancelled.cancelled_by, cancelled.late_cancellation) == ("therapist", False)


def test_a_started_session_cannot_be_cancelled(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    with pytest.raises(services.BookingError, match="already started"):
        services.cancel(user=seeker, booking_id=booking.pk, now=booking.start)


def test_only_offered_times_can_be_booked(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    with pytest.raises(services.BookingError, match="no longer offered"):
        book(seeker, profile, at(day, "17:00"))  # the window ends at 17:00
    with pytest.raises(services.BookingError, match="too soon"):
        book(seeker, profile, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    services.add_day_off(profile=profile, date=day)
    with pytest.raises(services.BookingError, match="no longer offered"):
        book(seeker, profile, at(day, "09:00"))
    assert not Booking.objects.exists()


def test_paid_sessions_need_an_accepted_request(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    kind = session_type(profile, SessionKind.SESSION)
    assert not selectors.booking_allowed(seeker=seeker, profile=profile, session_type=kind)
    with pytest.raises(services.BookingError, match="after a free consultation"):
        book(seeker, profile, at(day, "09:00"), SessionKind.SESSION)


def test_one_upcoming_consultation_per_therapist(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    consultation = session_type(profile)
    first = book(seeker, profile, at(day, "09:00"))
    assert not selectors.booking_allowed(seeker=seeker, profile=profile, session_type=consultation)
    with pytest.raises(services.BookingError):
        book(seeker, profile, at(day, "11:00"))
    services.cancel(user=seeker, booking_id=first.pk)
    assert selectors.booking_allowed(seeker=seeker, profile=profile, session_type=consultation)


def test_only_seekers_may_book(profile: TherapistProfile, day: dt.date) -> None:
    therapist = make_user(Role.THERAPIST)
    consultation = session_type(profile)
    assert not selectors.booking_allowed(
        seeker=therapist, profile=profile, session_type=consultation
    )
    other = SessionType.objects.exclude(profile=profile).first()
    assert other is None or not selectors.booking_allowed(
        seeker=make_user(), profile=profile, session_type=other
    )


def test_the_therapist_confirms_a_pending_session(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = _session_booking(seeker, profile, at(day, "09:00"))
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(services.BookingError):  # not the seeker's to confirm
        services.confirm(therapist=seeker, booking_id=booking.pk)
    confirmed = services.confirm(therapist=profile.user, booking_id=booking.pk)
    assert confirmed.status == BookingStatus.CONFIRMED
    assert confirmed.sequence == 1
    services.cancel(user=seeker, booking_id=booking.pk)
    with pytest.raises(services.BookingError, match="cancelled"):
        services.confirm(therapist=profile.user, booking_id=booking.pk)


def test_moving_a_booking(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    other = book(make_user(), profile, at(day, "11:00"))
    with pytest.raises(services.SlotTaken):
        services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "11:00"))
    moved = services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "11:15"))
    assert (moved.start, moved.end) == (at(day, "11:15"), at(day, "11:30"))
    assert moved.sequence == 1
    assert moved.status == BookingStatus.CONFIRMED  # consultations stay confirmed
    # Moving into the gap it left behind works; moving onto itself (a small shift) works too.
    services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "11:20"))
    with pytest.raises(services.BookingError):  # not theirs to move
        services.reschedule(seeker=seeker, booking_id=other.pk, start=at(day, "13:00"))


def test_a_moved_paid_session_waits_for_confirmation_again(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = _session_booking(seeker, profile, at(day, "09:00"))
    services.confirm(therapist=profile.user, booking_id=booking.pk)
    moved = services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "13:00"))
    assert moved.status == BookingStatus.PENDING


def test_no_moving_inside_the_cancellation_window(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    with pytest.raises(services.BookingError, match="within 24 hours"):
        services.reschedule(
            seeker=seeker,
            booking_id=booking.pk,
            start=at(day, "13:00"),
            now=booking.start - dt.timedelta(hours=20),
        )


def test_naive_times_and_unknown_zones_are_refused(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    with pytest.raises(services.BookingError):
        book(seeker, profile, dt.datetime.combine(day, dt.time(9)))
    with pytest.raises(ValueError, match="unknown time zone"):
        services.book(
            seeker=seeker,
            profile=profile,
            session_type=session_type(profile),
            start=at(day, "09:00"),
            seeker_time_zone="Nowhere/Land",
        )


def test_new_profiles_get_the_default_session_types(profile: TherapistProfile) -> None:
    kinds = {
        t.kind: (t.minutes, t.buffer_minutes) for t in SessionType.objects.filter(profile=profile)
    }
    assert kinds == {"consultation": (15, 0), "session": (50, 10), "check_in": (30, 0)}


def test_weekly_windows_may_not_overlap(profile: TherapistProfile) -> None:
    with pytest.raises(ValueError, match="overlap"):
        services.set_weekly_availability(
            profile=profile,
            windows=[
                WeeklyWindow(0, dt.time(9), dt.time(12)),
                WeeklyWindow(0, dt.time(11), dt.time(13)),
            ],
        )
