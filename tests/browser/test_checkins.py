"""A visitor takes check-ins in real Chromium on a phone-sized viewport: GAD-7 to results, PHQ-9
with item 9 above 0 opening on crisis resources, a ProQOL 5 read through; axe-core clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from holdspace.checkins.models import CheckIn
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def answer(page: Page, number: int, label: str) -> None:
    group = page.get_by_role("group", name=f"Question {number} of", exact=False)
    group.get_by_label(label, exact=True).check()


def test_visitor_completes_a_gad7_check_in(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/check-in/")
    expect(page.get_by_role("heading", name="Check in with yourself")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Start the GAD-7").click()
    expect(page.get_by_role("heading", name="GAD-7", exact=True)).to_be_visible()
    expect(page.get_by_text("7 questions and 1 optional · about 2 minutes")).to_be_visible()
    assert axe_violations(page) == []

    # Leave question 4 out: the page says so beside it and keeps the other answers.
    for number in (1, 2, 3, 5, 6, 7):
        answer(page, number, "Several days")
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", name="A few answers need another look")).to_be_visible()
    expect(page.get_by_role("link", name="Question 4: Please choose an answer")).to_be_visible()
    assert (
        page.get_by_role("group", name="Question 1 of")
        .get_by_label("Several days", exact=True)
        .is_checked()
    )
    assert axe_violations(page) == []

    answer(page, 4, "Nearly every day")
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", name="Your GAD-7 results")).to_be_visible()
    expect(page.locator(".score-value")).to_have_text("9")
    expect(page.get_by_text("Nothing from this check-in has been stored.")).to_be_visible()
    expect(page.get_by_role("link", name="Find a therapist").last).to_be_visible()
    assert axe_violations(page) == []
    assert CheckIn.objects.count() == 0


def test_phq9_item_9_opens_with_crisis_resources_without_javascript(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/check-in/phq9/")
        for number in range(1, 10):
            answer(page, number, "Several days" if number == 9 else "Not at all")
        page.get_by_role("button", name="See my results").click()
        crisis = page.get_by_role("heading", level=1)
        expect(crisis).to_have_text(
            "You mentioned thoughts of being better off dead or of hurting yourself"
        )
        resources = page.locator("#crisis-resources")
        expect(resources.get_by_role("link", name="Call 988")).to_be_visible()
        expect(resources.get_by_role("link", name="Text 988")).to_be_visible()
        expect(resources.get_by_role("link", name="1-888-409-0141")).to_be_visible()
        # The crisis block comes before the first score in the page itself.
        main = page.locator("main").inner_html()
        assert main.index('id="crisis-resources"') < main.index("score-value")
    finally:
        context.close()


def test_crisis_results_are_axe_clean(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/check-in/phq9/")
    for number in range(1, 10):
        answer(page, number, "More than half the days")
    page.get_by_role("button", name="See my results").click()
    expect(page.locator("#crisis-resources")).to_be_visible()
    assert axe_violations(page) == []


def test_proqol_on_a_phone_with_the_chosen_word(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/check-in/")
    page.get_by_label("The word for your role").select_option("nurse")
    page.get_by_role("button", name="Start the ProQOL 5").click()
    expect(page.get_by_text("I feel trapped by my job as a nurse.")).to_be_visible()
    assert axe_violations(page) == []
    for number in range(1, 31):
        answer(page, number, "Sometimes")
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", name="Your ProQOL 5 results")).to_be_visible()
    expect(page.get_by_role("heading", name="Compassion satisfaction")).to_be_visible()
    expect(page.get_by_role("link", name="https://proqol.org")).to_be_visible()
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
