"""A seeker completes the three Find screens and gets a shortlist; every screen is axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.matching.answers import SESSION_KEY
from tests.browser.conftest import axe_violations
from tests.factories import affiliate, make_entity, make_profile

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seeker_finds_a_shortlist_in_three_screens(live_server: LiveServer, page: Page) -> None:
    kept = make_profile(licenses=("US-CO",), display_name="Avery Kept", focus=("burnout",))
    tied = make_profile(licenses=("US-CO",), display_name="Blake Tied", focus=("burnout",))
    unit = make_entity("Mercy General ICU")
    affiliate(tied.user, unit)

    page.goto(f"{live_server.url}/find/")
    expect(page.get_by_role("heading", name="Where you'll be, and how you'd like to meet"))
    assert axe_violations(page) == []
    page.get_by_label("Where will you be during sessions?").select_option("US-CO")
    page.get_by_label("Video").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="What's weighing on you")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Burnout").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Keep your world separate")).to_be_visible()
    assert axe_violations(page) == []
    name = page.get_by_label("Name of the place or group")
    name.fill("Mercy Gen")  # the script asks the shared search and fills the suggestions
    expect(page.locator("datalist option[value='Mercy General ICU']")).to_have_count(1)
    name.fill("Mercy General ICU")
    expect(page.locator("input[name='place-entity']")).to_have_value(str(unit.pk))
    page.get_by_label("Their email, full name or license number").first.fill("ex@example.test")
    page.get_by_role("button", name="Add and stay here").click()
    expect(page.get_by_role("list", name="Places you added")).to_contain_text("Mercy General ICU")
    expect(page.get_by_role("list", name="People to avoid")).to_contain_text("e…@…")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Show my shortlist").click()

    expect(page.get_by_role("heading", name="Your shortlist")).to_be_visible()
    expect(page.get_by_role("link", name="Avery Kept", exact=True)).to_be_visible()
    expect(page.get_by_text("Blake Tied")).to_have_count(0)
    assert "ex@example.test" not in page.content()
    assert axe_violations(page) == []
    assert kept.pk


def test_crisis_choice_shows_resources_on_the_next_page(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/find/")
    page.get_by_label("Where will you be during sessions?").select_option("US-CO")
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Thoughts of ending my life").check()
    page.get_by_role("button", name="Continue").click()
    crisis = page.locator("#crisis-resources")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name="Call 988")).to_be_visible()
    assert axe_violations(page) == []
    assert SESSION_KEY
