"""A therapist completes the wizard; a visitor filters the directory and opens a profile;
the landing, browse and profile pages have no axe-core violations."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role
from holdspace.directory import services
from holdspace.directory.models import TherapistProfile, VerificationStatus
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in
from tests.factories import make_profile, make_staff, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_therapist_completes_the_profile_wizard(live_server: LiveServer, page: Page) -> None:
    user = make_user(Role.THERAPIST, email="dana@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    base = live_server.url
    sign_in(page, base, user.email)
    page.goto(f"{base}/therapists/me/")

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_label("Name shown to clients").fill("Dana Reyes")
    page.get_by_label("Credentials").fill("LCSW")
    page.get_by_label("Profession").select_option("social_worker")
    page.get_by_label("About you and your work").fill("I see nurses after hard shifts.")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="How you work")).to_be_visible()
    page.get_by_label("EMDR").check()
    page.get_by_label("Burnout").check()
    page.get_by_label("Video").check()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Fees and office")).to_be_visible()
    page.get_by_label("Fee for a standard session").fill("-5")
    page.get_by_label("New clients you can take now").fill("2")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("The fee can't be negative")).to_be_visible()
    page.get_by_label("Fee for a standard session").fill("130")
    page.get_by_label("Your time zone").select_option("America/Denver")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Licenses", exact=True)).to_be_visible()
    licenses = page.get_by_role("region", name="Your licenses")
    licenses.get_by_label("Profession").select_option("social_worker")
    licenses.get_by_label("State or territory").select_option("US-CO")
    licenses.get_by_label("License number").fill("CSW.0099")
    expires = (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    licenses.get_by_label("Expires on").fill(expires)
    licenses.get_by_role("button", name="Add license").click()
    expect(page.get_by_text("Waiting for verification")).to_be_visible()
    page.get_by_role("link", name="Continue").click()

    page.get_by_role("button", name="Publish my profile").click()
    expect(page.get_by_text("We are verifying your license")).to_be_visible()
    profile = TherapistProfile.objects.get(user=user)
    assert profile.published
    assert profile.fee == 130
    assert axe_violations(page) == []

    # Once staff verify the license, the profile is listed.
    services.decide_license(
        license=profile.licenses.get(), decision=VerificationStatus.VERIFIED, staff=make_staff()
    )
    page.reload()
    expect(page.get_by_text("Your profile is listed")).to_be_visible()


def test_visitor_filters_the_directory_and_opens_a_profile(
    live_server: LiveServer, page: Page
) -> None:
    make_profile(display_name="Avery Spanish", languages=("en", "es"), licenses=("US-CO",))
    make_profile(display_name="Blake English", languages=("en",), licenses=("US-CO",))
    make_profile(display_name="Casey Texas", languages=("es",), licenses=("US-TX",))
    page.goto(f"{live_server.url}/therapists/")
    expect(page.get_by_role("heading", name="3 therapists")).to_be_visible()

    page.get_by_text("Narrow the list").click()  # folded on a phone
    page.get_by_label("Where you'll be during sessions").select_option("US-CO")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Show therapists").click()
    expect(page.get_by_role("heading", name="1 therapist who can see you")).to_be_visible()
    assert page.get_by_label("Language").input_value() == "es"  # the choice is kept

    page.get_by_role("link", name="Avery Spanish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avery Spanish")
    expect(page.get_by_text("English, Spanish")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_landing_browse_and_profile_pages_have_no_axe_violations(
    live_server: LiveServer, browser: Browser, scheme: str
) -> None:
    profile = make_profile(
        display_name="Robin Axe", office=("US-CO", "80302"), formats=("video", "in_person")
    )
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    for path in (
        "/",
        "/therapists/",
        "/therapists/?location=US-CO&max_fee=-1",
        f"/therapists/{profile.pk}/",
        "/crisis/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    context.close()
