"""In real Chromium at 390 px: each role signs in and lands on its own home, finds what needs
them and follows it; the navigation's unread count goes down once a thread is read; a new
therapist's onboarding ends on "Next: create your profile". axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.matching import services as matching
from holdspace.outreach import services as outreach
from holdspace.practice import services as practice
from tests.browser.conftest import axe_violations
from tests.browser.signin import enter_totp, sign_in
from tests.checkins.helpers import answers, save
from tests.factories import (
    PASSWORD,
    find_answers,
    make_client,
    make_profile,
    make_request,
    make_schedule,
    make_staff,
    make_user,
)
from tests.programs.helpers import enrolled, make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db(transaction=True)


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_seeker_lands_on_my_care_and_reads_the_new_message(
    live_server: LiveServer, page: Page
) -> None:
    profile = make_schedule(make_profile(display_name="Morgan Vale"))
    seeker = verified(make_user(Role.SEEKER, email="sam@example.test", pseudonym="Quiet Heron 7"))
    matching.save_answers(user=seeker, answers=find_answers())
    request = make_request(seeker, profile)
    outreach.accept_request(therapist=profile.user, request=request)
    outreach.post_message(sender=profile.user, request=request, body="Glad you reached out.")
    save(seeker, "gad7", answers("gad7", 1))
    base = live_server.url

    sign_in(page, base, seeker.email)
    expect(page).to_have_url(re.compile("/my-care/$"))
    expect(page.get_by_role("heading", name="My care", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Requests 1 new")).to_be_visible()
    expect(page.get_by_text("Morgan Vale wrote to you")).to_be_visible()
    clean(page)
    account = page.get_by_role("navigation", name="Account")
    account.get_by_text("Quiet Heron 7").click()
    expect(account.get_by_role("link", name="Your data")).to_be_visible()
    clean(page)  # with the menu open too

    page.get_by_role("link", name="Morgan Vale wrote to you").click()
    expect(page.get_by_text("Glad you reached out.")).to_be_visible()
    nav.get_by_role("link", name="My care").click()
    expect(page.get_by_text("Morgan Vale wrote to you")).to_have_count(0)
    expect(nav.get_by_role("link", name="Requests", exact=True)).to_be_visible()
    expect(page.get_by_text("GAD-7,")).to_be_visible()
    clean(page)


def test_therapist_lands_on_today_and_edits_their_profile_from_the_listing(
    live_server: LiveServer, page: Page
) -> None:
    therapist = verified(make_user(Role.THERAPIST, email="morgan@example.test"))
    profile = make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    client = make_client(therapist, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    save(client.seeker, "phq9", answers("phq9", 1, _9=1))
    practice.start_plan(therapist=therapist, client=client, instrument="gad7", cadence="monthly")
    make_request(make_user(Role.SEEKER, pseudonym="Late Owl 2"), profile)
    base = live_server.url

    sign_in(page, base, therapist.email)  # with the authenticator app's code
    expect(page).to_have_url(re.compile("/today/$"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_text("1 risk flag to acknowledge")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^2 days, 23 hours left to answer$"))).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Account").get_by_text("Morgan Vale")
    ).to_be_visible()
    clean(page)

    page.get_by_role("link", name="Edit your listing").click()
    expect(page.get_by_role("heading", name="Your listing", level=1)).to_be_visible()
    expect(page.get_by_text("Your profile has 6 of the 9 things seekers look for.")).to_be_visible()
    clean(page)
    page.get_by_role("link", name="Preview your profile").click()
    expect(page.get_by_text("Preview:")).to_be_visible()
    clean(page)
    page.get_by_role("link", name="Back to your listing").click()
    page.get_by_role("link", name="Edit your profile").click()
    page.get_by_label("About you and your work").fill(
        "I see nurses, physicians and paramedics after hard shifts and harder years; we go "
        "slowly, at a pace that leaves you able to work the next day, mostly by video."
    )
    page.get_by_role("button", name="Save and go back to your listing").click()
    expect(page.get_by_text("Your profile has 7 of the 9 things seekers look for.")).to_be_visible()
    clean(page)


def test_a_new_therapists_onboarding_ends_on_the_next_step(
    live_server: LiveServer, page: Page
) -> None:
    therapist = verified(make_user(Role.THERAPIST, email="new@example.test"))
    base = live_server.url
    sign_in(page, base, therapist.email, mfa=False)
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))  # sent to add a second step
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    secret = page.locator("#authenticator_secret").input_value()
    enter_totp(page, secret.replace(" ", ""))
    expect(page).to_have_url(re.compile("/accounts/2fa/recovery-codes/$"))
    expect(page.get_by_role("heading", name="Next step")).to_be_visible()
    clean(page)
    page.get_by_role("link", name="Next: create your profile").click()
    expect(page).to_have_url(re.compile("/therapists/me/step/1/$"))
    expect(
        page.get_by_role("navigation", name="Account").get_by_text(therapist.email)
    ).to_be_visible()


def test_coordinator_lands_on_their_programs(live_server: LiveServer, page: Page) -> None:
    organisation = make_organisation()
    coordinator = verified(make_coordinator(organisation))
    program = make_program(organisation, name="After the storm")
    for _ in range(12):
        enrolled(program)
    sign_in(page, live_server.url, coordinator.email)
    expect(page).to_have_url(re.compile("/programs/$"))
    expect(page.get_by_role("heading", name="After the storm")).to_be_visible()
    expect(page.get_by_text("Not run yet")).to_be_visible()
    clean(page)


def test_staff_land_on_the_queue_and_reach_the_admin(live_server: LiveServer, page: Page) -> None:
    make_profile(display_name="Wren Waiting", verified=False)
    staff = verified(make_staff())
    sign_in(page, live_server.url, staff.email)
    expect(page).to_have_url(re.compile("/staff/$"))
    expect(page.get_by_text("Waiting for verification: 1 license.")).to_be_visible()
    clean(page)
    page.get_by_role("link", name="Pending licenses in the admin").click()
    expect(page).to_have_url(re.compile("/admin/directory/license/"))
    expect(page.get_by_text("Wren Waiting")).to_be_visible()
