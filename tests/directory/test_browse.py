"""Browsing the directory: a capped total, page numbers, out-of-range pages, and filters that
survive a visit to a profile (its "Back to results" link)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from holdspace.directory import views
from holdspace.paging import page_links, requested_page
from tests.factories import make_profile

BROWSE = reverse("directory:browse")


class Pagination(HTMLParser):
    """The page navigation as a person reads it: "Previous", "1", "…", "[4]" (the current
    page), "Next"; and the links' targets."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.items: list[str] = []
        self.hrefs: dict[str, str] = {}
        self._current = False
        self._href = ""
        self._text = ""
        self._in_item = False
        self.label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "pagination" in (found.get("class") or ""):
            self.inside, self.label = True, found.get("aria-label") or ""
        elif self.inside and tag == "li":
            self._in_item, self._text, self._current, self._href = True, "", False, ""
        elif self.inside and tag == "a":
            self._current = found.get("aria-current") == "page"
            self._href = found.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False
        elif self.inside and tag == "li" and self._in_item:
            text = " ".join(self._text.split()).replace("Page ", "").replace(" page", "")
            self.items.append(f"[{text}]" if self._current else text)
            if self._href:
                self.hrefs[text] = self._href
            self._in_item = False

    def handle_data(self, data: str) -> None:
        if self._in_item:
            self._text += data


def pagination(html: str) -> Pagination:
    parser = Pagination()
    parser.feed(html)
    return parser


def heading(html: str) -> str:
    match = re.search(r'<h2 id="results-heading">(.*?)</h2>', html, re.S)
    assert match, "no results heading"
    return " ".join(match.group(1).split())


def get(params: dict[str, str] | None = None) -> str:
    response = Client().get(BROWSE, params or {})
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def nine(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nine listed therapists, one per page."""
    for number in range(1, 10):
        make_profile(display_name=f"Person {number}")
    monkeypatch.setattr(views, "PAGE_SIZE", 1)


# --- the pure part: which page numbers to show ---------------------------------------------


def numbers(current: int, last: int, *, more: bool = False) -> str:
    return " ".join(
        "…" if link.number is None else f"[{link.number}]" if link.current else str(link.number)
        for link in page_links(current, last, more=more)
    )


def test_page_numbers_show_a_window_with_gaps() -> None:
    assert numbers(5, 20) == "1 … 4 [5] 6 … 20"
    assert numbers(1, 20) == "[1] 2 … 20"
    assert numbers(20, 20) == "1 … 19 [20]"
    assert numbers(3, 20) == "1 2 [3] 4 … 20"  # never "1 … 2": a gap hides two or more
    assert numbers(2, 3) == "1 [2] 3"
    assert numbers(1, 1) == ""  # one page needs no numbers
    assert numbers(50, 50, more=True) == "1 … 49 [50] …"  # more pages than we counted


def test_a_requested_page_is_read_safely() -> None:
    assert requested_page(None) == 1
    assert requested_page("") == 1
    assert requested_page("3") == 3
    for nonsense in ("abc", "-4", "0", "2.5", "1e9", "９", "9" * 40):
        assert requested_page(nonsense) is None, nonsense


# --- the page -----------------------------------------------------------------------------


def test_the_total_counts_every_match_not_just_this_page(nine: None) -> None:
    html = get()
    assert heading(html) == "9 therapists"
    assert "Showing 1–1 · page 1 of 9" in html


def test_the_total_is_capped_and_counted_with_a_limit(
    nine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as queries:
        html = get()
    assert heading(html) == "More than 5 therapists"
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the total is counted in the database"
    assert all("LIMIT 6" in sql for sql in counts), counts  # never counts past the cap
    # Page numbers stop at the pages the capped count vouches for, with a gap after.
    assert pagination(html).items == ["[1]", "2", "…", "5", "…", "Next"]


def test_page_numbers_link_to_their_pages_and_keep_the_filters(nine: None) -> None:
    html = get({"page": "5", "location": "US-CO"})
    nav = pagination(html)
    assert nav.label == "Pages"
    assert nav.items == ["Previous", "1", "…", "4", "[5]", "6", "…", "9", "Next"]
    assert parse_qs(urlsplit(nav.hrefs["9"]).query) == {"page": ["9"], "location": ["US-CO"]}
    assert parse_qs(urlsplit(nav.hrefs["Previous"]).query)["page"] == ["4"]
    assert heading(html) == "9 therapists who can see you"
    assert "Showing 5–5 · page 5 of 9" in html


@pytest.mark.parametrize(
    ("page", "shown", "note"),
    [
        ("999", "[9]", "There are only 9 pages of results for these choices, so here is the last"),
        ("10", "[9]", "There are only 9 pages of results"),
        ("abc", "[1]", "That page number didn't work, so here is the first page."),
        ("-2", "[1]", "That page number didn't work"),
        ("0", "[1]", "That page number didn't work"),
        ("99999999999999999999", "[1]", "That page number didn't work"),
    ],
)
def test_an_out_of_range_page_shows_the_nearest_page_with_a_note(
    nine: None, page: str, shown: str, note: str
) -> None:
    response = Client().get(BROWSE, {"page": page})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert note in html
    assert shown in pagination(html).items
    assert "therapist-" in html  # a page of results, not an empty one


def test_a_page_past_the_end_of_a_short_list_says_there_is_only_one(db: None) -> None:
    make_profile(display_name="Only One")
    html = get({"page": "3"})
    assert "There is only one page of results for these choices, so here it is." in html
    assert "Only One" in html
    assert pagination(html).items == []


def test_the_filters_summary_counts_the_filters_that_are_on(db: None) -> None:
    make_profile()
    assert "No filters on" in get()
    html = get({"location": "US-CO", "focus": "burnout", "max_fee": "200"})
    assert "3 filters on" in html
    assert '<details class="filters card" open' in html  # open without JavaScript


def test_a_wrong_filter_is_reported_and_the_others_still_apply(db: None) -> None:
    make_profile(display_name="In Colorado", licenses=("US-CO",))
    make_profile(display_name="In Texas", licenses=("US-TX",))
    html = get({"location": "US-CO", "max_fee": "lots"})
    assert "Some choices couldn't be used" in html
    assert "Enter a whole number of dollars" in html
    assert "In Colorado" in html
    assert "In Texas" not in html
    assert "data-keep-open" in html  # the phone script leaves the filters open to fix


# --- back from a profile ------------------------------------------------------------------


def profile_link(html: str, name: str) -> str:
    match = re.search(r'<a href="([^"]+)">' + re.escape(name) + "</a>", html)
    assert match, f"no link to {name}"
    return match.group(1)


def back_link(html: str) -> str:
    match = re.search(r'<a href="([^"]+)">← Back to results</a>', html)
    assert match, "no back link"
    return match.group(1).replace("&amp;", "&")


def test_the_profile_links_back_to_the_same_filtered_page(nine: None) -> None:
    filters = {"location": "US-CO", "focus": "burnout", "language": "en", "page": "3"}
    results = get(filters)
    shown = re.findall(r">(Person \d)</a>", results)
    assert len(shown) == 1
    link = profile_link(results, shown[0])
    profile = Client().get(link).content.decode()
    back = back_link(profile)
    target = urlsplit(back)
    assert target.path == BROWSE
    assert {k: v[0] for k, v in parse_qs(target.query).items()} == filters
    assert target.fragment.startswith("therapist-")
    # Following it shows the same page of the same filtered list.
    again = unescape(Client().get(back).content.decode())
    assert heading(again) == heading(results)
    assert "Showing 3–3 · page 3 of 9" in again
    assert shown[0] in again


def test_the_back_link_only_ever_leads_to_browse_with_known_filters(db: None) -> None:
    profile = make_profile(display_name="Robin")
    url = reverse("directory:profile", args=[profile.pk])
    sneaky = "next=https://evil.example/&location=US-CO&script=<x>&focus=" + "a" * 80
    html = Client().get(url, {"from": sneaky}).content.decode()
    back = urlsplit(back_link(html))
    assert back.path == BROWSE
    assert not back.netloc
    assert parse_qs(back.query) == {"location": ["US-CO"]}


def test_a_profile_opened_from_elsewhere_offers_all_therapists(db: None) -> None:
    profile = make_profile(display_name="Robin")
    html = Client().get(reverse("directory:profile", args=[profile.pk])).content.decode()
    assert "← All therapists" in html
    assert "Back to results" not in html
