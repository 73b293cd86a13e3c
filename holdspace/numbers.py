"""Reading ids and indexes from request parameters."""

from __future__ import annotations


def small_int(text: str, *, digits: int = 9) -> int | None:
    """The number in ``text`` if it is a short run of ASCII digits, else None.

    ``str.isdigit`` alone lets through other scripts' digits (``int`` refuses some, like "²")
    and numbers too large for ``int`` or for a database column: a server error either way.
    """
    if text.isascii() and text.isdigit() and len(text) <= digits:
        return int(text)
    return None
