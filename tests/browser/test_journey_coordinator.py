"""The coordinator's journey, end to end in real Chromium (JavaScript on), axe-core clean and
photographed at 1280 and 390 px on every page (build/screenshots/coordinator/):

sign in with the authenticator app → their programs → create a program → an invitation link,
through which a therapist joins (in their own browser) → a seeker enrolls with the code (in
theirs; eleven more enroll through the services, so that the report has figures) → allocation
through its review step, which says offers went out, and they did → the report: small counts
hidden, nobody named."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role
from holdspace.outreach import services as outreach
from holdspace.programs import services as programs
from holdspace.programs.models import Enrollment, Placement, Program, ProgramTherapist
from tests.browser.journey import Journey
from tests.browser.signin import sign_in
from tests.browser.test_programs import as_user
from tests.factories import make_profile, make_schedule, make_user
from tests.programs.helpers import enrolled, make_coordinator, make_organisation, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = "We look for a therapist with a free place for you every night"


def test_coordinator_journey(live_server: LiveServer, browser: Browser, page: Page) -> None:
    base = live_server.url
    journey = Journey("coordinator")
    organisation = make_organisation("Mercy General Hospital")
    coordinator = make_coordinator(organisation)
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )

    # Sign in with the second step: the programs home, nothing yet.
    sign_in(page, base, coordinator.email)
    expect(page).to_have_url(re.compile("/programs/$"))
    expect(page.get_by_role("heading", name="Your programs", level=1)).to_be_visible()
    expect(page.get_by_text("No programs yet.")).to_be_visible()
    journey.step(page, "programs home")

    # Create a program that starts today.
    page.get_by_role("link", name="Create a program").click()
    journey.step(page, "new program")
    page.get_by_label("Program name").fill("After the incident")
    page.get_by_label("Description (optional)").fill(
        "Up to six sessions for anyone on staff after the November incident."
    )
    page.get_by_label("Starts").fill(timezone.localdate().isoformat())
    page.get_by_label("Colorado").check()
    page.get_by_label("The organisation pays for the sessions").check()
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", name="After the incident", level=1)).to_be_visible()
    code = page.get_by_role("region", name="Program code")
    enroll_address = code.get_by_role("link").filter(has_text="/programs/enroll/")
    expect(enroll_address).to_be_visible()  # where people enter the code
    enroll_path = enroll_address.get_attribute("href")
    journey.step(page, "program")
    program = Program.objects.get()
    expect(code).to_contain_text(program.display_code)

    # An invitation link ...
    page.get_by_role("link", name="Invite therapists").click()
    journey.step(page, "invite")
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.get_by_label("Invitation link").input_value()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Copied.", exact=True)).to_be_visible()
    journey.step(page, "invitation link")

    # ... through which a therapist joins, in their own browser.
    profile = make_schedule(make_profile(display_name="Morgan Vale"))
    therapist = as_user(browser, base, profile.user)
    therapist.goto(base + re.sub(r"^https?://[^/]+", "", link))
    expect(therapist.get_by_role("heading", name=re.compile("After the incident"))).to_be_visible()
    journey.step(therapist, "therapist: invitation")
    therapist.get_by_label("How many new clients can you take through this program?").fill("2")
    therapist.get_by_role("button", name="Join the program").click()
    expect(therapist.get_by_text("You've joined After the incident.")).to_be_visible()
    journey.step(therapist, "therapist: joined")
    therapist.context.close()
    assert ProgramTherapist.objects.get().capacity == 2

    # The coordinator sees the answer on the program page.
    page.get_by_role("link", name="← Back to After the incident").click()
    invitations = page.get_by_role("region", name="Therapist invitations")
    expect(invitations.get_by_role("table")).to_contain_text("Joined")
    journey.step(page, "program with a therapist")

    # A seeker enrolls with the code in their own browser; eleven others already have.
    for _ in range(11):
        enrolled(program)
    seeker = as_user(browser, base, make_user(Role.SEEKER, pseudonym="Quiet Heron 7"))
    seeker.goto(f"{base}{enroll_path}")
    journey.step(seeker, "seeker: enroll")
    seeker.get_by_label("Program code").fill(program.display_code.lower())
    seeker.get_by_label("As soon as possible").check()
    seeker.get_by_role("button", name="Enroll").click()
    expect(seeker.get_by_role("heading", name="Where you'll be and what you need")).to_be_visible()
    journey.step(seeker, "seeker: answers")
    seeker.get_by_label("Where will you be during sessions?").select_option("US-CO")
    seeker.get_by_label("Video", exact=True).check()
    seeker.get_by_label("Burnout", exact=True).check()
    seeker.get_by_role("button", name="Save my answers").click()
    expect(seeker.get_by_text(WAITING)).to_be_visible()
    journey.step(seeker, "seeker: waiting")
    seeker.context.close()
    assert Enrollment.objects.count() == 12

    # Allocation, through its review step.
    page.reload()
    page.get_by_role("link", name="Review and run allocation").click()
    expect(page.get_by_role("heading", name="Run allocation now?")).to_be_visible()
    proposal = page.locator("#proposal")
    expect(proposal).to_contain_text("Not shown")  # 2 offered, 10 waiting: both small
    journey.step(page, "allocation review")
    assert not Placement.objects.exists()  # the review sends nothing
    page.get_by_role("button", name="Run and send offers").click()
    expect(page.get_by_text("Allocation finished. Offers go out by email.")).to_be_visible()
    summary = page.locator("#run-summary")
    expect(summary).to_contain_text("12")  # considered: shown
    expect(summary).to_contain_text("Not shown")
    journey.step(page, "allocation done")
    offered = Enrollment.objects.filter(status="offered").select_related("seeker")
    assert offered.count() == 2
    # ... and the offers did go out: each offered person is e-mailed.
    run_worker()
    told = {address for message in mail.outbox for address in message.to}
    assert {enrollment.seeker.email for enrollment in offered} <= told

    # The therapist accepts both requests during the week (their side, through the services).
    for placement in Placement.objects.select_related("request"):
        assert placement.request is not None
        outreach.accept_request(therapist=profile.user, request=placement.request)
    programs.sync_placements(program=program)

    # The report: figures for twelve people, small counts hidden, nobody named.
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report: After the incident", level=1)).to_be_visible()
    table = page.get_by_role("table", name="People by month of enrollment")
    total = table.get_by_role("row", name=re.compile("^All months"))
    expect(total.get_by_role("cell")).to_have_text(["12", "Not shown", "Not shown", "0", "0"])
    journey.step(page, "report")
    text = page.content()
    for enrollment in Enrollment.objects.select_related("seeker"):
        assert enrollment.seeker.pseudonym not in text
        assert enrollment.seeker.email not in text
    assert "Morgan Vale" not in text
