"""Therapists are asked to confirm before a profile is hidden, at most once a week."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from holdspace.directory import services
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def remind(today: dt.date) -> str:
    out = StringIO()
    call_command("remind_profile_confirmations", today=today, stdout=out)
    return out.getvalue()


def test_reminder_goes_to_profiles_near_the_limit_and_only_weekly() -> None:
    today = timezone.localdate()
    due = make_profile(display_name="Due", confirmed_days_ago=24)
    make_profile(display_name="Fresh", confirmed_days_ago=5)
    assert "Sent 1 reminder(s)." in remind(today)
    assert [message.to for message in mail.outbox] == [[due.user.email]]
    body = mail.outbox[0].body
    assert "will be hidden on" in body
    assert "/therapists/me/" in body

    assert "Sent 0 reminder(s)." in remind(today + dt.timedelta(days=3))
    assert "Sent 1 reminder(s)." in remind(today + dt.timedelta(days=7))
    assert "is now hidden" in mail.outbox[-1].body


def test_unpublished_profiles_are_not_reminded() -> None:
    services.unpublish_profile(profile=make_profile(confirmed_days_ago=40))
    assert "Sent 0 reminder(s)." in remind(timezone.localdate())
    assert mail.outbox == []
