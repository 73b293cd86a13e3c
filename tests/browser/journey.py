"""A role's journey through the real server: at every step, axe-core must find nothing and a
screenshot is written at 1280 px and at 390 px, so a reviewer can look at what each person saw.

Screenshots go to ``build/screenshots/<journey>/NN-<step>-<width>.png`` (ignored by git; the
folder is emptied when the journey starts). ``HOLDSPACE_SCREENSHOTS`` moves the root folder and
``HOLDSPACE_SCREENSHOTS=off`` skips the pictures (axe still runs at both widths).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page

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
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        original = page.viewport_size
        problems: list[str] = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            problems += [f"{width}px {line}" for line in axe_violations(page)]
            if self.folder is not None:
                path = self.folder / f"{self.count:02d}-{slug}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
        if original is not None:
            page.set_viewport_size(original)
        assert problems == [], f"{self.name} step {self.count} ({label}) at {page.url}"
