"""In real Chromium: the sign-in pages in Holdspace's words, axe-clean at phone width."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_sign_in_reset_and_account_pages_read_plainly(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    seeker = make_user(Role.SEEKER, email="sam@example.test")
    EmailAddress.objects.create(user=seeker, email=seeker.email, verified=True, primary=True)

    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Keep me signed in on this device")).to_be_visible()
    clean(page)
    page.get_by_label("Email").fill(seeker.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name=re.compile(r"^\s*Sign in\s*$")).click()
    expect(page.get_by_text("That email and password don't match an account.")).to_be_visible()
    clean(page)

    page.goto(f"{base}/accounts/signup/")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_label("Password again")).to_be_visible()
    clean(page)

    page.goto(f"{base}/accounts/password/reset/")
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    clean(page)
    page.get_by_label("Email").fill(seeker.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    clean(page)

    sign_in(page, base, seeker.email)
    for path, heading in [
        ("/accounts/email/", "Your email address"),
        ("/accounts/2fa/", "Two-step sign-in"),
        ("/accounts/logout/", "Sign out of Holdspace?"),
    ]:
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        clean(page)
    page.get_by_role("button", name="Sign out").last.click()
    expect(page.get_by_text("You've signed out.")).to_be_visible()
