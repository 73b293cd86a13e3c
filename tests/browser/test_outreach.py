"""In real Chromium: a seeker reaches out from a profile under their pseudonym, the therapist
accepts, the seeker books a free consultation and downloads the .ics; axe-core is clean on
every page on the way."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.matching import services as matching
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from holdspace.scheduling.models import Booking
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in
from tests.factories import find_answers, make_profile, make_schedule, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def verified(role: str, email: str, **fields: object) -> User:
    user = make_user(role, email=email, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_request_accept_book_and_download_the_ics(
    live_server: LiveServer, browser: Browser
) -> None:
    therapist = verified(Role.THERAPIST, "thera@example.test")
    profile = make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    seeker = verified(Role.SEEKER, "sam@example.test", legal_name="Canary Legalname")
    matching.save_answers(user=seeker, answers=find_answers())  # Find was done earlier
    base = live_server.url

    seeker_page = browser.new_page()
    sign_in(seeker_page, base, seeker.email)
    seeker_page.goto(f"{base}/therapists/{profile.pk}/")
    clean(seeker_page)
    seeker_page.get_by_role("link", name="Reach out to Morgan Vale").click()
    expect(seeker_page.get_by_role("heading", name="Reach out to Morgan Vale")).to_be_visible()
    clean(seeker_page)
    seeker_page.get_by_label("What's going on").fill("A hard year on the ward.")
    seeker_page.get_by_label("Times that suit you").fill("Weekday evenings")
    seeker_page.get_by_role("button", name="Send request").click()
    expect(seeker_page.get_by_text("Sent. They have 72 hours to answer")).to_be_visible()
    clean(seeker_page)
    request = ConsultationRequest.objects.get()

    therapist_page = browser.new_page()
    sign_in(therapist_page, base, therapist.email)
    therapist_page.goto(f"{base}/requests/")
    clean(therapist_page)
    therapist_page.get_by_role("link", name=f"From {seeker.pseudonym}").click()
    expect(therapist_page.get_by_text("A hard year on the ward.")).to_be_visible()
    assert "Canary Legalname" not in therapist_page.content()
    clean(therapist_page)
    therapist_page.get_by_role("link", name="Accept this request…").click()
    expect(therapist_page.get_by_role("heading", name=f"Accept {seeker.pseudonym}'s request?"))
    expect(therapist_page.get_by_text("The 72-hour clock stops")).to_be_visible()
    clean(therapist_page)
    assert ConsultationRequest.objects.get().status == Status.OPEN  # nothing before confirming
    therapist_page.get_by_role("button", name="Accept the request").click()
    expect(therapist_page.get_by_text("Accepted. We've told them")).to_be_visible()
    clean(therapist_page)
    therapist_page.get_by_role("link", name="Messages").click()
    therapist_page.get_by_label("Your message").fill("Glad you reached out.")
    therapist_page.get_by_role("button", name="Send message").click()
    expect(therapist_page.get_by_text("Glad you reached out.")).to_be_visible()
    clean(therapist_page)
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED

    # The seeker shares their name, with its review step.
    seeker_page.reload()
    seeker_page.get_by_role("link", name="Share your name with Morgan Vale").click()
    seeker_page.get_by_label("Your name").fill("Sam Canary")
    seeker_page.get_by_label("Phone number (optional)").fill("555-0100")
    clean(seeker_page)
    seeker_page.get_by_role("button", name="Review what they'll see").click()
    expect(seeker_page.get_by_role("heading", name="Morgan Vale will see:")).to_be_visible()
    expect(seeker_page.get_by_text("This can't be taken back.")).to_be_visible()
    review = seeker_page.locator(".review-list")
    expect(review).to_contain_text("Sam Canary")
    expect(review).to_contain_text("555-0100")
    expect(review).to_contain_text("Not shared")  # the email was not chosen
    clean(seeker_page)
    assert not Reveal.objects.exists()
    seeker_page.get_by_role("button", name="Share with Morgan Vale").click()
    expect(seeker_page.get_by_text("Shared with Morgan Vale only.")).to_be_visible()
    clean(seeker_page)
    assert Reveal.objects.get().legal_name == "Sam Canary"
    therapist_page.reload()
    expect(therapist_page.get_by_text("Sam Canary").first).to_be_visible()

    seeker_page.get_by_role("link", name="Book with Morgan Vale").click()
    expect(seeker_page.get_by_role("heading", name="Book with Morgan Vale")).to_be_visible()
    clean(seeker_page)
    seeker_page.get_by_role("link", name="Later times →").click()
    seeker_page.get_by_role("main").get_by_role("group").first.get_by_role("radio").first.check()
    seeker_page.get_by_role("button", name="Review this time").click()
    expect(seeker_page.get_by_role("heading", name="Check your booking")).to_be_visible()
    expect(seeker_page.locator(".review-list")).to_contain_text("Mountain time (Denver)")
    clean(seeker_page)
    assert not Booking.objects.exists()
    seeker_page.get_by_role("button", name="Book this time").click()
    expect(seeker_page.get_by_text("Booked.")).to_be_visible()
    clean(seeker_page)
    booking = Booking.objects.get()
    with seeker_page.expect_download() as download_info:
        seeker_page.get_by_role("link", name="Add to your calendar (.ics)").click()
    calendar = Calendar.from_ical(download_info.value.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == booking.start
