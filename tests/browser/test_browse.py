"""Browsing on a phone: the filters fold away (and say how many are on), page numbers, a
profile and back to the same filtered page, saving two therapists and comparing them; the
coordinator's page for a program that starts later. Real Chromium, axe-core clean at 390 px."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.accounts.models import Role, User
from holdspace.directory import views
from holdspace.directory.models import SavedTherapist
from holdspace.programs import services as programs
from tests.browser.conftest import axe_violations
from tests.conftest import client_for
from tests.factories import make_profile, make_user
from tests.programs.helpers import make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db(transaction=True)


def clean(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def signed_in(browser: Browser, base: str, user: User, width: int = 390) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 844})
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )
    return context.new_page()


def chosen(url: str) -> dict[str, list[str]]:
    """The filters and page in a browse address (empty choices are no choice)."""
    return parse_qs(urlsplit(url).query)


def test_browse_on_a_phone_then_a_profile_and_back(
    live_server: LiveServer, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # the live server runs in this process
    for number in range(1, 8):
        make_profile(display_name=f"Colorado {number}", licenses=("US-CO",), focus=("burnout",))
    make_profile(display_name="Texas Only", licenses=("US-TX",))
    base = live_server.url
    page.goto(f"{base}/therapists/")
    filters = page.locator("details.filters")
    expect(filters).not_to_have_attribute("open", "")  # folded on a phone
    expect(page.get_by_text("No filters on")).to_be_visible()
    expect(page.get_by_role("heading", name="8 therapists")).to_be_visible()
    clean(page)

    page.get_by_text("Narrow the list").click()
    page.get_by_label("Where you'll be during sessions").select_option("US-CO")
    page.get_by_label("What's weighing on you").select_option("burnout")
    page.get_by_role("button", name="Show therapists").click()
    expect(page.get_by_role("heading", name="7 therapists who can see you")).to_be_visible()
    expect(page.get_by_text("2 filters on")).to_be_visible()
    expect(filters).not_to_have_attribute("open", "")

    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator('[aria-current="page"]')).to_have_text(re.compile(r"Page\s*1"))
    pages.get_by_role("link", name="Page 3").click()
    expect(page.get_by_text("Showing 5–6 · page 3 of 4")).to_be_visible()
    clean(page)
    results_url = page.url

    name = page.locator(".profile-card h3 a").first.inner_text()
    page.locator(".profile-card h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    clean(page)
    page.get_by_role("link", name="← Back to results").click()
    expect(page.get_by_text("Showing 5–6 · page 3 of 4")).to_be_visible()
    assert chosen(page.url) == chosen(results_url)
    assert page.get_by_label("Where you'll be during sessions").input_value() == "US-CO"

    # The browser's own back button works too: the filters live in the address.
    page.locator(".profile-card h3 a").first.click()
    page.go_back()
    expect(page.get_by_text("Showing 5–6 · page 3 of 4")).to_be_visible()

    # An out-of-range page shows the last one, calmly.
    page.goto(f"{results_url.split('?')[0]}?location=US-CO&focus=burnout&page=99")
    expect(page.get_by_text("There are only 4 pages of results")).to_be_visible()
    clean(page)


def test_save_two_therapists_and_compare_them(live_server: LiveServer, browser: Browser) -> None:
    make_profile(display_name="Dana Reyes", fee=140, licenses=("US-CO", "US-NM"))
    make_profile(display_name="Sam Okafor", fee=90, formats=("phone",), licenses=("US-TX",))
    base = live_server.url
    seeker = make_user(Role.SEEKER)
    page = signed_in(browser, base, seeker)
    page.goto(f"{base}/therapists/")
    for name in ("Dana Reyes", "Sam Okafor"):
        page.get_by_role("button", name=f"Save {name} to compare").click()
        expect(page.get_by_text(f"Saved {name} to compare.")).to_be_visible()
    page.get_by_role("link", name="Compare the 2 therapists you saved").click()
    expect(page.get_by_role("heading", name="Compare therapists")).to_be_visible()
    cards = page.locator(".compare__card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("$140 per session")
    expect(cards.nth(1)).to_contain_text("Texas")
    # Stacked on a phone...
    first, second = (cards.nth(i).bounding_box() for i in (0, 1))
    assert first is not None
    assert second is not None
    assert second["y"] > first["y"] + first["height"] - 1
    clean(page)

    # ... side by side on a wide screen, each fact on the same line across the cards.
    page.set_viewport_size({"width": 1280, "height": 900})
    first, second = (cards.nth(i).bounding_box() for i in (0, 1))
    assert first is not None
    assert second is not None
    assert first["y"] == second["y"]
    fees = [cards.nth(i).get_by_text("Licensed in").bounding_box() for i in (0, 1)]
    assert fees[0] is not None
    assert fees[1] is not None
    assert abs(fees[0]["y"] - fees[1]["y"]) < 1
    clean(page)

    cards.nth(1).get_by_role("button", name="Remove Sam Okafor").click()
    expect(page.get_by_text("Removed from your compare list.")).to_be_visible()
    expect(cards).to_have_count(1)
    assert [s.profile.display_name for s in SavedTherapist.objects.filter(user=seeker)] == [
        "Dana Reyes"
    ]


def test_a_visitor_is_told_the_list_lasts_this_visit(live_server: LiveServer, page: Page) -> None:
    make_profile(display_name="Dana Reyes")
    page.goto(f"{live_server.url}/therapists/")
    page.get_by_role("button", name="Save Dana Reyes to compare").click()
    expect(page.get_by_text("Your list lasts for this visit only.")).to_be_visible()
    page.goto(f"{live_server.url}/therapists/compare/")
    expect(page.get_by_role("link", name="create an account")).to_be_visible()
    clean(page)


def test_the_coordinator_page_of_a_program_that_starts_later(
    live_server: LiveServer, browser: Browser
) -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation, starts=timezone.localdate() + dt.timedelta(days=20))
    programs.create_invitation(program=program, email="waiting@example.test")
    _, token = programs.create_invitation(program=program, email="joins@example.test")
    programs.accept_invitation(
        token=token, therapist=make_profile(display_name="Morgan Vale").user, capacity=2
    )
    page = signed_in(browser, live_server.url, coordinator)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    expect(page.get_by_text(re.compile(r"Opens on \d+ \w+ \d{4}"))).to_be_visible()
    expect(page.get_by_text("Open for enrollment")).to_have_count(0)
    expect(page.get_by_role("link", name="Review and run allocation")).to_have_count(0)
    invitations = page.get_by_role("region", name="Therapist invitations")
    expect(invitations).to_contain_text(re.compile(r"Invited\s*2"))
    expect(invitations).to_contain_text(re.compile(r"Not answered\s*1"))
    expect(invitations.get_by_role("row", name=re.compile("joins@example.test"))).to_contain_text(
        "Joined"
    )
    clean(page)
