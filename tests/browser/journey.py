"""A role's journey through the real server: at every step, axe-core must find nothing and a
screenshot is written at 1280 px and at 390 px, so a reviewer can look at what each person saw.

Screenshots go to ``build/screenshots/<journey>/NN-<step>-<width>.png`` (ignored by git; the
folder is emptied when the journey starts). ``HOLDSPACE_SCREENSHOTS`` moves the root folder and
``HOLDSPACE_SCREENSHOTS=off`` skips the pictures (axe still runs at both widths).

``JourneyWithoutScript`` walks the pages that promise to work with JavaScript off.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request

from tests.browser.conftest import axe_violations

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)
HEIGHTS = {1280: 900, 390: 844}


def screenshot_root() -> Path | None:
    setting = os.environ.get("HOLDSPACE_SCREENSHOTS", "")
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else ROOT / "build" / "screenshots"


class Journey:
    """Steps of one person's journey, numbered in the order they happen."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        root = screenshot_root()
        self.folder = root / name if root is not None else None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)

    def step(self, page: Page, label: str) -> None:
        """Check the page as it is now at both widths (axe-core clean), and photograph it."""
        self._record(page, label, checked=page)

    def _record(self, page: Page, label: str, *, checked: Page | None) -> None:
        """Photograph ``page`` at each width, running axe-core at that width in ``checked``
        (``page`` itself, a stand-in for it, or None for no check)."""
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        pages = [page] if checked in (None, page) else [page, checked]
        originals = [each.viewport_size for each in pages]
        problems: list[str] = []
        for width in WIDTHS:
            for each in pages:
                each.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            if checked is not None:
                problems += [f"{width}px {line}" for line in axe_violations(checked)]
            if self.folder is not None:
                path = self.folder / f"{self.count:02d}-{slug}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
        for each, original in zip(pages, originals, strict=True):
            if original is not None:
                each.set_viewport_size(original)
        assert problems == [], f"{self.name} step {self.count} ({label}) at {page.url}"


class JourneyWithoutScript(Journey):
    """A journey in ``page``, whose context has JavaScript off. axe-core is JavaScript itself,
    so it cannot run there: a page reached by GET is opened again at the same address in
    ``checker`` (JavaScript on, the person's cookies copied over) and checked there. A page
    only a POST returns (a form sent back, a review step) cannot be opened by its address:
    its step must say why it isn't checked, and where else that page is."""

    def __init__(self, name: str, *, page: Page, checker: Page) -> None:
        super().__init__(name)
        self.checker = checker
        self.last_method = "GET"  # of the main frame's last navigation (after redirects)

        def remember(request: Request) -> None:
            if request.is_navigation_request() and request.frame == page.main_frame:
                self.last_method = request.method

        page.on("request", remember)

    def step(self, page: Page, label: str, *, not_checked_because: str = "") -> None:
        method = self.last_method
        if method != "GET":
            assert not_checked_because, (
                f"{label}: a {method} response can't be opened again to check it with "
                "axe-core; say why it isn't checked (not_checked_because=...)"
            )
            self._record(page, label, checked=None)
            return
        assert not not_checked_because, f"{label}: a GET page is checked at its address"
        context = self.checker.context
        context.clear_cookies()
        cookies: list[Any] = list(page.context.cookies())  # each is a valid SetCookieParam too
        context.add_cookies(cookies)
        self.checker.goto(page.url)
        # Scripts may act just after loading (the time-zone script reloads a page once).
        self.checker.wait_for_load_state("networkidle")
        self._record(page, label, checked=self.checker)
