"""Booking and cancelling in two steps: the review says when (with the zone), how, the fee and
what happens, and writes nothing; its confirm goes through the booking guard once; a confirm
that isn't what was reviewed is refused and writes nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.confirmation import CHANGED
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services as outreach
from holdspace.scheduling.models import Booking, BookingStatus, SessionKind
from tests.conftest import client_for
from tests.factories import make_request, make_user
from tests.reviewing import confirm_form
from tests.scheduling.conftest import at, book, session_type

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    # Times keep their clock and zone on one line with no-break spaces; read them as spaces.
    page = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    return page.replace("\N{NO-BREAK SPACE}", " ")


def book_url(profile: TherapistProfile, day: dt.date) -> str:
    return reverse("scheduling:book", args=[profile.pk]) + f"?from={day.isoformat()}"


def pick(profile: TherapistProfile, day: dt.date, clock: str = "09:00") -> dict[str, str]:
    return {"session_type": str(session_type(profile).pk), "start": at(day, clock).isoformat()}


# Booking -----------------------------------------------------------------------------------


def test_the_booking_review_shows_time_with_zone_format_and_fee_and_books_nothing(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    review = client_for(seeker).post(book_url(profile, day), pick(profile, day))
    assert review.status_code == 200
    page = text(review)
    assert "Check your booking" in page
    assert f"{day:%A} {day.day} {day:%B %Y}, 9:00 AM" in page
    assert "Eastern time (New York)" in page
    assert "Video call" in page
    assert "<dt>Fee</dt><dd>Free</dd>" in page
    assert "confirmed as soon as you book" in page
    assert not Booking.objects.exists()


def test_a_paid_session_review_shows_the_fee_and_that_the_therapist_confirms(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    outreach.accept_request(therapist=profile.user, request=make_request(seeker, profile))
    TherapistProfile.objects.filter(pk=profile.pk).update(fee=140, sliding_scale=True)
    kind = session_type(profile, SessionKind.SESSION)
    review = client_for(seeker).post(
        book_url(profile, day), {"session_type": kind.pk, "start": at(day, "10:00").isoformat()}
    )
    page = text(review)
    assert "$140 for a standard session, sliding scale available" in page
    assert "confirms it; until then the time is held for you" in page
    assert not Booking.objects.exists()


def test_confirming_books_the_reviewed_time_once(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    url = book_url(profile, day)
    action, confirm = confirm_form(client.post(url, pick(profile, day)), url)
    done = client.post(action, confirm)
    booking = Booking.objects.get()
    assert done["Location"] == reverse("scheduling:detail", args=[booking.pk])
    assert booking.start == at(day, "09:00")
    assert booking.status == BookingStatus.CONFIRMED
    again = client.post(action, confirm, follow=True)  # a double click books nothing more
    assert Booking.objects.count() == 1
    assert "you already have a consultation booked" in text(again)


def test_a_changed_time_on_confirm_is_refused_and_nothing_is_booked(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    url = book_url(profile, day)
    action, confirm = confirm_form(client.post(url, pick(profile, day)), url)
    refused = client.post(action, confirm | {"start": at(day, "11:00").isoformat()})
    assert refused.status_code == 400
    assert CHANGED in text(refused)
    assert "11:00 AM" in text(refused)  # the time actually posted, to review again
    assert not Booking.objects.exists()


def test_a_booking_review_is_bound_to_the_zone_it_was_shown_in(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    url = book_url(profile, day)
    action, confirm = confirm_form(client.post(url, pick(profile, day)), url)
    client.post(reverse("accounts:time_zone"), {"time_zone": "Europe/London", "next": "/"})
    refused = client.post(action, confirm)
    assert refused.status_code == 400
    assert "London" in text(refused)
    assert not Booking.objects.exists()


def test_reviewing_a_time_that_is_not_offered_says_so_and_books_nothing(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    for clock in ("03:00", "09:07"):
        response = client.post(book_url(profile, day), pick(profile, day, clock), follow=True)
        assert "That time is no longer offered" in text(response)
    assert not Booking.objects.exists()


def test_only_seekers_reach_the_booking_review(
    therapist: User, profile: TherapistProfile, day: dt.date
) -> None:
    url = book_url(profile, day)
    assert client_for(therapist).post(url, pick(profile, day)).status_code == 403
    anonymous = Client().post(url, pick(profile, day))
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    assert not Booking.objects.exists()


# Cancelling --------------------------------------------------------------------------------


def test_the_cancel_review_says_who_is_told_and_cancels_nothing(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    review = client_for(seeker).post(
        reverse("scheduling:cancel", args=[booking.pk]), {"reason": "A shift came up"}
    )
    assert review.status_code == 200
    page = text(review)
    assert "Cancel this session?" in page
    assert f"{profile.display_name} is told by email, with your reason." in page
    assert "A shift came up" in page
    assert "late cancellation" not in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_late_cancellation_says_so_before_it_happens(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    url = reverse("scheduling:cancel", args=[booking.pk])
    with time_machine.travel(booking.start - dt.timedelta(hours=5), tick=False):
        client = client_for(seeker)  # signed in on the day
        review = client.post(url, {"reason": ""})
        assert "recorded as a late cancellation" in text(review)
        action, confirm = confirm_form(review, url)
        client.post(action, confirm)
    booking.refresh_from_db()
    assert (booking.status, booking.late_cancellation) == (BookingStatus.CANCELLED, True)


def test_the_therapist_sees_their_own_cancel_review(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    review = client_for(profile.user).post(
        reverse("scheduling:cancel", args=[booking.pk]), {"reason": ""}
    )
    page = text(review)
    assert f"{seeker.pseudonym} is told by email that you cancelled." in page
    assert "late cancellation" not in page


def test_confirming_cancels_once_with_the_reviewed_reason(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    client = client_for(seeker)
    url = reverse("scheduling:cancel", args=[booking.pk])
    action, confirm = confirm_form(client.post(url, {"reason": "Clash"}), url)
    assert client.post(action, confirm).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_reason) == (BookingStatus.CANCELLED, "Clash")
    sequence = booking.sequence
    again = client.post(action, confirm, follow=True)
    assert "already cancelled" in text(again)
    booking.refresh_from_db()
    assert booking.sequence == sequence


def test_a_changed_reason_on_confirm_is_refused_and_nothing_is_cancelled(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    client = client_for(seeker)
    url = reverse("scheduling:cancel", args=[booking.pk])
    action, confirm = confirm_form(client.post(url, {"reason": "Clash"}), url)
    refused = client.post(action, confirm | {"reason": "Something else entirely"})
    assert refused.status_code == 400
    assert CHANGED in text(refused)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_reason_too_long_is_explained_and_kept(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    long_reason = "x" * 201
    response = client_for(seeker).post(
        reverse("scheduling:cancel", args=[booking.pk]), {"reason": long_reason}
    )
    assert response.status_code == 400
    assert "at most 200 characters" in text(response)
    assert long_reason in text(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_nobody_else_reaches_a_cancel_review(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    url = reverse("scheduling:cancel", args=[booking.pk])
    action, confirm = confirm_form(client_for(seeker).post(url, {"reason": ""}), url)
    assert client_for(make_user(Role.SEEKER)).post(action, confirm).status_code == 404
    assert client_for(make_user(Role.THERAPIST)).post(action, confirm).status_code == 404
    assert Client().post(action, confirm).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
