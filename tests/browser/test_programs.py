"""A coordinator creates a program, a therapist joins through the invitation, three seekers
enroll, the coordinator runs an allocation and sees the (suppressed) report — in real Chromium,
axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.programs.models import Enrollment, Placement, Program, ProgramTherapist
from tests.browser.conftest import axe_violations
from tests.conftest import client_for
from tests.factories import make_profile, make_schedule, make_user
from tests.programs.helpers import make_coordinator, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = "We look for a therapist with a free place for you every night"


def as_user(browser: Browser, base: str, user: User) -> Page:
    """A fresh browser context signed in as ``user`` (the test client's session, MFA done)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )
    return context.new_page()


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_coordinator_program_from_creation_to_report(
    live_server: LiveServer, browser: Browser
) -> None:
    base = live_server.url
    organisation = make_organisation("Mercy General Hospital")
    coordinator = as_user(browser, base, make_coordinator(organisation))

    # The coordinator creates a program.
    coordinator.goto(f"{base}/programs/")
    clean(coordinator)
    coordinator.get_by_role("link", name="Create a program").click()
    clean(coordinator)
    coordinator.get_by_label("Program name").fill("After the incident")
    coordinator.get_by_label("Starts").fill("2026-01-01")
    coordinator.get_by_label("Colorado").check()
    coordinator.get_by_label("The organisation pays for the sessions").check()
    coordinator.get_by_role("button", name="Create program").click()
    expect(coordinator.get_by_role("heading", name="After the incident", level=1)).to_be_visible()
    clean(coordinator)
    program = Program.objects.get()

    # ... and makes an invitation link for a therapist.
    coordinator.get_by_role("link", name="Invite therapists").click()
    coordinator.get_by_role("button", name="Make an invitation link").click()
    link = coordinator.get_by_label("Invitation link").input_value()
    clean(coordinator)

    # A therapist joins through it.
    profile = make_schedule(make_profile(display_name="Morgan Vale"))
    therapist = as_user(browser, base, profile.user)
    therapist.goto(base + re.sub(r"^https?://[^/]+", "", link))
    clean(therapist)
    therapist.get_by_label("How many new clients can you take through this program?").fill("2")
    therapist.get_by_role("button", name="Join the program").click()
    expect(therapist.get_by_text("You've joined After the incident.")).to_be_visible()
    clean(therapist)
    assert ProgramTherapist.objects.get().capacity == 2

    # Three seekers enroll with the code and give their answers.
    for number in range(3):
        seeker = as_user(browser, base, make_user(Role.SEEKER))
        seeker.goto(f"{base}/programs/enroll/")
        if number == 0:
            clean(seeker)
        seeker.get_by_label("Program code").fill(program.display_code.lower())
        seeker.get_by_label("As soon as possible").check()
        seeker.get_by_role("button", name="Enroll").click()
        expect(
            seeker.get_by_role("heading", name="Where you'll be and what you need")
        ).to_be_visible()
        if number == 0:
            clean(seeker)
        seeker.get_by_label("Where will you be during sessions?").select_option("US-CO")
        seeker.get_by_label("Video", exact=True).check()
        seeker.get_by_label("Burnout", exact=True).check()
        seeker.get_by_role("button", name="Save my answers").click()
        expect(seeker.get_by_text(WAITING)).to_be_visible()
        if number == 0:
            clean(seeker)
        seeker.context.close()
    assert Enrollment.objects.count() == 3

    # The coordinator runs an allocation and sees its summary, then the report.
    coordinator.goto(f"{base}/programs/{program.pk}/")
    coordinator.get_by_role("link", name="Review and run allocation").click()
    expect(coordinator.get_by_role("heading", name="Run allocation now?")).to_be_visible()
    expect(coordinator.locator("#proposal")).to_contain_text("Not shown")
    clean(coordinator)
    assert not Placement.objects.exists()  # the review writes nothing
    coordinator.get_by_role("button", name="Run and send offers").click()
    expect(coordinator.get_by_text("Allocation finished. Offers go out by email.")).to_be_visible()
    summary = coordinator.locator("#run-summary")
    expect(summary).to_contain_text("People considered")
    expect(summary).to_contain_text("Not shown")  # 3 considered, 2 offered, 1 waiting: all hidden
    expect(summary).to_contain_text("Passed")
    clean(coordinator)
    assert Placement.objects.count() == 2

    # A placed seeker sees the offer: the therapist, a booking link, "decline and wait".
    offered = Enrollment.objects.filter(status="offered").select_related("seeker").first()
    assert offered is not None
    seeker = as_user(browser, base, offered.seeker)
    seeker.goto(f"{base}/programs/enrollments/{offered.pk}/")
    expect(seeker.get_by_role("heading", name="A therapist has a place for you")).to_be_visible()
    expect(seeker.get_by_role("link", name="Morgan Vale")).to_be_visible()
    expect(seeker.get_by_role("link", name="Book a first session")).to_be_visible()
    expect(seeker.get_by_role("button", name=re.compile("Decline and wait"))).to_be_visible()
    clean(seeker)
    seeker.context.close()

    coordinator.get_by_role("link", name="Report").click()
    expect(coordinator.get_by_role("heading", name="Too few to report")).to_be_visible()
    clean(coordinator)
    page_text = coordinator.content()
    for enrollment in Enrollment.objects.select_related("seeker"):
        assert enrollment.seeker.pseudonym not in page_text
        assert enrollment.seeker.email not in page_text


def test_a_report_with_figures_is_accessible(live_server: LiveServer, browser: Browser) -> None:
    from tests.programs.test_reports import busy_program

    program, coordinator, _ = busy_program()
    page = as_user(browser, live_server.url, coordinator)
    page.goto(f"{live_server.url}/programs/{program.pk}/report/")
    expect(page.get_by_role("img", name="People enrolled, by month of enrollment")).to_be_visible()
    expect(page.get_by_role("table", name="People by month of enrollment")).to_contain_text(
        "Not shown"
    )
    clean(page)
