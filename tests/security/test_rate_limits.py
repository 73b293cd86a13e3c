"""Per-user hourly limits on sending requests, messages and bookings."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts import ratelimit
from holdspace.accounts.models import Role
from tests.conftest import client_for
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_the_configured_limits() -> None:
    from django.conf import settings

    assert settings.HOLDSPACE_RATE_LIMITS == {
        "outreach_request": 10,
        "outreach_message": 30,
        "booking": 20,
    }


def test_allow_counts_per_user_and_action_and_resets_each_hour() -> None:
    with time_machine.travel(START, tick=False) as clock:
        assert all(ratelimit.allow("outreach_request", 1) for _ in range(10))
        assert not ratelimit.allow("outreach_request", 1)
        assert ratelimit.allow("outreach_request", 2)  # someone else
        assert ratelimit.allow("outreach_message", 1)  # another action
        clock.shift(dt.timedelta(hours=1))
        assert ratelimit.allow("outreach_request", 1)


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="No rate limit"):
        ratelimit.rate_limited("nope")


def post_until_limited(client: Client, url: str, limit: int) -> list[int]:
    return [client.post(url, {}).status_code for _ in range(limit + 1)]


@pytest.mark.parametrize(
    ("action", "url_name"),
    [
        ("outreach_request", "outreach:new"),
        ("outreach_message", "outreach:thread"),
        ("booking", "scheduling:book"),
    ],
)
def test_each_endpoint_answers_429_over_its_limit(
    settings: Settings, action: str, url_name: str
) -> None:
    settings.HOLDSPACE_RATE_LIMITS = {**settings.HOLDSPACE_RATE_LIMITS, action: 3}
    profile = make_profile()
    client = client_for(make_user(Role.SEEKER))
    url = reverse(url_name, args=[profile.pk])
    codes = post_until_limited(client, url, 3)
    assert 429 not in codes[:3]
    assert codes[3] == 429
    page = client.post(url, {})
    assert "Please pause for a while" in page.content.decode()
    assert client.get(url).status_code != 429  # reading is never limited


def test_anonymous_posts_are_not_counted_but_still_need_sign_in(settings: Settings) -> None:
    settings.HOLDSPACE_RATE_LIMITS = {**settings.HOLDSPACE_RATE_LIMITS, "outreach_request": 1}
    profile = make_profile()
    client = Client()
    for _ in range(3):
        assert client.post(reverse("outreach:new", args=[profile.pk])).status_code == 302
