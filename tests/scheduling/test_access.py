"""Nobody but the two parties reads a booking or its .ics (404); pages need sign-in; a wrong
or revoked feed token is a 404; roles keep to their own pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import Booking, BookingStatus
from tests.conftest import client_for
from tests.factories import make_profile, make_user
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    ("scheduling:bookings", []),
    ("scheduling:settings", []),
    ("scheduling:book", [1]),
    ("scheduling:detail", [1]),
    ("scheduling:reschedule", [1]),
    ("scheduling:ics", [1]),
    ("scheduling:calendar", []),
]
SIGNED_IN_ACTIONS = [
    ("scheduling:add_day_off", []),
    ("scheduling:remove_day_off", [1]),
    ("scheduling:session_types", []),
    ("scheduling:save_settings", []),
    ("scheduling:confirm", [1]),
    ("scheduling:cancel", [1]),
    ("scheduling:renew_feed", []),
    ("scheduling:revoke_feed", []),
]


@pytest.fixture
def booking(seeker: User, profile: TherapistProfile, day: dt.date) -> Booking:
    return book(seeker, profile, at(day, "09:00"))


@pytest.mark.parametrize(("name", "args"), SIGNED_IN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name: str, args: list[int]) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), SIGNED_IN_ACTIONS)
def test_anonymous_posts_are_sent_to_sign_in(name: str, args: list[int]) -> None:
    response = Client().post(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["scheduling:detail", "scheduling:ics", "scheduling:reschedule"])
def test_outsiders_get_a_404_for_someone_elses_booking(
    booking: Booking, other_therapist: User, name: str
) -> None:
    make_profile(user=other_therapist)
    for outsider in (make_user(), other_therapist, make_user(Role.COORDINATOR)):
        assert client_for(outsider).get(reverse(name, args=[booking.pk])).status_code == 404


@pytest.mark.parametrize("name", ["scheduling:confirm", "scheduling:cancel"])
def test_outsiders_cannot_change_someone_elses_booking(booking: Booking, name: str) -> None:
    response = client_for(make_user()).post(reverse(name, args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_both_parties_can_read_the_booking_and_its_calendar_file(
    booking: Booking, seeker: User, profile: TherapistProfile
) -> None:
    for party in (seeker, profile.user):
        client = client_for(party)
        assert client.get(reverse("scheduling:detail", args=[booking.pk])).status_code == 200
        response = client.get(reverse("scheduling:ics", args=[booking.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")


def test_the_seeker_cannot_confirm_and_the_therapist_cannot_move(
    booking: Booking, seeker: User, profile: TherapistProfile
) -> None:
    assert (
        client_for(seeker).post(reverse("scheduling:confirm", args=[booking.pk])).status_code == 404
    )
    url = reverse("scheduling:reschedule", args=[booking.pk])
    assert client_for(profile.user).get(url).status_code == 404


def test_roles_keep_to_their_pages(seeker: User, profile: TherapistProfile) -> None:
    assert client_for(seeker).get(reverse("scheduling:settings")).status_code == 403
    book_page = reverse("scheduling:book", args=[profile.pk])
    assert client_for(profile.user).get(book_page).status_code == 403


def test_unlisted_therapists_cannot_be_booked(seeker: User) -> None:
    hidden = make_profile(published=False)
    response = client_for(seeker).get(reverse("scheduling:book", args=[hidden.pk]))
    assert response.status_code == 404


def test_a_therapist_cannot_remove_anothers_day_off(
    profile: TherapistProfile, other_therapist: User, day: dt.date
) -> None:
    theirs = services.add_day_off(profile=profile, date=day)
    make_profile(user=other_therapist)
    client_for(other_therapist).post(reverse("scheduling:remove_day_off", args=[theirs.pk]))
    assert profile.days_off.filter(pk=theirs.pk).exists()


def test_wrong_and_revoked_feed_tokens_are_404(booking: Booking, seeker: User) -> None:
    assert Client().get(reverse("scheduling:feed", args=["not-a-token"])).status_code == 404
    token = services.renew_feed(user=seeker)
    url = reverse("scheduling:feed", args=[token])
    assert Client().get(url).status_code == 200
    new_token = services.renew_feed(user=seeker)
    assert Client().get(url).status_code == 404  # renewing revokes the old link
    services.revoke_feed(user=seeker)
    assert Client().get(reverse("scheduling:feed", args=[new_token])).status_code == 404
