"""Constraints in the database: checks on both engines; on PostgreSQL the exclusion constraint
stops overlapping active bookings even for writes that skip the services."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling.models import (
    Booking,
    BookingStatus,
    SchedulingSettings,
    SessionType,
    WeeklyAvailability,
)
from tests.factories import days_ahead, make_profile, make_user
from tests.scheduling.conftest import ZONE, at, session_type

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)


def raw_booking(
    profile: TherapistProfile,
    seeker: User,
    start: dt.datetime,
    minutes: int = 15,
    status: str = BookingStatus.CONFIRMED,
) -> Booking:
    return Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=session_type(profile),
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        seeker_time_zone=ZONE,
        status=status,
    )


@pytest.mark.django_db
def test_a_booking_must_end_after_it_starts(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_booking(profile, seeker, at(day, "09:00"), minutes=0)


@pytest.mark.django_db
def test_other_checks(profile: TherapistProfile) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SchedulingSettings.objects.filter(profile=profile).update(video_url="http://x.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionType.objects.filter(profile=profile, kind="consultation").update(minutes=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyAvailability.objects.create(
            profile=profile, weekday=0, start=dt.time(10), end=dt.time(9)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionType.objects.create(profile=profile, kind="consultation", minutes=15)


@postgres_only
@pytest.mark.django_db
def test_the_exclusion_constraint(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    raw_booking(profile, seeker, at(day, "09:00"), minutes=50)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        raw_booking(profile, make_user(), at(day, "09:49"))
    # Half-open ranges: touching is fine; cancelled bookings hold nothing; other therapists
    # are independent.
    raw_booking(profile, make_user(), at(day, "09:50"))
    raw_booking(profile, make_user(), at(day, "09:30"), status=BookingStatus.CANCELLED)
    raw_booking(make_profile(), make_user(), at(day, "09:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(status=BookingStatus.CANCELLED).update(status=BookingStatus.PENDING)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_constraint_alone_stops_a_raw_race() -> None:
    """Writers that skip the guard entirely still cannot double book."""
    profile = make_profile()
    seekers = [make_user() for _ in range(20)]
    start = at(days_ahead(8, ZONE), "09:00")
    gate = threading.Barrier(len(seekers))
    outcomes: list[str] = []

    def insert(seeker: User) -> None:
        try:
            gate.wait()
            with transaction.atomic():
                raw_booking(profile, seeker, start)
            outcomes.append("won")
        except IntegrityError:
            outcomes.append("refused")
        except OperationalError as error:  # a deadlock victim: also refused
            outcomes.append("deadlock" if "deadlock" in str(error) else f"error {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=insert, args=(seeker,)) for seeker in seekers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1
    assert set(outcomes) <= {"won", "refused", "deadlock"}
    assert Booking.objects.filter(profile=profile).count() == 1
