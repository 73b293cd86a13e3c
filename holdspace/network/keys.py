"""The one place identifiers become keyed hashes (DESIGN.md: avoid-list entries are stored as
HMACs of the normalised email, license number or full name).

Everything that stores or compares a person identifier goes through :func:`person_key`, so the
same person typed as " Dana@Example.TEST " or "dana@example.test" gives the same digest, and
nobody holding the database can read the value back (the key lives only in the environment).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from holdspace.core.conflicts import IDENTIFIER_KINDS, normalise_identifier

DIGEST_LENGTH = 64  # hex characters of SHA-256


def person_key(kind: str, value: str) -> str:
    """HMAC-SHA256 (hex) of ``kind`` and the normalised ``value``.

    The kind is part of the message so that a name and a license number that happen to be the
    same text never collide. Raises ValueError for an unknown kind or an empty value.
    """
    if kind not in IDENTIFIER_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}")
    normalised = normalise_identifier(kind, value)
    key = settings.HMAC_KEY
    if not key:
        raise RuntimeError("HOLDSPACE_HMAC_KEY is not set")
    message = f"{kind}:{normalised}".encode()
    return hmac.new(str(key).encode(), message, hashlib.sha256).hexdigest()
