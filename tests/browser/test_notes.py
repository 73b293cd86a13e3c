"""In real Chromium: a therapist signs a note without saving a draft first (the text on screen
is what is signed), is asked before leaving a page with unsaved text, and reads a thread as a
conversation; axe-core clean on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice.models import SessionNote
from holdspace.scheduling.models import Booking
from tests.browser.conftest import axe_violations
from tests.browser.signin import enter_totp
from tests.browser.test_practice import signed_in
from tests.factories import MFA_SECRET, PASSWORD, make_client, make_session, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_TEXT = "Talked about night shifts. Plan: one shorter week."


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def _client_with_session(base: str, page: Page) -> tuple[ConsultationRequest, Booking]:
    therapist = make_user(Role.THERAPIST)
    client = make_client(therapist)
    booking = make_session(client, start=timezone.now() - dt.timedelta(hours=3))
    signed_in(page, base, therapist)
    return client, booking


def _record_dialogs(page: Page) -> list[str]:
    """Dialog types seen, each dismissed (the person chooses to stay on the page)."""
    seen: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


def test_a_note_written_and_signed_without_saving_first(
    live_server: LiveServer, page: Page
) -> None:
    base = live_server.url
    client, booking = _client_with_session(base, page)
    dialogs = _record_dialogs(page)
    page.goto(f"{base}/practice/clients/{client.pk}/")
    page.get_by_role("link", name=re.compile("Write a note")).click()
    clean(page)
    page.get_by_label("Session note").press_sequentially(SIGNED_TEXT)
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("heading", name="Signed note")).to_be_visible()
    expect(page.get_by_text(SIGNED_TEXT)).to_be_visible()
    expect(page.get_by_text("Signed. From now on it can only be amended.")).to_be_visible()
    clean(page)
    assert dialogs == []  # sending the form is not leaving it
    note = SessionNote.objects.get(booking=booking)
    assert (note.is_signed, note.text) == (True, SIGNED_TEXT)


def test_signing_an_empty_note_says_so_and_keeps_the_page(
    live_server: LiveServer, page: Page
) -> None:
    base = live_server.url
    client, booking = _client_with_session(base, page)
    page.goto(f"{base}/practice/clients/{client.pk}/sessions/{booking.pk}/note/")
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_text("Write the note first")).to_be_visible()
    expect(page.get_by_label("Session note")).to_have_attribute("aria-invalid", "true")
    clean(page)
    assert not SessionNote.objects.exists()


def test_leaving_a_note_with_unsaved_text_asks_first(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    client, booking = _client_with_session(base, page)
    note_url = f"{base}/practice/clients/{client.pk}/sessions/{booking.pk}/note/"
    page.goto(note_url)
    dialogs = _record_dialogs(page)
    page.get_by_role("link", name=client.seeker.pseudonym).click()  # nothing written: no ask
    page.wait_for_url(f"{base}/practice/clients/{client.pk}/")
    assert dialogs == []

    page.goto(note_url)
    page.get_by_label("Session note").press_sequentially("Half a thought")
    page.get_by_role("link", name=client.seeker.pseudonym).click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url == note_url  # stayed, with the text
    expect(page.get_by_label("Session note")).to_have_value("Half a thought")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("link", name=client.seeker.pseudonym).click()
    page.wait_for_url(f"{base}/practice/clients/{client.pk}/")
    assert dialogs == ["beforeunload"]  # saved: leaving asks nothing


def test_a_thread_reads_as_a_conversation_and_keeps_unsent_text(
    live_server: LiveServer, page: Page
) -> None:
    base = live_server.url
    client, _ = _client_with_session(base, page)
    therapist = client.profile.user
    outreach.post_message(sender=client.seeker, request=client, body="Is Thursday still on?")
    outreach.post_message(sender=therapist, request=client, body="Yes, 6 pm as planned.")
    page.goto(f"{base}/requests/{client.pk}/messages/")
    conversation = page.get_by_role("list", name=f"Messages with {client.seeker.pseudonym}")
    items = conversation.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(f"{client.seeker.pseudonym} wrote,")
    expect(items.nth(0)).to_contain_text("Is Thursday still on?")
    expect(items.nth(1)).to_contain_text("You wrote,")
    clean(page)

    dialogs = _record_dialogs(page)
    page.get_by_label("Your message").press_sequentially("See you then.")
    page.get_by_role("link", name="Back to the request").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    page.get_by_role("button", name="Send message").click()
    expect(items).to_have_count(3)
    expect(items.nth(2)).to_contain_text("See you then.")
    assert dialogs == ["beforeunload"]


def test_a_note_signed_after_the_time_out_comes_back_after_signing_in(
    live_server: LiveServer, page: Page, settings: Settings
) -> None:
    """The whole path in a real browser, with the idle limit shortened to two seconds."""
    base = live_server.url
    client, booking = _client_with_session(base, page)
    therapist = client.profile.user
    EmailAddress.objects.create(user=therapist, email=therapist.email, verified=True, primary=True)
    note_url = f"{base}/practice/clients/{client.pk}/sessions/{booking.pk}/note/"
    page.goto(note_url)
    settings.HOLDSPACE_SESSION_IDLE_SECONDS = 2
    page.get_by_label("Session note").press_sequentially(SIGNED_TEXT)
    page.wait_for_timeout(2500)  # writing took longer than the idle limit
    page.get_by_role("button", name="Sign note").click()

    expect(page.get_by_text("What you were writing is kept for you.")).to_be_visible()
    clean(page)
    assert not SessionNote.objects.exists()
    settings.HOLDSPACE_SESSION_IDLE_SECONDS = 30 * 60
    page.get_by_label("Email").fill(therapist.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^\s*Sign in\s*$", re.I)).click()
    page.wait_for_url(re.compile("/2fa/authenticate/"))
    enter_totp(page, MFA_SECRET)

    page.wait_for_url(note_url)
    expect(
        page.get_by_text("We kept what you were writing when you were signed out")
    ).to_be_visible()
    expect(page.get_by_label("Session note")).to_have_value(SIGNED_TEXT)
    clean(page)
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("heading", name="Signed note")).to_be_visible()
    assert SessionNote.objects.get(booking=booking).text == SIGNED_TEXT
