"""Page numbers for long lists: which numbers to show, and reading a requested page safely."""

from __future__ import annotations

from dataclasses import dataclass

from holdspace.numbers import small_int


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None is a gap ("…")
    current: bool = False


def page_links(current: int, last: int, *, more: bool = False, around: int = 1) -> list[PageLink]:
    """The first page, the last, and ``around`` pages either side of ``current``, with gaps:
    ``1 … 4 5 6 … 20``. A gap never hides a single page (``1 2 3``, not ``1 … 3``). With
    ``more``, there are pages after ``last`` whose count we did not take: a gap ends the row."""
    if last <= 1 and not more:
        return []
    shown = {1, last, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= last)
    links: list[PageLink] = []
    previous = 0
    for number in numbers:
        if number - previous == 2:
            links.append(PageLink(previous + 1))
        elif number - previous > 2:
            links.append(PageLink(None))
        links.append(PageLink(number, current=number == current))
        previous = number
    if more:
        links.append(PageLink(None))
    return links


def requested_page(text: str | None) -> int | None:
    """The page number asked for: 1 when none was given, None when it is not a page number
    (``abc``, ``-3``, ``0``, ``1e9``), so the caller can say so and show the first page."""
    if text is None or text == "":
        return 1
    number = small_int(text.strip(), digits=6)
    return number if number else None
