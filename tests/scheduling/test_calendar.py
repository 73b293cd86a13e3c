"""Calendar files: RFC 5545 with VTIMEZONE/TZID, a stable UID, the same instants when parsed
back, nothing private; the private feed holds only its owner's bookings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import make_profile, make_schedule, make_user
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def events(calendar: Calendar) -> list[object]:
    return list(calendar.walk("VEVENT"))


def test_a_booking_file_parses_back_with_the_same_instants(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    client = client_for(seeker)
    client.post(reverse("accounts:time_zone"), {"time_zone": "America/Phoenix", "next": "/"})
    response = client.get(reverse("scheduling:ics", args=[booking.pk]))
    assert 'filename="holdspace-session-' in response["Content-Disposition"]
    calendar = parse(response.content)
    (event,) = calendar.walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start, end) == (booking.start, booking.end)  # aware datetimes compare as instants
    # Written in the reader's zone, with its definition alongside.
    assert str(start.tzinfo) == "America/Phoenix" or "Phoenix" in str(start.tzinfo)
    raw = response.content.decode()
    assert "DTSTART;TZID=America/Phoenix:" in raw
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Phoenix"]
    assert str(event["uid"]) == f"{booking.uid}@holdspace"
    assert str(event["summary"]) == "Holdspace session"
    assert str(event["location"]) == "https://video.example.test/room-42"
    assert str(calendar["version"]) == "2.0"
    assert "prodid" in calendar


def test_the_uid_is_stable_and_the_sequence_grows(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    url = reverse("scheduling:ics", args=[booking.pk])
    client = client_for(seeker)
    (first,) = parse(client.get(url).content).walk("VEVENT")
    services.reschedule(seeker=seeker, booking_id=booking.pk, start=at(day, "13:00"))
    (second,) = parse(client.get(url).content).walk("VEVENT")
    assert first["uid"] == second["uid"]
    assert (str(first["sequence"]), str(second["sequence"])) == ("0", "1")
    assert second.decoded("dtstart") == at(day, "13:00")
    # The therapist's copy: their zone, same event.
    therapist_copy = client_for(profile.user).get(url).content.decode()
    assert "DTSTART;TZID=America/New_York:" in therapist_copy
    assert f"UID:{booking.uid}@holdspace" in therapist_copy


def test_nothing_private_in_the_file(seeker: User, profile: TherapistProfile, day: dt.date) -> None:
    seeker.legal_name = "Canary Fullname"
    seeker.save()
    booking = book(seeker, profile, at(day, "09:00"))
    for party in (seeker, profile.user):
        raw = client_for(party).get(reverse("scheduling:ics", args=[booking.pk])).content.decode()
        for secret in ("Canary Fullname", seeker.email, seeker.pseudonym, profile.user.email):
            assert secret not in raw


def test_a_cancelled_booking_is_marked_cancelled_without_the_video_link(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    booking = book(seeker, profile, at(day, "09:00"))
    services.cancel(user=seeker, booking_id=booking.pk)
    raw = client_for(seeker).get(reverse("scheduling:ics", args=[booking.pk])).content
    (event,) = parse(raw).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert "location" not in event


def test_feeds_hold_only_their_owners_bookings(
    seeker: User, profile: TherapistProfile, day: dt.date
) -> None:
    mine = book(seeker, profile, at(day, "09:00"))
    someone_else = book(make_user(), profile, at(day, "11:00"))
    elsewhere = book(make_user(), make_schedule(make_profile()), at(day, "09:00"))

    seeker_feed = Client().get(reverse("scheduling:feed", args=[services.renew_feed(user=seeker)]))
    uids = {str(e["uid"]) for e in parse(seeker_feed.content).walk("VEVENT")}
    assert uids == {f"{mine.uid}@holdspace"}
    assert seeker_feed["Cache-Control"] == "private, no-store"

    therapist_feed = Client().get(
        reverse("scheduling:feed", args=[services.renew_feed(user=profile.user)])
    )
    calendar = parse(therapist_feed.content)
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"{mine.uid}@holdspace", f"{someone_else.uid}@holdspace"}
    assert f"{elsewhere.uid}@holdspace" not in uids
    instants = {e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert instants == {mine.start, someone_else.start}


def test_the_calendar_page_shows_a_new_link_once(seeker: User) -> None:
    client = client_for(seeker)
    assert "Make my calendar link" in client.get(reverse("scheduling:calendar")).content.decode()
    response = client.post(reverse("scheduling:renew_feed"), follow=True)
    html = response.content.decode()
    assert "/schedule/feed/" in html
    token = html.split("/schedule/feed/")[1].split(".ics")[0]
    assert Client().get(reverse("scheduling:feed", args=[token])).status_code == 200
    again = client.get(reverse("scheduling:calendar")).content.decode()
    assert token not in again  # shown once; only a hash is kept
    assert token not in str(list(Booking.objects.values()))
    client.post(reverse("scheduling:revoke_feed"))
    assert Client().get(reverse("scheduling:feed", args=[token])).status_code == 404
