"""One session, two readers: a therapist in Denver and a client in New York see every time in
their own zone, with the zone named, on every page and export that shows one.

The regression of issue 11: the client chart said "20:00" (UTC, unlabelled) for a session the
bookings page showed as "1:00 PM MST".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.matching.models import FindProfile
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import services as practice
from holdspace.scheduling.models import Booking
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import (
    make_client,
    make_profile,
    make_request,
    make_schedule,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 1, 5, 15, 0, tzinfo=dt.UTC)  # Tue 5 Jan: 8:00 AM MST, 10:00 AM EST
SESSION = dt.datetime(2027, 1, 12, 20, 0, tzinfo=dt.UTC)  # the one in the issue
PAST = dt.datetime(2027, 1, 4, 20, 0, tzinfo=dt.UTC)
SIGNED = dt.datetime(2027, 1, 4, 21, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def therapist_in_denver(therapist: User) -> User:
    profile = make_profile(user=therapist)  # licensed in Colorado
    profile.time_zone = "America/Denver"  # chosen in the profile; no account setting
    profile.save()
    make_schedule(profile)
    return therapist


@pytest.fixture
def seeker_in_new_york(seeker: User) -> User:
    FindProfile.objects.create(user=seeker, location="US-NY")  # no setting: their state's zone
    return seeker


@pytest.fixture
def care(therapist_in_denver: User, seeker_in_new_york: User) -> ConsultationRequest:
    client = make_client(therapist_in_denver, seeker_in_new_york)
    make_session(client, start=SESSION)
    past = make_session(client, start=PAST)
    practice.sign_note(
        therapist=therapist_in_denver, client=client, booking=past, text="Worked on sleep.",
        now=SIGNED,
    )  # fmt: skip
    save(seeker_in_new_york, "phq9", answers("phq9", 1), taken_at=NOW + dt.timedelta(hours=1))
    outreach.post_message(sender=seeker_in_new_york, request=client, body="Hello", now=NOW)
    return client


def page(client: Client, name: str, *args: object) -> str:
    """The page as a reader sees its words: times are <time> elements whose clock and zone
    are joined by no-break spaces (kept on one line)."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return re.sub(r"</?time[^>]*>", "", response.content.decode()).replace("\xa0", " ")


def test_the_client_chart_shows_the_therapists_time_with_the_zone_named(
    care: ConsultationRequest, therapist_in_denver: User
) -> None:
    browser = client_for(therapist_in_denver)
    html = browser.get(reverse("practice:client", args=[care.pk])).content.decode()
    assert (
        '<time datetime="2027-01-12T13:00:00-07:00">Tue 12 Jan 2027, 1:00\xa0PM\xa0MST</time>'
        in html
    )
    body = page(browser, "practice:client", care.pk)
    assert "Tue 12 Jan 2027, 1:00 PM MST" in body  # upcoming
    assert "Mon 4 Jan 2027, 1:00 PM MST" in body  # past, with its note
    assert "Tue 5 Jan 2027, 9:00 AM MST" in body  # the check-in
    assert "20:00" not in body
    assert "Times are in Mountain time (Denver)." in body


def test_both_see_the_same_session_on_their_bookings_in_their_own_zone(
    care: ConsultationRequest, therapist_in_denver: User, seeker_in_new_york: User
) -> None:
    session = Booking.objects.get(start=SESSION)
    for user, words in (
        (therapist_in_denver, "Tuesday 12 January 2027, 1:00 PM MST"),
        (seeker_in_new_york, "Tuesday 12 January 2027, 3:00 PM EST"),
    ):
        browser = client_for(user)
        assert words in page(browser, "scheduling:bookings")
        assert words in page(browser, "scheduling:detail", session.pk)


def test_notes_name_when_they_were_signed(
    care: ConsultationRequest, therapist_in_denver: User
) -> None:
    past = Booking.objects.get(start=PAST)
    body = page(client_for(therapist_in_denver), "practice:note", care.pk, past.pk)
    assert "Session note: Mon 4 Jan 2027, 1:00 PM MST" in body
    assert "signed Mon 4 Jan 2027, 2:30 PM MST." in body


def test_the_printable_record_names_the_zone(
    care: ConsultationRequest, therapist_in_denver: User
) -> None:
    body = page(client_for(therapist_in_denver), "practice:print", care.pk)
    assert "Printed Tue 5 Jan 2027, 8:00 AM MST." in body
    assert "All times are in Mountain time (Denver)." in body
    assert "Session of Mon 4 Jan 2027, 1:00 PM MST (signed Mon 4 Jan 2027, 2:30 PM MST)" in body
    assert "Tue 5 Jan 2027, 9:00 AM MST" in body


def test_messages_show_when_they_were_sent_to_each_reader(
    care: ConsultationRequest, therapist_in_denver: User, seeker_in_new_york: User
) -> None:
    assert "Tue 5 Jan 2027, 8:00 AM MST" in page(
        client_for(therapist_in_denver), "outreach:thread", care.pk
    )
    assert "Tue 5 Jan 2027, 10:00 AM EST" in page(
        client_for(seeker_in_new_york), "outreach:thread", care.pk
    )


def test_a_request_shows_its_deadline_and_the_time_left(therapist_in_denver: User) -> None:
    asker = make_user(time_zone="America/New_York")
    request = make_request(asker, therapist_in_denver.therapist_profile)  # sent NOW
    therapist = client_for(therapist_in_denver)
    assert "3 days left to answer" in page(therapist, "outreach:inbox")
    assert "<strong>3 days left</strong> · by Fri 8 Jan 2027, 8:00 AM MST" in page(
        therapist, "outreach:detail", request.pk
    )
    assert "<strong>3 days left</strong> · by Fri 8 Jan 2027, 10:00 AM EST" in page(
        client_for(asker), "outreach:detail", request.pk
    )
    with time_machine.travel(NOW + dt.timedelta(days=2, hours=19, minutes=30), tick=False):
        later = client_for(therapist_in_denver)  # a new sign-in: sessions end after 12 hours
        assert "4 hours left to answer" in page(later, "outreach:inbox")


def test_the_seekers_check_ins_and_exports_are_in_their_zone(
    care: ConsultationRequest, seeker_in_new_york: User
) -> None:
    browser = client_for(seeker_in_new_york)
    assert "Tue 5 Jan 2027, 11:00 AM EST" in page(browser, "checkins:history")
    (row,) = csv.DictReader(io.StringIO(page(browser, "checkins:export_csv")))
    assert row["taken_at_iso8601"] == "2027-01-05T11:00:00-05:00"
    fhir = json.loads(page(browser, "checkins:export_fhir"))
    authored = [e["resource"].get("authored") for e in fhir["entry"]]
    assert "2027-01-05T11:00:00-05:00" in authored
    data = json.loads(page(browser, "mydata:download"))
    assert (
        data["times"] == "ISO 8601, in your time zone (America/New_York) with its offset from UTC"
    )
    (message,) = data["consultation_requests"][0]["messages"]
    assert message["at"] == "2027-01-05T10:00:00-05:00"


def test_the_therapists_fhir_export_carries_their_offset(
    care: ConsultationRequest, therapist_in_denver: User
) -> None:
    bundle = json.loads(page(client_for(therapist_in_denver), "practice:export_fhir", care.pk))
    moments = {
        e["resource"]["effectiveDateTime"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert moments == {"2027-01-05T09:00:00-07:00"}


def test_the_daylight_saving_change_is_named_on_both_sides(
    care: ConsultationRequest, therapist_in_denver: User, seeker_in_new_york: User
) -> None:
    # Clocks in both zones go forward on Sunday 14 March 2027.
    make_session(care, start=dt.datetime(2027, 3, 13, 20, 0, tzinfo=dt.UTC))
    make_session(care, start=dt.datetime(2027, 3, 15, 20, 0, tzinfo=dt.UTC))
    chart = page(client_for(therapist_in_denver), "practice:client", care.pk)
    assert "Sat 13 Mar 2027, 1:00 PM MST" in chart
    assert "Mon 15 Mar 2027, 2:00 PM MDT" in chart
    bookings = page(client_for(seeker_in_new_york), "scheduling:bookings")
    assert "Saturday 13 March 2027, 3:00 PM EST" in bookings
    assert "Monday 15 March 2027, 4:00 PM EDT" in bookings


def test_a_changed_zone_changes_every_page_at_once(
    care: ConsultationRequest, therapist_in_denver: User
) -> None:
    browser = client_for(therapist_in_denver)
    browser.post(reverse("accounts:time_zone"), {"time_zone": "Europe/Lisbon"})
    assert "Tue 12 Jan 2027, 8:00 PM WET" in page(browser, "practice:client", care.pk)
    assert "Times are in Lisbon (Europe)." in page(browser, "practice:client", care.pk)
