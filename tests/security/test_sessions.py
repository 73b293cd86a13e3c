"""Idle (30 minutes) timeouts for therapists, coordinators and staff, and the absolute one
(12 hours) for everyone;
sign-out and disabling a user end sessions on the server. What was being sent at a time-out
is kept: tests/accounts/test_kept_drafts.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from tests.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = "/requests/"


def signed_out(response: HttpResponseBase, client: Client) -> bool:
    location = response.get("Location", "")
    return "/accounts/login/" in location and "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.COORDINATOR, Role.STAFF])
def test_thirty_idle_minutes_sign_staff_like_roles_out(role: str) -> None:
    with time_machine.travel(START, tick=False) as clock:
        user = make_user(role, is_staff=role == Role.STAFF)
        client = client_for(user)
        key = client.session.session_key
        assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200  # activity keeps it alive
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(PAGE)
        assert signed_out(response, client)
        # The stored session expired on the server (set_expiry) before the middleware's check.
        assert not Session.objects.filter(
            session_key=key, expire_date__gt=START + dt.timedelta(minutes=89)
        ).exists()


def test_twelve_hours_end_the_session_however_active() -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(make_user(Role.THERAPIST))
        for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
            clock.shift(dt.timedelta(minutes=20))
            assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(minutes=1))
        assert signed_out(client.get(PAGE), client)


def test_seekers_are_never_signed_out_for_being_idle_but_do_after_twelve_hours() -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(make_user(Role.SEEKER))
        key = client.session.session_key
        clock.shift(dt.timedelta(hours=3))
        assert client.get(PAGE).status_code == 200
        # A seeker's request doesn't rewrite their session: it expires when it was set to.
        session = Session.objects.get(session_key=key)
        assert session.expire_date == START + dt.timedelta(hours=12, minutes=30)
        clock.shift(dt.timedelta(hours=9, minutes=1))
        assert signed_out(client.get(PAGE), client)
        assert not Session.objects.filter(session_key=key).exists()


def test_the_stored_session_outlives_the_limits_only_until_a_request_ends_it() -> None:
    """The row outlives the idle time (so a note sent after it is still known to be theirs
    and kept, holdspace.accounts.drafts), but the first request after 30 idle minutes deletes
    it; it never outlives the 12-hour limit by more than the idle time."""
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(make_user(Role.THERAPIST))
        client.get(PAGE)
        key = client.session.session_key
        session = Session.objects.get(session_key=key)
        assert session.expire_date == START + dt.timedelta(hours=12, minutes=30)
        clock.shift(dt.timedelta(minutes=31))
        assert signed_out(client.get(PAGE), client)
        assert not Session.objects.filter(session_key=key).exists()


def test_signing_out_deletes_the_session_row() -> None:
    client = client_for(make_user(Role.THERAPIST))
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_disabling_a_user_ends_all_their_sessions() -> None:
    therapist = make_user(Role.THERAPIST)
    other = make_user(Role.SEEKER)
    laptop, phone, someone_else = client_for(therapist), client_for(therapist), client_for(other)
    assert Session.objects.count() == 3
    therapist.is_active = False
    therapist.save()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        someone_else.session.session_key
    ]
    for client in (laptop, phone):
        assert client.get(PAGE).status_code == 302


def test_saving_an_active_user_keeps_sessions() -> None:
    user: User = make_user(Role.THERAPIST)
    client_for(user)
    user.legal_name = "Changed"
    user.save()
    assert Session.objects.count() == 1
