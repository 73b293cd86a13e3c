"""The therapist's journey, end to end in real Chromium (JavaScript on), axe-core clean and
photographed at 1280 and 390 px on every page (build/screenshots/therapist/):

sign in with the authenticator app → Today → edit the profile from the listing page (the
completeness goes up, the preview shows the change) → answer a request (from the Requests link
with its count, accepted through the review step) → the client's chart, times in the
therapist's own zone (Denver), the same on Bookings → a note written and signed without saving
a draft first → a measurement plan started on the chart.

What the seeker does (reaching out, booking) is set up with the services: their journey is
tested in test_journey_seeker."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.core import zones
from holdspace.directory.models import TherapistProfile
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice.models import MeasurementPlan, NoteStatus, SessionNote
from holdspace.scheduling import services as scheduling
from holdspace.scheduling.models import Booking, SessionType
from tests.browser.journey import Journey
from tests.browser.signin import sign_in
from tests.factories import (
    days_ahead,
    local_time,
    make_profile,
    make_request,
    make_schedule,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

DENVER = "America/Denver"
ABOUT = (
    "I see nurses, physicians and paramedics after hard shifts and harder years. We go at a "
    "pace that leaves you able to work the next day, mostly by video, evenings included."
)
NOTE = (
    "First consultation. Night shifts since March, sleeping four hours. "
    "Plan: PHQ-9 monthly; talk about a shorter rota next time."
)


def shown(moment: dt.datetime, style: zones.Style = "short") -> str:
    """A time as the therapist reads it: in Denver, zone named, the clock kept on one line."""
    day, comma, clock = zones.write(moment.astimezone(ZoneInfo(DENVER)), style).rpartition(", ")
    return day + comma + clock.replace(" ", "\N{NO-BREAK SPACE}")


def seeker_books_a_consultation(profile: TherapistProfile, seeker: User) -> Booking:
    """The seeker's side, once accepted: a free consultation in three days, 10 am Denver."""
    consultation = SessionType.objects.get(profile=profile, kind="consultation")
    return scheduling.book(
        seeker=seeker,
        profile=profile,
        session_type=consultation,
        start=local_time(days_ahead(3, DENVER), "10:00", DENVER),
        seeker_time_zone="America/New_York",
    )


def test_therapist_journey(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    journey = Journey("therapist")
    therapist = make_user(Role.THERAPIST, email="morgan@example.test", time_zone=DENVER)
    EmailAddress.objects.create(user=therapist, email=therapist.email, verified=True, primary=True)
    profile = make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    seeker = make_user(Role.SEEKER, pseudonym="Late Owl 2")
    make_request(seeker, profile, situation="Night shifts on a cardiac ward; not sleeping.")

    # Sign in with the second step, through the real form: Today.
    sign_in(page, base, therapist.email)
    expect(page).to_have_url(re.compile("/today/$"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Request from Late Owl 2")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Requests 1 new")).to_be_visible()
    journey.step(page, "today")

    # The listing, from Today: one missing part filled in through its own link.
    page.get_by_role("link", name="Edit your listing").click()
    expect(page.get_by_role("heading", name="Your listing", level=1)).to_be_visible()
    expect(page.get_by_text("Your profile has 6 of the 9 things seekers look for.")).to_be_visible()
    journey.step(page, "your listing")
    page.locator(".completeness-missing").get_by_role("link").first.click()
    journey.step(page, "edit one part")
    page.get_by_label("About you and your work").fill(ABOUT)
    page.get_by_role("button", name="Save and go back to your listing").click()
    expect(page.get_by_text("Your profile has 7 of the 9 things seekers look for.")).to_be_visible()
    journey.step(page, "listing after the edit")
    page.get_by_role("link", name="Preview your profile").click()
    expect(page.get_by_text(ABOUT)).to_be_visible()
    journey.step(page, "preview")

    # The request, from the Requests link with its count; accepted through the review step.
    nav.get_by_role("link", name="Requests 1 new").click()
    journey.step(page, "requests")
    page.get_by_role("link", name=re.compile("Late Owl 2")).first.click()
    expect(page.get_by_role("heading", name="Request from Late Owl 2", level=1)).to_be_visible()
    expect(page.get_by_text("Night shifts on a cardiac ward; not sleeping.")).to_be_visible()
    journey.step(page, "request")
    page.get_by_role("link", name="Accept this request…").click()
    expect(page.get_by_role("heading", name="Accept Late Owl 2's request?")).to_be_visible()
    journey.step(page, "accept review")
    assert ConsultationRequest.objects.get().status == Status.OPEN  # the review wrote nothing
    page.get_by_role("button", name="Accept the request").click()
    expect(page.get_by_text("Accepted. We've told them")).to_be_visible()
    journey.step(page, "accepted")
    client = ConsultationRequest.objects.get()
    assert client.status == Status.ACCEPTED
    expect(nav.get_by_role("link", name="Requests", exact=True)).to_be_visible()

    # The seeker books a consultation; an earlier session has taken place (set up directly).
    upcoming = seeker_books_a_consultation(profile, seeker)
    earlier = make_session(
        client,
        start=local_time(days_ahead(-2, DENVER), "16:00", DENVER),
    )

    # The chart, straight from the accepted request: sessions in the therapist's zone, named.
    page.get_by_role("link", name="Late Owl 2's record").click()
    expect(page.get_by_role("heading", name="Late Owl 2", level=1)).to_be_visible()
    sessions = page.locator("section", has=page.locator("#sessions-title"))
    expect(sessions).to_contain_text(shown(upcoming.start))
    expect(sessions).to_contain_text(shown(earlier.start))
    assert re.search(r"M[SD]T$", shown(upcoming.start))
    expect(sessions.get_by_text("Times are in Mountain time (Denver).")).to_be_visible()
    journey.step(page, "chart")

    # ... and the same consultation on Bookings.
    nav.get_by_role("link", name="Bookings").click()
    expect(page.get_by_role("heading", name="Your bookings", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=shown(upcoming.start, "long"))).to_be_visible()
    journey.step(page, "bookings")

    # A note for the earlier session, signed straight from the text on screen.
    page.go_back()
    dialogs: list[str] = []

    def stay(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name=re.compile("Write a note")).click()
    heading = f"Session note: {shown(earlier.start)}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    journey.step(page, "note")
    page.get_by_label("Session note").press_sequentially(NOTE)
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("heading", name="Signed note")).to_be_visible()
    expect(page.locator(".note-text")).to_have_text(NOTE)
    expect(page.get_by_text("Signed. From now on it can only be amended.")).to_be_visible()
    journey.step(page, "signed note")
    assert dialogs == []  # signing is not leaving with unsaved text
    note = SessionNote.objects.get()
    assert (note.booking_id, note.status, note.text) == (earlier.pk, NoteStatus.SIGNED, NOTE)

    # Back on the chart: a monthly PHQ-9 plan.
    page.get_by_role("link", name="Late Owl 2").click()
    expect(page.get_by_role("link", name=re.compile("Signed note"))).to_be_visible()
    ask = page.get_by_role("form", name="Ask for a check-in")
    ask.get_by_role("group", name="Check-in").get_by_label("PHQ-9", exact=True).check()
    ask.get_by_role("group", name="How often").get_by_label("Monthly", exact=True).check()
    ask.get_by_role("button", name="Start plan").click()
    expect(page.get_by_text("Plan started.")).to_be_visible()
    plans = page.get_by_role("table", name="Measurement plans, active first")
    expect(plans).to_contain_text("PHQ-9")
    expect(plans).to_contain_text("Monthly")
    journey.step(page, "plan started")
    plan = MeasurementPlan.objects.get()
    assert (plan.request_id, plan.instrument, plan.cadence) == (client.pk, "phq9", "monthly")
