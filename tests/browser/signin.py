"""Signing in through the real login form, with the authenticator-app step when the account
has MFA (therapists, coordinators and staff must: holdspace.accounts.middleware)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page

from holdspace.accounts.mfa import mfa_required
from holdspace.accounts.models import User
from tests.factories import PASSWORD, totp_code, with_mfa


def enter_totp(page: Page, secret: str) -> None:
    """Type the app's code on allauth's "Two-Factor Authentication" step. A code is accepted only
    once, so a second sign-in within the same 30 seconds uses a neighbouring step's code (the
    server allows one step of clock drift)."""
    now = time.time()
    for offset in (0, 30, -30):
        page.get_by_label("Code").fill(totp_code(secret, at=now + offset))
        page.get_by_label("Code").press("Enter")
        page.wait_for_load_state()
        if "/2fa/authenticate/" not in page.url:
            return
    raise AssertionError("The TOTP step did not accept any current code")


def sign_in(
    page: Page, base: str, email: str, password: str = PASSWORD, *, mfa: bool = True
) -> None:
    """Sign in; accounts that must use MFA get an authenticator app first unless ``mfa`` is
    False (then they land wherever the MFA requirement sends them)."""
    user = User.objects.get(email=email)
    secret = with_mfa(user) if mfa and mfa_required(user) else None
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile(r"^\s*Sign in\s*$", re.I)).click()
    if secret is not None:
        page.wait_for_url(re.compile("/2fa/authenticate/"))
        enter_totp(page, secret)


def sign_out(page: Page) -> None:
    """Sign out through the account menu in the navigation (a <details> under the name)."""
    menu = page.get_by_role("navigation", name="Account")
    menu.locator("summary").click()
    menu.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
