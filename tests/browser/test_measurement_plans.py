"""In real Chromium: a therapist signs in with their authenticator app and starts a monthly PHQ-9
plan from a client's chart; the real worker e-mails the client, who finds "Check-ins your
therapist asked for", takes it, saves and shares it; the therapist reloads the chart and sees it
marked as asked for. axe-core clean on every page on the way."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.checkins.models import CheckIn
from holdspace.practice.models import CheckInInvitation, MeasurementPlan
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in
from tests.factories import make_client, make_profile, make_schedule, make_user
from tests.mydata.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def verified(role: str, email: str) -> User:
    user = make_user(role, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def new_page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 390, "height": 844}).new_page()


def test_therapist_asks_for_a_check_in_and_sees_it_on_the_chart(
    live_server: LiveServer, browser: Browser
) -> None:
    therapist = verified(Role.THERAPIST, "plans-therapist@example.test")
    make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    seeker = verified(Role.SEEKER, "plans-seeker@example.test")
    client = make_client(therapist, seeker)
    base = live_server.url

    # The therapist signs in (with the app's code) and opens the client's chart.
    chart = new_page(browser)
    sign_in(chart, base, therapist.email)
    chart.goto(f"{base}/practice/")
    chart.get_by_role("link", name=seeker.pseudonym).click()
    expect(chart.get_by_role("heading", name=seeker.pseudonym, level=1)).to_be_visible()
    plans = chart.locator("section", has=chart.locator("#plans-title"))
    expect(plans).to_contain_text("No plans yet.")
    clean(chart)

    # ... and starts a monthly PHQ-9 plan.
    ask = chart.get_by_role("form", name="Ask for a check-in")
    ask.get_by_role("group", name="Check-in").get_by_label("PHQ-9", exact=True).check()
    ask.get_by_role("group", name="How often").get_by_label("Monthly", exact=True).check()
    ask.get_by_role("button", name="Start plan").click()
    expect(chart.get_by_text("Plan started.")).to_be_visible()
    table = chart.get_by_role("table", name="Measurement plans, active first")
    expect(table).to_contain_text("PHQ-9")
    expect(table).to_contain_text("Monthly")
    expect(table).to_contain_text("Active since")
    clean(chart)
    plan = MeasurementPlan.objects.get()
    assert (plan.request_id, plan.instrument, plan.cadence) == (client.pk, "phq9", "monthly")
    invitation = CheckInInvitation.objects.get()

    # The real worker e-mails the client: a check-in is ready, nothing more.
    run_worker()
    (ready,) = [m for m in mail.outbox if m.subject == "Holdspace: A check-in is ready"]
    assert ready.to == [seeker.email]
    assert "/practice/asked/" in ready.body
    assert "PHQ-9" not in ready.body

    # The client signs in and finds what was asked for from their check-ins.
    page = new_page(browser)
    sign_in(page, base, seeker.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    page.get_by_role("link", name="See your saved check-ins").click()
    expect(page.get_by_text("Your therapist asked for a check-in.")).to_be_visible()
    clean(page)
    page.get_by_role("link", name="See check-ins your therapist asked for").click()
    expect(
        page.get_by_role("heading", name="Check-ins your therapist asked for", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Asked for by Morgan Vale · about 2 minutes")).to_be_visible()
    clean(page)

    # They take it: the check-ins app's own questions, posted to the invitation.
    page.get_by_role("link", name="Start the PHQ-9 asked for by Morgan Vale").click()
    expect(page.get_by_role("heading", name="PHQ-9", exact=True)).to_be_visible()
    clean(page)
    for number in range(1, 10):
        group = page.get_by_role("group", name=f"Question {number} of", exact=False)
        group.get_by_label("Not at all" if number == 9 else "Several days", exact=True).check()
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", name="Your PHQ-9 results")).to_be_visible()
    expect(page.get_by_text("Your therapist asked for this check-in.")).to_be_visible()
    clean(page)
    assert not CheckIn.objects.exists()  # nothing stored until they choose to save

    # ... save and share it.
    page.get_by_role("button", name="Save and share with my therapist").click()
    expect(
        page.get_by_text("Saved to your account and shared with your therapist.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^PHQ-9 check-in, "))).to_be_visible()
    clean(page)
    checkin = CheckIn.objects.get()
    assert (checkin.user, checkin.instrument, checkin.scales) == (seeker, "phq9", {"total": 8})
    invitation.refresh_from_db()
    assert invitation.checkin == checkin

    # It is no longer asked for; the list points to the results instead.
    page.goto(f"{base}/practice/asked/")
    expect(page.get_by_text("Nothing to do right now.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("see your results"))).to_be_visible()
    clean(page)

    # The therapist reloads the chart: the score, marked as asked for, and the plan's status.
    chart.reload()
    checkins = chart.get_by_role("table", name="Check-ins, newest first")
    expect(checkins).to_contain_text("PHQ-9")
    expect(checkins).to_contain_text("Asked for by you")
    expect(table).not_to_contain_text("Not yet")  # e-mailed and completed
    clean(chart)
    page.context.close()
    chart.context.close()
