"""A therapist reviews a client's chart, acknowledges a risk flag, writes and signs a note and
exports a FHIR Bundle in real Chromium; axe-core clean on every page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.practice.models import RiskAcknowledgement, SessionNote
from tests.browser.conftest import axe_violations
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import make_client, make_session, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    """Reuse the test client's sign-in (and MFA, once required) as the browser's session."""
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_therapist_reviews_chart_signs_a_note_and_exports(
    live_server: LiveServer, page: Page
) -> None:
    therapist = make_user(Role.THERAPIST)
    client = make_client(therapist)
    booking = make_session(client, start=timezone.now() - dt.timedelta(days=1))
    save(client.seeker, "phq9", answers("phq9", 1, _9=1))
    base = live_server.url
    signed_in(page, base, therapist)

    page.goto(f"{base}/practice/")
    clean(page)
    page.get_by_role("link", name=client.seeker.pseudonym).click()
    expect(page.get_by_role("heading", name="Risk flags to acknowledge")).to_be_visible()
    clean(page)
    page.get_by_role("button", name=re.compile("Acknowledge")).click()
    expect(page.get_by_text(f"acknowledged by {therapist.email}")).to_be_visible()
    assert RiskAcknowledgement.objects.count() == 1

    page.get_by_role("link", name=re.compile("Write a note")).click()
    page.get_by_label("Session note").fill("Talked about night shifts.")
    page.get_by_role("button", name="Save draft").click()
    clean(page)
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("heading", name="Signed note")).to_be_visible()
    clean(page)
    assert SessionNote.objects.get(booking=booking).is_signed

    page.goto(f"{base}/practice/clients/{client.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as FHIR").click()
    bundle = json.loads(download_info.value.path().read_text())
    assert bundle["resourceType"] == "Bundle"
    assert AccessLog.objects.filter(action="export_fhir").count() == 1
