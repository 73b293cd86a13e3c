"""Regressions found by the form fuzzer (tests/security/test_form_fuzzing.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.scheduling.conftest import at, book, session_type

pytestmark = pytest.mark.django_db

# Offsets that push the instant past the years a datetime holds once moved to UTC, and starts
# whose session would end after 9999-12-31.
OUT_OF_RANGE = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:30:00+00:00",
]


@pytest.mark.parametrize("start", OUT_OF_RANGE)
def test_booking_a_time_beyond_the_calendar_is_refused_not_a_server_error(
    seeker: User, profile: TherapistProfile, start: str
) -> None:
    response = client_for(seeker).post(
        reverse("scheduling:book", args=[profile.pk]),
        {"session_type": session_type(profile).pk, "start": start},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose one of the times shown." in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", OUT_OF_RANGE)
def test_moving_to_a_time_beyond_the_calendar_is_refused_not_a_server_error(
    seeker: User, profile: TherapistProfile, day: dt.date, start: str
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    url = reverse("scheduling:reschedule", args=[booking.pk])
    response = client_for(seeker).post(url, {"start": start}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the times shown." in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == at(day, "10:00")


@pytest.mark.parametrize("target", ["abc", "a\x00b", "/\x00", "bookings", "home", "http:", ""])
def test_the_zone_form_goes_back_only_to_a_path_of_ours(seeker: User, target: str) -> None:
    """``redirect()`` reads a bare word as a view name: "abc" was a server error, and "home"
    a redirect chosen by the form rather than the page it came from. A "next" that is not a
    path of ours is ignored; the zone is still saved."""
    client = client_for(seeker)
    response = client.post(
        reverse("accounts:time_zone"), {"time_zone": "America/Denver", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:time_zone")
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Denver"
