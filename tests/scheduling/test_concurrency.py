"""No double booking, ever: real threads, each with its own database connection, race through
the real services. Runs on SQLite (immediate transactions) and PostgreSQL (the exclusion
constraint) alike: ``scripts/with-postgres.sh .venv/bin/python -m pytest tests/scheduling``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus, SessionKind
from tests.factories import days_ahead, make_profile, make_schedule, make_user
from tests.scheduling.conftest import ZONE, at, session_type

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 50
ROUNDS = 20
Outcome = tuple[str, str]  # ("won" | "lost" | "error", detail)


def race(attempts: list[Callable[[], object]]) -> list[Outcome]:
    """Run every attempt at once on its own thread and connection; never let one escape."""
    gate = threading.Barrier(len(attempts))

    def run(attempt: Callable[[], object]) -> Outcome:
        try:
            gate.wait()
            attempt()
            return ("won", "")
        except services.BookingError as error:
            return ("lost", error.message)
        except Exception as error:  # any other exception is a failure of the guard
            return ("error", f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def overlapping_pairs(profile: TherapistProfile) -> int:
    active = list(Booking.objects.filter(profile=profile, status__in=ACTIVE_STATUSES))
    return sum(
        1
        for i, a in enumerate(active)
        for b in active[i + 1 :]
        if a.start < b.end and b.start < a.end
    )


def test_fifty_seekers_racing_for_one_slot_twenty_times() -> None:
    seekers = [make_user() for _ in range(RACERS)]
    day = days_ahead(8, ZONE)
    for round_number in range(ROUNDS):
        # A fresh therapist each round (a seeker may hold one consultation per therapist).
        profile = make_schedule(make_profile())
        start = at(day, "09:00") + dt.timedelta(minutes=15 * (round_number % 8))
        outcomes = race(
            [
                partial(
                    services.book,
                    seeker=seeker,
                    profile=profile,
                    session_type=session_type(profile),
                    start=start,
                    seeker_time_zone=ZONE,
                )
                for seeker in seekers
            ]
        )
        errors = [detail for kind, detail in outcomes if kind == "error"]
        assert errors == [], errors
        assert [kind for kind, _ in outcomes].count("won") == 1, round_number
        losers = {detail for kind, detail in outcomes if kind == "lost"}
        assert losers == {services.TAKEN}
        assert Booking.objects.filter(profile=profile).count() == 1


def test_racing_for_adjacent_and_overlapping_times() -> None:
    """Half of the racers want 09:00–09:15, half 09:15–09:30 (adjacent): both times are
    booked exactly once; 09:05 overlaps both and never wins alongside them."""
    profile = make_schedule(make_profile())
    consultation = session_type(profile)
    day = days_ahead(8, ZONE)
    starts = [at(day, "09:00"), at(day, "09:15")] * 12 + [at(day, "09:07")]

    def attempt(start: dt.datetime) -> Callable[[], object]:
        seeker = make_user()
        return lambda: services.book(
            seeker=seeker,
            profile=profile,
            session_type=consultation,
            start=start,
            seeker_time_zone=ZONE,
        )

    outcomes = race([attempt(start) for start in starts])
    assert [kind for kind, _ in outcomes].count("error") == 0, outcomes
    assert overlapping_pairs(profile) == 0
    won = Booking.objects.filter(profile=profile).count()
    assert won in (1, 2)  # 09:07 alone, or 09:00 and 09:15 (adjacent) together
    if won == 2:
        assert set(Booking.objects.values_list("start", flat=True)) == {
            at(day, "09:00"),
            at(day, "09:15"),
        }


def test_concurrent_reschedules_into_one_slot_never_overlap() -> None:
    profile = make_schedule(make_profile())
    day = days_ahead(8, ZONE)
    bookings = [
        services.book(
            seeker=make_user(),
            profile=profile,
            session_type=session_type(profile),
            start=at(day, "09:00") + dt.timedelta(minutes=15 * n),
            seeker_time_zone=ZONE,
        )
        for n in range(20)
    ]
    target = at(day, "15:00")

    def attempt(booking: Booking) -> Callable[[], object]:
        seeker = User.objects.get(pk=booking.seeker_id)
        return lambda: services.reschedule(seeker=seeker, booking_id=booking.pk, start=target)

    outcomes = race([attempt(booking) for booking in bookings])
    assert [kind for kind, _ in outcomes].count("error") == 0, outcomes
    assert [kind for kind, _ in outcomes].count("won") == 1
    assert {detail for kind, detail in outcomes if kind == "lost"} == {services.TAKEN}
    assert Booking.objects.filter(start=target).count() == 1
    assert overlapping_pairs(profile) == 0


def test_confirms_cancels_and_reschedules_racing_never_overlap() -> None:
    """The therapist confirms pending sessions while their seekers move them onto each other's
    times and a third party books: at the end no two active bookings overlap."""
    profile = make_schedule(make_profile())
    day = days_ahead(8, ZONE)
    kind = session_type(profile, SessionKind.SESSION)
    pending = []
    for n in range(6):
        start = at(day, "09:00") + dt.timedelta(hours=n)
        booking = Booking.objects.create(
            profile=profile,
            seeker=make_user(),
            session_type=kind,
            start=start,
            end=start + dt.timedelta(minutes=50),
            seeker_time_zone=ZONE,
        )
        pending.append(booking)
    therapist = profile.user
    attempts: list[Callable[[], object]] = []
    for index, booking in enumerate(pending):
        seeker = User.objects.get(pk=booking.seeker_id)
        target = pending[(index + 1) % len(pending)].start
        attempts += [
            partial(services.confirm, therapist=therapist, booking_id=booking.pk),
            partial(services.reschedule, seeker=seeker, booking_id=booking.pk, start=target),
            partial(
                services.reschedule, seeker=seeker, booking_id=booking.pk, start=at(day, "16:00")
            ),
        ]
    outcomes = race(attempts)
    assert [kind for kind, _ in outcomes].count("error") == 0, outcomes
    assert overlapping_pairs(profile) == 0
    assert Booking.objects.filter(start=at(day, "16:00")).count() <= 1
    statuses = set(Booking.objects.filter(profile=profile).values_list("status", flat=True))
    assert statuses <= {BookingStatus.PENDING, BookingStatus.CONFIRMED}
