"""In real Chromium: a seeker opens "Your data" from the account menu, downloads the JSON copy,
reads the deletion page, gets a clear error for a wrong password (nothing deleted), then closes
the account; after the real background worker has run they can no longer sign in. axe-core
clean on every page on the way."""

from __future__ import annotations

import json
import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.checkins.models import CheckIn
from holdspace.mydata.models import DeletionRequest, DeletionStatus
from holdspace.outreach.models import ConsultationRequest
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in
from tests.checkins.helpers import answers, save
from tests.factories import PASSWORD, make_profile, make_request, make_schedule, make_user
from tests.mydata.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "canary-browser-seeker@example.test"
PSEUDONYM = "Canary Lantern"


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def seeker_with_data() -> User:
    seeker = make_user(Role.SEEKER, email=EMAIL, pseudonym=PSEUDONYM)
    EmailAddress.objects.create(user=seeker, email=EMAIL, verified=True, primary=True)
    save(seeker, "gad7", answers("gad7", 2))
    make_request(seeker, make_schedule(make_profile(display_name="Morgan Vale")))
    return seeker


def test_seeker_downloads_their_data_then_deletes_it(live_server: LiveServer, page: Page) -> None:
    seeker = seeker_with_data()
    base = live_server.url
    run_worker()  # the emails queued while the data was built
    sign_in(page, base, EMAIL)

    # "Your data", from the account menu under their pseudonym.
    nav = page.get_by_role("navigation", name="Main")
    account = page.get_by_role("navigation", name="Account")
    account.get_by_text(PSEUDONYM).click()
    account.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    expect(page.get_by_text("1 saved check-in,")).to_be_visible()
    expect(page.get_by_text("1 consultation request,")).to_be_visible()
    clean(page)

    # The download: one JSON file with their pseudonym and their check-in.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download everything").click()
    download = download_info.value
    assert re.fullmatch(r"holdspace-your-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["account"]["pseudonym"] == PSEUDONYM
    assert [c["instrument"] for c in data["check_ins"]] == ["gad7"]

    # The deletion page says what happens before anything does.
    page.get_by_role("link", name="Read about deletion").click()
    expect(
        page.get_by_role("heading", name="Delete your data and close your account")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="What a therapist must keep")).to_be_visible()
    clean(page)

    # A wrong password: a clear error beside the field, still signed in, nothing deleted.
    delete = page.get_by_role("button", name="Delete my data and close my account")
    page.get_by_label("Your password").fill("not-my-password")
    delete.click()
    expect(page.get_by_text("That password isn’t right. Nothing has been deleted.")).to_be_visible()
    expect(page.get_by_label("Your password")).to_have_attribute("aria-invalid", "true")
    expect(account.get_by_text(PSEUDONYM)).to_be_visible()  # still signed in
    clean(page)
    assert not DeletionRequest.objects.exists()
    seeker.refresh_from_db()
    assert seeker.is_active
    assert CheckIn.objects.filter(user=seeker).count() == 1

    # The right password: told what happens, and signed out.
    page.get_by_label("Your password").fill(PASSWORD)
    delete.click()
    expect(page.get_by_role("heading", name="Your account is closed")).to_be_visible()
    expect(page.get_by_text("You’ve been signed out everywhere.")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(account).to_have_count(0)
    clean(page)
    page.goto(f"{base}/my-data/")
    expect(page).to_have_url(re.compile("/accounts/login/"))

    # The real worker carries the deletion out.
    run_worker()
    deletion = DeletionRequest.objects.get()
    assert deletion.status == DeletionStatus.DONE
    assert not CheckIn.objects.filter(user=seeker).exists()  # not seen by a therapist: gone
    assert not ConsultationRequest.objects.filter(seeker=seeker).exists()
    assert not User.objects.filter(email=EMAIL).exists()

    # The old email and password no longer sign anyone in.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^\s*Sign in\s*$", re.I)).click()
    expect(page.get_by_text("That email and password don't match an account.")).to_be_visible()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    expect(nav.get_by_role("link", name="Your data")).to_have_count(0)
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
