"""In real Chromium: a therapist without MFA signs in, is sent to set it up, adds an
authenticator app (after confirming the password again) and only then reaches client pages;
next time the sign-in asks for the app's code. axe-core clean on the MFA pages."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role
from tests.browser.conftest import axe_violations
from tests.browser.signin import enter_totp, sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_therapist_must_add_an_authenticator_app_first(
    live_server: LiveServer, page: Page
) -> None:
    therapist = make_user(Role.THERAPIST, email="new-therapist@example.test")
    EmailAddress.objects.create(user=therapist, email=therapist.email, verified=True, primary=True)
    base = live_server.url
    sign_in(page, base, therapist.email, mfa=False)

    page.goto(f"{base}/requests/")
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))
    expect(page.get_by_text("please add a second step")).to_be_visible()
    assert axe_violations(page) == [], page.url

    page.goto(f"{base}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # confirm the password before changing MFA
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    assert axe_violations(page) == [], page.url
    secret = page.locator("#authenticator_secret").input_value()
    enter_totp(page, secret.replace(" ", ""))
    assert Authenticator.objects.filter(user=therapist, type="totp").exists()

    page.goto(f"{base}/requests/")
    expect(page).to_have_url(re.compile("/requests/$"))

    page.context.clear_cookies()
    sign_in(page, base, therapist.email)  # asks for the app's code this time
    page.goto(f"{base}/requests/")
    expect(page).to_have_url(re.compile("/requests/$"))
