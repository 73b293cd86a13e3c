"""In real Chromium, with JavaScript on and off: an anonymous PHQ-9 with item 9 above 0 and other
answers missing opens on the crisis response (it owns the h1), then the problems, with every
answer kept; the Find needs screen likewise; and error pages are styled Holdspace pages. All
axe-core clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

CRISIS_HEADING = "You mentioned thoughts of being better off dead or of hurting yourself"


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def phone(javascript: bool, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    yield context.new_page()
    context.close()


def accessibility_problems(page: Page, browser: Browser, *, javascript: bool) -> list[str]:
    """axe-core's violations for the page as it is. axe needs JavaScript to run: a page shown
    without it has its very DOM loaded into a page with JavaScript at the same address (so the
    same stylesheets apply) and checked there."""
    if javascript:
        return axe_violations(page)
    context = browser.new_context(viewport=page.viewport_size)
    try:
        checked = context.new_page()
        checked.goto(page.url)
        checked.set_content(page.content())
        return axe_violations(checked)
    finally:
        context.close()


def answer(page: Page, number: int, label: str) -> None:
    group = page.get_by_role("group", name=f"Question {number} of", exact=False)
    group.get_by_label(label, exact=True).check()


def expect_crisis_first(page: Page, heading: str) -> None:
    """The crisis response is the first thing in the page's main content and owns its h1."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    resources = page.locator("#crisis-resources")
    expect(resources.get_by_role("link", name="Call 988")).to_be_visible()
    expect(resources.get_by_role("link", name="Text 988")).to_be_visible()
    expect(resources.get_by_role("link", name="1-888-409-0141")).to_be_visible()
    first = page.locator("main :is(h1, h2, h3, [role=alert], .notice)").first
    expect(first).to_have_id("crisis-resources")
    # On a phone the call button is on the first screen, without scrolling.
    box = resources.get_by_role("link", name="Call 988").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 844


@pytest.mark.parametrize("skipped", [list(range(1, 9)), [4]], ids=["item-9-alone", "one-skipped"])
def test_phq9_risk_answer_with_answers_missing(
    live_server: LiveServer, browser: Browser, phone: Page, javascript: bool, skipped: list[int]
) -> None:
    page = phone
    page.goto(f"{live_server.url}/check-in/phq9/")
    for number in range(1, 10):
        if number not in skipped:
            answer(page, number, "Several days" if number == 9 else "Not at all")
    page.get_by_role("button", name="See my results").click()

    expect_crisis_first(page, CRISIS_HEADING)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    for number in skipped:
        expect(summary.get_by_role("link", name=f"Question {number}:")).to_be_visible()
    main = page.locator("main").inner_html()
    assert main.index('id="crisis-resources"') < main.index('id="error-summary"')
    # Nothing chosen is lost.
    item9 = page.get_by_role("group", name="Question 9 of", exact=False)
    assert item9.get_by_label("Several days", exact=True).is_checked()
    assert accessibility_problems(page, browser, javascript=javascript) == []

    # Answering the rest gives the results, crisis response still first.
    for number in skipped:
        answer(page, number, "Not at all")
    page.get_by_role("button", name="See my results").click()
    expect_crisis_first(page, CRISIS_HEADING)
    expect(page.get_by_role("heading", name="Your PHQ-9 results")).to_be_visible()
    assert accessibility_problems(page, browser, javascript=javascript) == []


def test_find_needs_with_the_crisis_choice_and_a_bad_answer(
    live_server: LiveServer, browser: Browser, phone: Page, javascript: bool
) -> None:
    page = phone
    page.goto(f"{live_server.url}/find/")
    page.get_by_label("Where will you be during sessions?").select_option("US-CO")
    page.get_by_label("Video").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Thoughts of ending my life").check()
    page.get_by_label("Most you'd like to pay", exact=False).fill("99999")
    page.get_by_role("button", name="Continue").click()

    expect_crisis_first(page, "You said you have thoughts of ending your life")
    expect(page.get_by_text("Ensure this value is less than or equal to 2000.")).to_be_visible()
    expect(page.get_by_label("Thoughts of ending my life")).to_be_checked()
    assert accessibility_problems(page, browser, javascript=javascript) == []


def test_error_pages_are_styled_and_accessible(
    live_server: LiveServer, browser: Browser, phone: Page, javascript: bool
) -> None:
    page = phone
    for path, heading in [
        ("/no-such-page-here/", "We couldn’t find that page"),
        ("/check-in/save/", "This address can’t be opened directly"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("region", name="Crisis support")).to_contain_text(
            "In crisis? Call or text 988 (US)."
        )
        expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
        # The stylesheet loaded: the crisis strip has its dark background, not the default.
        background = page.locator(".crisis-strip").evaluate(
            "element => getComputedStyle(element).backgroundColor"
        )
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        assert accessibility_problems(page, browser, javascript=javascript) == []
