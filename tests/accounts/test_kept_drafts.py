"""What a therapist was writing survives the 30-minute time-out (and a seeker's, the 12-hour
one): a note or message sent after it is kept (encrypted, for them alone), the sign-in returns
to that page, and the form shows the text again; kept copies go once taken back or after a
day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.urls import reverse

from holdspace.accounts import drafts
from holdspace.accounts.models import KeptDraft, User
from holdspace.outreach.models import ConsultationRequest, Message
from holdspace.practice import services
from holdspace.practice.models import NoteAmendment, SessionNote
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import PASSWORD, make_client, make_session, totp_code

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NOTE_TEXT = "canary-kept-note: talked about the night shifts,\nand sleep."
MESSAGE_TEXT = "canary-kept-message"
KEPT_NOTICE = "We kept what you were writing when you were signed out"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client_request(clock: time_machine.Traveller, therapist: User) -> ConsultationRequest:
    EmailAddress.objects.create(user=therapist, email=therapist.email, verified=True, primary=True)
    return make_client(therapist)


@pytest.fixture
def booking(client_request: ConsultationRequest) -> Booking:
    return make_session(client_request, start=START - dt.timedelta(hours=2))


def _note_url(client: ConsultationRequest, booking: Booking, name: str = "note") -> str:
    return reverse(f"practice:{name}", args=[client.pk, booking.pk])


def _sign_in_again(browser: Client, user: User, login_url: str) -> str:
    """Through the real sign-in (password, then the authenticator code), from the sign-in
    page the time-out sent them to; returns where it lands."""
    assert browser.get(login_url).status_code == 200
    next_page = login_url.split("next=", 1)[1]
    step = browser.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": next_page}
    )
    assert step["Location"] == reverse("mfa_authenticate")
    done = browser.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert done.status_code == 302
    return str(done["Location"])


def _timed_out(clock: time_machine.Traveller, browser: Client, page: str) -> None:
    assert browser.get(page).status_code == 200
    clock.shift(dt.timedelta(minutes=31))


def test_a_note_signed_after_the_time_out_is_kept_and_comes_back(
    clock: time_machine.Traveller,
    therapist: User,
    client_request: ConsultationRequest,
    booking: Booking,
) -> None:
    browser = client_for(therapist)
    page = _note_url(client_request, booking)
    _timed_out(clock, browser, page)

    response = browser.post(_note_url(client_request, booking, "sign"), {"text": NOTE_TEXT})
    # Signed out, sent to sign in with the note page (not the sign address) to return to.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={page}"
    assert "_auth_user_id" not in browser.session
    assert not SessionNote.objects.exists()  # nothing signed while signed out
    login_page = browser.get(response["Location"]).content.decode()
    assert "What you were writing is kept for you." in login_page
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM accounts_keptdraft")
        (stored,) = cursor.fetchone()
    assert "canary" not in stored  # encrypted at rest

    landed = _sign_in_again(browser, therapist, response["Location"])
    assert landed == page
    body = browser.get(landed).content.decode()
    assert KEPT_NOTICE in body
    assert f">\n{NOTE_TEXT}</textarea>" in body
    assert 'data-warn-unsaved="restored"' in body  # on screen, not saved: leaving asks
    assert not KeptDraft.objects.exists()  # taken back: no longer kept
    assert KEPT_NOTICE not in browser.get(page).content.decode()

    browser.post(_note_url(client_request, booking, "sign"), {"text": NOTE_TEXT})
    assert SessionNote.objects.get().text == NOTE_TEXT


def test_a_message_sent_after_the_time_out_is_kept_and_comes_back(
    clock: time_machine.Traveller, therapist: User, client_request: ConsultationRequest
) -> None:
    browser = client_for(therapist)
    thread = reverse("outreach:thread", args=[client_request.pk])
    _timed_out(clock, browser, thread)
    response = browser.post(thread, {"body": MESSAGE_TEXT})
    assert not Message.objects.exists()
    assert _sign_in_again(browser, therapist, response["Location"]) == thread
    body = browser.get(thread).content.decode()
    assert KEPT_NOTICE in body
    assert f">\n{MESSAGE_TEXT}</textarea>" in body
    browser.post(thread, {"body": MESSAGE_TEXT})
    assert Message.objects.get().body == MESSAGE_TEXT


def test_a_seekers_message_sent_after_twelve_hours_is_kept_and_comes_back(
    clock: time_machine.Traveller, client_request: ConsultationRequest
) -> None:
    seeker = client_request.seeker
    EmailAddress.objects.create(user=seeker, email=seeker.email, verified=True, primary=True)
    browser = client_for(seeker)
    thread = reverse("outreach:thread", args=[client_request.pk])
    assert browser.get(thread).status_code == 200
    clock.shift(dt.timedelta(hours=12, minutes=1))  # seekers have no idle limit, only this
    response = browser.post(thread, {"body": MESSAGE_TEXT})
    assert response["Location"] == f"{reverse('account_login')}?next={thread}"
    assert not Message.objects.exists()
    login_page = browser.get(response["Location"]).content.decode()
    assert "sign everyone out 12 hours after they sign in" in login_page
    assert "What you were writing is kept for you." in login_page
    landed = browser.post(
        reverse("account_login"), {"login": seeker.email, "password": PASSWORD, "next": thread}
    )
    assert landed["Location"] == thread
    body = browser.get(thread).content.decode()
    assert KEPT_NOTICE in body
    assert f">\n{MESSAGE_TEXT}</textarea>" in body


def test_a_note_signed_meanwhile_gets_the_kept_text_as_an_amendment(
    clock: time_machine.Traveller,
    therapist: User,
    client_request: ConsultationRequest,
    booking: Booking,
) -> None:
    browser = client_for(therapist)
    _timed_out(clock, browser, _note_url(client_request, booking))
    response = browser.post(_note_url(client_request, booking), {"text": NOTE_TEXT})
    services.sign_note(  # from another computer, before coming back here
        therapist=therapist, client=client_request, booking=booking, text="Signed elsewhere."
    )
    page = _sign_in_again(browser, therapist, response["Location"])
    body = browser.get(page).content.decode()
    assert "below as an amendment" in body
    assert 'name="text"' in body
    assert NOTE_TEXT.split("\n")[0] in body
    browser.post(_note_url(client_request, booking, "amend"), {"text": NOTE_TEXT})
    assert NoteAmendment.objects.get().text == NOTE_TEXT
    assert SessionNote.objects.get().text == "Signed elsewhere."


def test_only_they_get_it_back_and_only_for_a_day(
    clock: time_machine.Traveller,
    therapist: User,
    other_therapist: User,
    client_request: ConsultationRequest,
    booking: Booking,
) -> None:
    browser = client_for(therapist)
    page = _note_url(client_request, booking)
    _timed_out(clock, browser, page)
    browser.post(page, {"text": NOTE_TEXT})
    assert drafts.take_kept(user=other_therapist, path=page, form="note") is None
    assert KeptDraft.objects.count() == 1

    clock.shift(drafts.KEEP_FOR + dt.timedelta(minutes=1))
    client_for(other_therapist)  # any sign-in sweeps the expired ones
    assert not KeptDraft.objects.exists()
    body = client_for(therapist).get(page).content.decode()
    assert NOTE_TEXT not in body
    assert KEPT_NOTICE not in body


def test_a_forged_post_after_the_time_out_keeps_nothing(
    clock: time_machine.Traveller,
    therapist: User,
    client_request: ConsultationRequest,
    booking: Booking,
) -> None:
    browser = client_for(therapist)
    browser.handler.enforce_csrf_checks = True
    page = _note_url(client_request, booking)
    _timed_out(clock, browser, page)
    response = browser.post(page, {"text": NOTE_TEXT})  # no CSRF token
    assert "/accounts/login/" in response["Location"]
    assert not KeptDraft.objects.exists()


def test_other_posts_after_the_time_out_keep_nothing(
    clock: time_machine.Traveller, therapist: User, client_request: ConsultationRequest
) -> None:
    browser = client_for(therapist)
    chart = reverse("practice:client", args=[client_request.pk])
    _timed_out(clock, browser, chart)
    response = browser.post(
        reverse("practice:start_plan", args=[client_request.pk]),
        {"instrument": "phq9", "cadence": "monthly"},
    )
    assert "/accounts/login/" in response["Location"]
    assert not KeptDraft.objects.exists()


def test_within_the_idle_time_nothing_is_kept(
    clock: time_machine.Traveller,
    therapist: User,
    client_request: ConsultationRequest,
    booking: Booking,
) -> None:
    browser = client_for(therapist)
    browser.get(_note_url(client_request, booking))
    clock.shift(dt.timedelta(minutes=29))
    assert browser.post(_note_url(client_request, booking), {"text": NOTE_TEXT}).status_code == 302
    assert SessionNote.objects.get().text == NOTE_TEXT.strip()
    assert not KeptDraft.objects.exists()
