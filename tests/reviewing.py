"""Review pages in tests: post the confirm form as a browser would, from the page itself."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.test import Client

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class _ConfirmForm(HTMLParser):
    """The page's form that carries a ``review`` token: its action, hidden fields, and the
    confirm button's own name/value (a button named ``step`` with value ``confirm``)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self._current = (found.get("action", ""), {})
        elif self._current is not None and tag == "input" and found.get("type") == "hidden":
            self._current[1][found.get("name", "")] = found.get("value", "")
        elif self._current is not None and tag == "button" and found.get("value") == "confirm":
            self._current[1][found.get("name", "")] = "confirm"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def confirm_form(response: TestResponse, url: str) -> tuple[str, dict[str, str]]:
    """(where it posts, what it posts) for the review page in ``response``."""
    parser = _ConfirmForm()
    parser.feed(response.content.decode())
    for action, data in parser.forms:
        if "review" in data:
            data.pop("csrfmiddlewaretoken", None)
            return action or url, data
    raise AssertionError("no confirm form (with a review token) on this page")


def review_and_confirm(
    client: Client, url: str, data: dict[str, Any] | None = None, *, method: str = "post"
) -> tuple[TestResponse, TestResponse]:
    """Open the review (POST ``data``, or GET), then post its confirm form unchanged.
    Returns (the review page, the confirm's response)."""
    review = client.get(url) if method == "get" else client.post(url, data or {})
    assert review.status_code == 200, review.status_code
    action, confirm = confirm_form(review, url)
    return review, client.post(action, confirm)
