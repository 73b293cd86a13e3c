"""Benchmark: booking throughput and latency under 50 concurrent clients, and slot computation
for a therapist with a year of bookings. PostgreSQL by default.

Run from the repository root:

    .venv/bin/python bench/booking.py                       # starts a throwaway PostgreSQL
    DATABASE_URL=postgres://… .venv/bin/python bench/booking.py   # or uses yours
    .venv/bin/python bench/booking.py --clients 50 --per-client 20 --repeat 50
    .venv/bin/python bench/booking.py --sqlite                 # a throwaway SQLite file

Without DATABASE_URL it re-runs itself under ``scripts/with-postgres.sh`` (a server in a
temporary directory, removed afterwards). With one, it creates Django's test database next to
the named one (``test_<name>``), migrates it and drops it at the end; nothing else is touched.

Booking: each client is a thread with its own connection calling the real service
(``holdspace.scheduling.services.book`` — the guard, the policy check, the insert under the
exclusion constraint, and queueing the notification tasks), each booking a distinct free
slot, all clients released at once. Two shapes: every client booking the same therapist
(their changes are serialised by the therapist lock: the worst case) and each client a
different therapist. Latency is per call, wall clock; throughput is bookings per second of
the whole run.

Slots: a therapist available Monday–Friday 09:00–17:00 with a year of bookings (six a day),
``selectors.available_slots`` for the week the booking page shows and for 28 days, and the
pure ``holdspace.core.slots.bookable_slots`` over the whole year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import percentile  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
ZONE = "America/New_York"


def _configure() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "holdspace.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _make_therapists(count: int, *, all_day: bool) -> list[Any]:
    from holdspace.accounts.models import Role, User
    from holdspace.core.slots import WeeklyWindow
    from holdspace.directory.models import TherapistProfile
    from holdspace.scheduling import services

    profiles = []
    for number in range(count):
        user = User.objects.create_user(
            email=f"bench-therapist-{time.monotonic_ns()}-{number}@example.test",
            role=Role.THERAPIST,
        )
        profile = TherapistProfile.objects.create(
            user=user, display_name=f"Bench {number}", profession="counselor", time_zone=ZONE
        )
        end = dt.time.max if all_day else dt.time(17)
        start = dt.time(0) if all_day else dt.time(9)
        weekdays = range(7) if all_day else range(5)
        services.set_weekly_availability(
            profile=profile, windows=[WeeklyWindow(day, start, end) for day in weekdays]
        )
        services.update_settings(profile=profile, video_url="", notice_hours=0)
        profiles.append(profile)
    return profiles


def _make_seekers(count: int) -> list[Any]:
    from holdspace.accounts.models import Role, User

    stamp = time.monotonic_ns()
    users = []
    for n in range(count):
        user = User(
            email=f"bench-seeker-{stamp}-{n}@example.test",
            role=Role.SEEKER,
            pseudonym=f"Bench Seeker {n}",
        )
        user.set_unusable_password()  # nobody signs in as these
        users.append(user)
    return User.objects.bulk_create(users)


def bench_bookings(*, clients: int, per_client: int, shared: bool) -> dict[str, float]:
    """``clients`` threads each book ``per_client`` distinct slots, all at once."""
    from django.db import connection

    from holdspace.scheduling import services
    from holdspace.scheduling.models import SessionType

    profiles = _make_therapists(1 if shared else clients, all_day=True)
    seekers = _make_seekers(clients * per_client)
    first = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(
        days=2
    )
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    gate = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        profile = profiles[0 if shared else index]
        consultation = SessionType.objects.get(profile=profile, kind="consultation")
        try:
            gate.wait()
            for n in range(per_client):
                slot = index * per_client + n if shared else n
                started = time.perf_counter()
                try:
                    services.book(
                        seeker=seekers[index * per_client + n],
                        profile=profile,
                        session_type=consultation,
                        start=first + dt.timedelta(minutes=15 * slot),
                        seeker_time_zone=ZONE,
                    )
                except services.BookingError as error:
                    failures.append(error.message)
                latencies[index].append(time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [value for values in latencies for value in values]
    if failures:
        print(f"  {len(failures)} bookings refused: {sorted(set(failures))}", file=sys.stderr)
    return {
        "bookings": float(len(flat) - len(failures)),
        "seconds": elapsed,
        "per_second": (len(flat) - len(failures)) / elapsed,
        "p50": statistics.median(flat),
        "p95": percentile(flat, 0.95),
        "max": max(flat),
    }


def _timed(work: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    durations = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), percentile(durations, 0.95), result


def bench_slots(*, repeat: int) -> list[tuple[str, float, float, int]]:
    """A therapist with a year of bookings (six each weekday): how long slots take."""
    from django.utils import timezone

    from holdspace.core import slots
    from holdspace.scheduling import selectors
    from holdspace.scheduling.models import Booking, BookingStatus, SessionType

    (profile,) = _make_therapists(1, all_day=False)
    consultation = SessionType.objects.get(profile=profile, kind="consultation")
    session = SessionType.objects.get(profile=profile, kind="session")
    today = timezone.now().astimezone(slots.zone(ZONE)).date()
    seekers = _make_seekers(6 * 262)
    rows = []
    seeker_iter = iter(seekers)
    for offset in range(366):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in (9, 10, 11, 13, 14, 16):
            start = slots.to_utc(dt.datetime.combine(day, dt.time(hour)), slots.zone(ZONE))
            seeker = next(seeker_iter, None)
            if seeker is None:
                break
            rows.append(
                Booking(
                    profile=profile,
                    seeker=seeker,
                    session_type=session,
                    start=start,
                    end=start + dt.timedelta(minutes=50),
                    seeker_time_zone=ZONE,
                    status=BookingStatus.CONFIRMED,
                )
            )
    Booking.objects.bulk_create(rows, batch_size=500)
    now = timezone.now()
    results = []
    for label, days, kind in (
        ("page: 7 days, 15-min consultation", 7, consultation),
        ("page: 7 days, 50-min session", 7, session),
        ("28 days, 15-min consultation", 28, consultation),
    ):
        compute = partial(
            selectors.available_slots,
            profile=profile,
            session_type=kind,
            first_day=today,
            last_day=today + dt.timedelta(days=days - 1),
            now=now,
        )
        p50, p95, found = _timed(compute, repeat)
        assert isinstance(found, list)
        results.append((label, p50, p95, len(found)))

    windows = selectors.weekly_windows(profile)
    busy = [slots.Interval(b.start, b.end) for b in rows]
    p50, p95, found = _timed(
        lambda: slots.bookable_slots(
            windows=windows,
            time_zone=ZONE,
            first_day=today,
            last_day=today + dt.timedelta(days=365),
            duration=dt.timedelta(minutes=15),
            now=now,
            busy=busy,
        ),
        max(3, repeat // 10),
    )
    assert isinstance(found, list)
    results.append((f"core only: 366 days, {len(busy):,} bookings", p50, p95, len(found)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=50, help="runs per slot measurement")
    parser.add_argument(
        "--sqlite", action="store_true", help="a throwaway SQLite file instead of PostgreSQL"
    )
    args = parser.parse_args()

    scratch = None
    if args.sqlite:
        # A real file (WAL, immediate transactions), as in production, not the in-memory
        # database the test suite uses.
        scratch = Path(tempfile.mkdtemp(prefix="holdspace-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv(str(script), [str(script), sys.executable, *sys.argv])  # noqa: S606

    _configure()
    import django
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    if scratch:
        call_command("migrate", verbosity=0)
        test_name = str(scratch / "bench.sqlite3")
    else:
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()"
            )
            row = cursor.fetchone()
            server = str(row[0]).split(" on ")[0] if vendor == "postgresql" else f"SQLite {row[0]}"
        print(
            f"{server} · Django {django.get_version()} · "
            f"Python {platform.python_version()} · {os.cpu_count()} CPUs · db {test_name}"
        )
        print(f"\nBooking: {args.clients} concurrent clients × {args.per_client} bookings each")
        print(f"{'shape':<34}{'bookings/s':>12}{'p50':>12}{'p95':>12}{'max':>12}")
        shapes = (
            ("1 client (uncontended baseline)", 1, True),
            ("one therapist, distinct slots", args.clients, True),
            ("a therapist per client", args.clients, False),
        )
        for label, clients, shared in shapes:
            result = bench_bookings(clients=clients, per_client=args.per_client, shared=shared)
            print(
                f"{label:<34}{result['per_second']:>12,.0f}{_ms(result['p50']):>12}"
                f"{_ms(result['p95']):>12}{_ms(result['max']):>12}"
            )
        print(f"\nSlots for a therapist with a year of bookings ({args.repeat} runs each)")
        print(f"{'computation':<46}{'p50':>11}{'p95':>11}{'slots':>8}")
        for label, p50, p95, count in bench_slots(repeat=args.repeat):
            print(f"{label:<46}{_ms(p50):>11}{_ms(p95):>11}{count:>8,}")
    finally:
        if scratch:
            connection.close()
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            connection.creation.destroy_test_db(test_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
