"""The staff member's journey, end to end in real Chromium (JavaScript on), axe-core clean and
photographed at 1280 and 390 px on every page (build/screenshots/staff/):

sign in with the authenticator app → the verification queue → the pending licenses in the
admin → verify one through its confirmation page (the therapist is e-mailed) → back home, one
fewer waiting → reject another with a reason (e-mailed in plain words)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.directory.models import License, VerificationEvent, VerificationStatus
from tests.browser.journey import Journey
from tests.browser.signin import sign_in
from tests.factories import make_profile, make_staff
from tests.programs.helpers import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY = "Verify selected (you'll check each against its source first)"
REJECT = "Reject selected as not verifiable (you'll give a reason)"


def choose_action(page: Page, therapist: str, action: str) -> None:
    """Tick one therapist's row in the admin list and run an action on it."""
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=therapist))
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label=action)
    page.get_by_role("button", name="Run", exact=True).click()


def test_staff_journey(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    journey = Journey("staff")
    wren = make_profile(display_name="Wren Waiting", verified=False, profession="nurse")
    sam = make_profile(display_name="Sam Rivera", verified=False)
    make_profile(display_name="Already Verified")
    staff = make_staff()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    # Sign in with the second step: the verification queue.
    sign_in(page, base, staff.email)
    expect(page).to_have_url(re.compile("/staff/$"))
    expect(page.get_by_role("heading", name="Verification queue", level=1)).to_be_visible()
    expect(page.get_by_text("Waiting for verification: 2 licenses.")).to_be_visible()
    journey.step(page, "verification queue")

    # The pending licenses, in the admin: only those waiting.
    page.get_by_role("link", name="Pending licenses in the admin").click()
    expect(page.get_by_role("link", name="Wren Waiting")).to_be_visible()
    expect(page.get_by_role("link", name="Sam Rivera")).to_be_visible()
    expect(page.get_by_role("link", name="Already Verified")).to_have_count(0)
    chosen = page.locator("#changelist-filter li.selected")  # the filter says what is shown
    expect(chosen.filter(has_text="Waiting for verification")).to_have_count(1)
    journey.step(page, "pending licenses")

    # Verify Wren's, on the confirmation page that says what to check.
    choose_action(page, "Wren Waiting", VERIFY)
    expect(page.get_by_role("heading", name="Verify this license?")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Nursys QuickConfirm"))).to_be_visible()
    journey.step(page, "verify confirmation")
    assert not VerificationEvent.objects.filter(license__profile=wren).exists()
    page.get_by_role("button", name="Yes, verify").click()
    expect(page.get_by_text("Verified: 1 license. We've emailed the therapist.")).to_be_visible()
    journey.step(page, "verified")
    license = License.objects.get(profile=wren)
    assert (license.status, license.verified_by) == (VerificationStatus.VERIFIED, staff)
    run_worker()
    (verified,) = mail.outbox
    assert verified.to == [wren.user.email]
    assert verified.subject == "Holdspace: Your license is verified"

    # Back home: one fewer waiting.
    page.get_by_role("link", name="Verification queue").click()  # in the admin's header
    expect(page.get_by_text("Waiting for verification: 1 license.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Wren Waiting"))).to_have_count(0)
    journey.step(page, "one fewer waiting")

    # Reject Sam's with a reason, which is e-mailed to them as written.
    page.get_by_role("link", name="Pending licenses in the admin").click()
    choose_action(page, "Sam Rivera", REJECT)
    expect(page.get_by_role("heading", name="Reject this license?")).to_be_visible()
    journey.step(page, "reject confirmation")
    assert License.objects.get(profile=sam).status == VerificationStatus.PENDING
    page.get_by_label("Not on the board's register").check()
    page.get_by_label(re.compile("^A note to the therapist")).fill(
        "The board's lookup shows no license with this number; please check it."
    )
    page.get_by_role("button", name="Yes, reject and tell the therapist").click()
    expect(
        page.get_by_text("Marked as not verifiable: 1 license. We've emailed the therapist.")
    ).to_be_visible()
    journey.step(page, "rejected")
    license = License.objects.get(profile=sam)
    assert (license.status, license.verified_by) == (VerificationStatus.REJECTED, staff)
    run_worker()
    rejected = mail.outbox[-1]
    assert rejected.to == [sam.user.email]
    assert "We couldn't find this number on the licensing board's register." in rejected.body
    assert "please check it." in rejected.body

    page.get_by_role("link", name="Verification queue").click()
    expect(page.get_by_text("Nothing is waiting for verification.")).to_be_visible()
    journey.step(page, "nothing waiting")
