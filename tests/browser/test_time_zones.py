"""A signed-in person's browser tells Holdspace its time zone once (JavaScript on); without
JavaScript the zone of their state is used. Either way every time names its zone. Real
Chromium with its own clock set to Denver; axe-core clean on the pages involved."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.core import zones
from holdspace.matching.models import FindProfile
from holdspace.scheduling.models import Booking
from tests.browser.conftest import axe_violations
from tests.conftest import client_for
from tests.factories import make_client, make_session, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def seeker_in_new_york_with_a_session() -> tuple[User, Booking]:
    seeker = make_user(Role.SEEKER)
    FindProfile.objects.create(user=seeker, location="US-NY")  # no zone chosen yet
    client = make_client(make_user(Role.THERAPIST), seeker)
    start = (timezone.now() + dt.timedelta(days=20)).replace(hour=20, minute=0, second=0)
    return seeker, make_session(client, start=start.replace(microsecond=0))


def written_in(moment: dt.datetime, zone: str) -> str:
    return zones.write(moment.astimezone(ZoneInfo(zone)), "long")


def test_the_browsers_zone_is_picked_up_and_named(
    live_server: LiveServer, browser: Browser
) -> None:
    seeker, booking = seeker_in_new_york_with_a_session()
    context = browser.new_context(
        timezone_id="America/Denver", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    base = live_server.url
    signed_in(page, base, seeker)

    page.goto(f"{base}/schedule/")
    # The page reloads once the zone is kept; the time is then Denver's, named MST or MDT.
    denver = written_in(booking.start, "America/Denver")
    expect(page.get_by_role("link", name=denver)).to_be_visible()
    assert re.search(r"M[SD]T$", denver)
    expect(page.get_by_text("Times are in Mountain time (Denver).")).to_be_visible()
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Denver"
    assert axe_violations(page) == []

    # Chosen now: the script is no longer sent, and the choice can be changed by hand.
    assert page.locator("script[src*='time-zone']").count() == 0
    page.get_by_role("link", name="Change time zone").first.click()
    expect(page.get_by_role("heading", name="Time zone")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Show times in").select_option("America/Chicago")
    page.get_by_role("button", name="Save time zone").click()
    expect(page).to_have_url(re.compile("/schedule/$"))
    chicago = written_in(booking.start, "America/Chicago")
    expect(page.get_by_role("link", name=chicago)).to_be_visible()
    context.close()


def test_without_javascript_the_state_in_the_find_answers_is_used(
    live_server: LiveServer, browser: Browser
) -> None:
    seeker, booking = seeker_in_new_york_with_a_session()
    context = browser.new_context(
        timezone_id="America/Denver",
        java_script_enabled=False,
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    base = live_server.url
    signed_in(page, base, seeker)

    page.goto(f"{base}/schedule/")
    eastern = written_in(booking.start, "America/New_York")
    assert re.search(r"E[SD]T$", eastern)
    expect(page.get_by_role("link", name=eastern)).to_be_visible()
    expect(page.get_by_text("Times are in Eastern time (New York).")).to_be_visible()
    seeker.refresh_from_db()
    assert seeker.time_zone == ""
    context.close()
