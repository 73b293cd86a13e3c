"""The scheduling pages: a seeker books from a profile in their own time zone, sees and
cancels or moves bookings; a therapist sets availability and confirms."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.display import clock
from holdspace.scheduling.models import (
    Booking,
    BookingStatus,
    DayOff,
    SchedulingSettings,
    SessionKind,
    SessionType,
    WeeklyAvailability,
)
from tests.conftest import client_for
from tests.factories import make_user
from tests.reviewing import confirm_form, review_and_confirm
from tests.scheduling.conftest import ZONE, at, book, session_type

pytestmark = pytest.mark.django_db


def book_url(profile: TherapistProfile, day: dt.date) -> str:
    return reverse("scheduling:book", args=[profile.pk]) + f"?from={day.isoformat()}"


def test_the_booking_page_shows_times_in_the_seekers_zone(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    seeker.time_zone = "America/Chicago"
    seeker.save()
    response = client_for(seeker).get(book_url(profile, day))
    assert response.status_code == 200
    html = response.content.decode()
    # 09:00 in New York is 08:00 in Chicago, for the same instant.
    assert re.search(rf'value="{re.escape(at(day, "09:00").isoformat())}" required> 8:00 AM', html)
    assert "Shown in Central time (Chicago). The therapist works in Eastern time" in html


def test_a_seeker_chooses_another_zone_and_it_is_remembered(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    page = book_url(profile, day)
    response = client.post(
        reverse("accounts:time_zone"), {"time_zone": "America/Denver", "next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get(page).content.decode()
    # 09:00 in New York is 07:00 in Denver, for the same instant.
    assert re.search(rf'value="{re.escape(at(day, "09:00").isoformat())}" required> 7:00 AM', html)
    assert "Mountain time (Denver)" in html
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Denver"  # kept with the account, for every page


def test_the_zone_form_refuses_other_sites_and_unknown_zones(seeker: User) -> None:
    client = client_for(seeker)
    response = client.post(
        reverse("accounts:time_zone"),
        {"time_zone": "Mars/Base", "next": "https://evil.example/"},
    )
    assert response.status_code == 400
    assert "“Mars/Base” is not a time zone we know" in response.content.decode()
    assert "evil.example" not in response.content.decode()
    seeker.refresh_from_db()
    assert seeker.time_zone == ""


def test_booking_from_the_page(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    client = client_for(seeker)
    client.post(reverse("accounts:time_zone"), {"time_zone": "Europe/London", "next": "/"})
    consultation = session_type(profile)
    review, response = review_and_confirm(
        client,
        book_url(profile, day),
        {"session_type": consultation.pk, "start": at(day, "09:00").isoformat()},
    )
    shown = review.content.decode().replace("\N{NO-BREAK SPACE}", " ")
    assert clock(at(day, "09:00"), "Europe/London") in shown
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:detail", args=[booking.pk])
    assert booking.seeker_time_zone == "Europe/London"
    detail = client.get(response["Location"]).content.decode().replace("\xa0", " ")
    london = clock(booking.start, "Europe/London")  # 14:00, or 13:00 in March
    assert f"{london} GMT" in detail or f"{london} BST" in detail  # the zone named
    assert booking.start.astimezone(ZoneInfo("Europe/London")).hour in (13, 14)
    assert "https://video.example.test/room-42" in detail


def test_a_taken_time_comes_back_with_the_clear_message(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    url = book_url(profile, day)
    review = client.post(
        url, {"session_type": session_type(profile).pk, "start": at(day, "09:00").isoformat()}
    )
    book(make_user(), profile, at(day, "09:00"))  # someone else was faster
    action, confirm = confirm_form(review, url)
    response = client.post(action, confirm, follow=True)
    assert response.status_code == 200
    assert "That time was just taken — please choose another." in response.content.decode()
    # Reviewing a time that is already taken says so at once.
    again = client.post(
        url, {"session_type": session_type(profile).pk, "start": at(day, "09:00").isoformat()},
        follow=True,
    )  # fmt: skip
    assert "That time is no longer offered" in again.content.decode()
    assert Booking.objects.filter(seeker=seeker).count() == 0


def test_nonsense_times_are_refused_kindly(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    client = client_for(seeker)
    for start in ["yesterday", dt.datetime.combine(day, dt.time(9)).isoformat()]:
        response = client.post(
            book_url(profile, day),
            {"session_type": session_type(profile).pk, "start": start},
            follow=True,
        )
        assert "Choose one of the times shown." in response.content.decode()
    assert not Booking.objects.exists()


def test_paid_session_types_explain_what_is_needed(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    kind = session_type(profile, SessionKind.SESSION)
    url = reverse("scheduling:book", args=[profile.pk]) + f"?type={kind.pk}"
    html = client_for(seeker).get(url).content.decode()
    assert "after a free consultation" in html
    assert 'name="start"' not in html


def test_a_profile_without_availability_offers_no_times(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    WeeklyAvailability.objects.filter(profile=profile).delete()
    html = client_for(seeker).get(book_url(profile, day)).content.decode()
    assert "No free times" in html


def test_my_bookings_and_cancelling(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    client = client_for(seeker)
    html = client.get(reverse("scheduling:bookings")).content.decode()
    assert profile.display_name in html
    _, confirmed = review_and_confirm(
        client, reverse("scheduling:cancel", args=[booking.pk]), {"reason": "Clash"}
    )
    response = client.get(confirmed["Location"])
    assert "the time is free again" in response.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_reason) == (BookingStatus.CANCELLED, "Clash")


def test_moving_from_the_page(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    booking = book(seeker, profile, at(day, "10:00"))
    client = client_for(seeker)
    url = reverse("scheduling:reschedule", args=[booking.pk]) + f"?from={day.isoformat()}"
    html = client.get(url).content.decode()
    assert "Move your session" in html
    response = client.post(url, {"start": at(day, "13:00").isoformat()})
    assert response["Location"] == reverse("scheduling:detail", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.start == at(day, "13:00")


def test_the_therapist_sees_the_pseudonym_only_and_confirms(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    seeker.legal_name = "Canary Legalname"
    seeker.save()
    kind = session_type(profile, SessionKind.SESSION)
    start = at(day, "09:00")
    booking = Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=kind,
        start=start,
        end=start + dt.timedelta(minutes=50),
        seeker_time_zone=ZONE,
    )
    client = client_for(profile.user)
    for url in (
        reverse("scheduling:bookings"),
        reverse("scheduling:detail", args=[booking.pk]),
        reverse("scheduling:ics", args=[booking.pk]),
    ):
        content = client.get(url).content.decode()
        assert "Canary Legalname" not in content
        assert seeker.email not in content
    assert seeker.pseudonym in client.get(reverse("scheduling:bookings")).content.decode()
    response = client.post(reverse("scheduling:confirm", args=[booking.pk]), follow=True)
    assert "Confirmed" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_therapist_sets_weekly_times(profile: TherapistProfile) -> None:
    client = client_for(profile.user)
    assert client.get(reverse("scheduling:settings")).status_code == 200
    response = client.post(
        reverse("scheduling:settings"),
        {"d0_start1": "08:00", "d0_end1": "12:00", "d0_start2": "13:00", "d0_end2": "16:30"},
    )
    assert response.status_code == 302
    rows = list(WeeklyAvailability.objects.filter(profile=profile).values_list("start", "end"))
    assert rows == [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(16, 30))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"d1_start1": "10:00"}, "Give both a start and an end time."),
        ({"d1_start1": "10:00", "d1_end1": "09:00"}, "The end must be after the start."),
        (
            {"d1_start1": "09:00", "d1_end1": "12:00", "d1_start2": "11:00", "d1_end2": "13:00"},
            "The two times on Tuesday overlap.",
        ),
    ],
)
def test_weekly_times_are_checked(
    profile: TherapistProfile, data: dict[str, str], message: str
) -> None:
    before = WeeklyAvailability.objects.filter(profile=profile).count()
    response = client_for(profile.user).post(reverse("scheduling:settings"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert WeeklyAvailability.objects.filter(profile=profile).count() == before


def test_days_off_session_types_and_video_link(profile: TherapistProfile, day: dt.date) -> None:
    client = client_for(profile.user)
    client.post(reverse("scheduling:add_day_off"), {"date": day.isoformat()})
    day_off = DayOff.objects.get(profile=profile)
    assert day_off.date == day
    client.post(reverse("scheduling:remove_day_off", args=[day_off.pk]))
    assert not DayOff.objects.exists()

    data: dict[str, str] = {}
    for kind in SessionType.objects.filter(profile=profile):
        data |= {
            f"{kind.kind}-active": "on" if kind.kind != "check_in" else "",
            f"{kind.kind}-minutes": "45" if kind.kind == "session" else str(kind.minutes),
            f"{kind.kind}-buffer_minutes": "15" if kind.kind == "session" else "0",
        }
    data["consultation-minutes"] = "60"  # disabled field: ignored
    assert client.post(reverse("scheduling:session_types"), data).status_code == 302
    kinds = {t.kind: (t.active, t.minutes, t.buffer_minutes) for t in profile.session_types.all()}
    assert kinds == {
        "consultation": (True, 15, 0),
        "session": (True, 45, 15),
        "check_in": (False, 30, 0),
    }

    response = client.post(
        reverse("scheduling:save_settings"),
        {"video_url": "http://insecure.example/room", "notice_hours": "12"},
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    client.post(
        reverse("scheduling:save_settings"),
        {"video_url": "https://meet.example/abc", "notice_hours": "24"},
    )
    saved = SchedulingSettings.objects.get(profile=profile)
    assert (saved.video_url, saved.notice_hours) == ("https://meet.example/abc", 24)


def test_a_late_booking_page_explains_the_cancellation_window(
    seeker: User, profile: TherapistProfile
) -> None:
    soon = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=14)
    kind = session_type(profile)
    booking = Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=kind,
        start=soon,
        end=soon + dt.timedelta(minutes=15),
        seeker_time_zone=ZONE,
        status=BookingStatus.CONFIRMED,
    )
    html = client_for(seeker).get(reverse("scheduling:detail", args=[booking.pk])).content.decode()
    assert "less than 24 hours away" in html
    assert "Move to another time" not in html
    services.cancel(user=seeker, booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.late_cancellation
