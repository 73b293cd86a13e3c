"""A seeker's world in real Chromium at 390 px, axe-clean on every page: the avoid entry and
the place survive signing out and in and keep the therapist off the list; a removal is undone;
"Reach out" goes through Find and comes back, with JavaScript on and off."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from tests.browser.conftest import axe_violations
from tests.browser.signin import sign_in, sign_out
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _seeker() -> User:
    seeker = make_user(Role.SEEKER)
    EmailAddress.objects.create(user=seeker, email=seeker.email, verified=True, primary=True)
    return seeker


def _clean(page: Page) -> None:
    assert axe_violations(page) == []


def _first_two_screens(page: Page) -> None:
    page.get_by_label("Where will you be during sessions?").select_option("US-CO")
    page.get_by_label("Video").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Burnout").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Keep your world separate")).to_be_visible()


def test_the_avoid_list_is_saved_and_still_applied_after_signing_in_again(
    live_server: LiveServer, page: Page
) -> None:
    make_profile(display_name="Avery Kept", focus=("burnout",))
    make_profile(
        user=make_user(Role.THERAPIST, legal_name="Blake Avoided"),
        display_name="Blake Avoided",
        focus=("burnout",),
    )
    seeker = _seeker()
    base = live_server.url
    sign_in(page, base, seeker.email)
    page.goto(f"{base}/find/")
    _first_two_screens(page)
    expect(page.get_by_text("Saved to your account as you go.")).to_be_visible()
    _clean(page)

    page.get_by_label("I know them by").first.select_option("name")
    page.get_by_label("Their email, full name or license number").first.fill("Blake Avoided")
    page.get_by_label("Name of the place or group").fill("Cedar Clinic ICU")
    page.get_by_role("button", name="Save and stay here").click()
    expect(page.get_by_text("Saved to your account:")).to_contain_text("“B… A…, by full name”")
    avoid_list = page.get_by_role("list", name="People to avoid")
    expect(avoid_list).to_contain_text("B… A…")
    expect(page.get_by_role("list", name="Places you added")).to_contain_text("Cedar Clinic ICU")
    assert "Blake Avoided" not in page.locator("main").inner_text()
    _clean(page)
    page.get_by_role("button", name="Save and show my shortlist").click()
    expect(page.get_by_role("link", name="Avery Kept", exact=True)).to_be_visible()
    expect(page.get_by_text("Blake Avoided")).to_have_count(0)

    # Sign out, sign in again: nothing to re-enter, and the list is still applied.
    sign_out(page)
    sign_in(page, base, seeker.email)
    page.goto(f"{base}/find/results/")
    expect(page.get_by_role("link", name="Avery Kept", exact=True)).to_be_visible()
    expect(page.get_by_text("Blake Avoided")).to_have_count(0)
    _clean(page)
    page.get_by_role("link", name="Your world: people to avoid and places").click()
    expect(page.get_by_role("heading", name="Your world", level=1)).to_be_visible()
    expect(page.get_by_role("list", name="People to avoid")).to_contain_text("B… A…")
    _clean(page)

    # Removing is weighty: it can be undone for a few minutes.
    page.get_by_role("button", name="Remove B… A…, by full name, from people to avoid").click()
    expect(page.get_by_text("Removed from people to avoid: “B… A…, by full name”.")).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Undo removing B… A…, by full name").click()
    expect(page.get_by_text("Put back in people to avoid and saved")).to_be_visible()
    expect(page.get_by_role("list", name="People to avoid")).to_contain_text("B… A…")
    page.goto(f"{base}/find/results/")
    expect(page.get_by_text("Blake Avoided")).to_have_count(0)


def test_an_anonymous_seeker_is_told_and_keeps_it_by_signing_up(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/find/")
    _first_two_screens(page)
    expect(page.get_by_text("Not saved: this lasts only for this visit.")).to_be_visible()
    page.get_by_label("Their email, full name or license number").first.fill("ex@example.test")
    page.get_by_role("button", name="Add and stay here").click()
    expect(page.get_by_text("Added for this visit only")).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="Create a free account to keep it").click()
    page.get_by_label("Email").fill("nurse@example.test")
    page.get_by_label("Password", exact=True).fill("a calm and long passphrase")
    page.get_by_label("Password again").fill("a calm and long passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Saved in your account: 1 person to avoid.")).to_be_visible()
    user = User.objects.get(email="nurse@example.test")
    assert [e.label for e in user.avoid_entries.all()] == ["e…@…"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reach_out_goes_through_find_and_back_to_the_request(
    live_server: LiveServer, browser: Browser, javascript: bool
) -> None:
    profile = make_profile(display_name="Morgan Vale", focus=("burnout",))
    seeker = _seeker()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, seeker.email)
    page.goto(f"{base}/therapists/{profile.pk}/")
    page.get_by_role("link", name="Reach out to Morgan Vale").click()
    expect(page.get_by_text("You're on your way to reach out to Morgan Vale.")).to_be_visible()
    if javascript:
        _clean(page)
    _first_two_screens(page)
    expect(page.get_by_text("You're on your way to reach out to Morgan Vale.")).to_be_visible()
    page.get_by_role("button", name="Save and go back to Morgan Vale").click()
    expect(page.get_by_role("heading", name="Reach out to Morgan Vale")).to_be_visible()
    if javascript:
        _clean(page)
    context.close()
