"""Encryption at rest with the keys in ``settings.ENCRYPTION_KEYS`` (Fernet, newest first).

New tokens always use the newest key; any listed key decrypts, so a key is rotated by putting a
new one first, running ``manage.py rotate_keys``, then dropping the old one. A token no listed
key opens raises ``DecryptionError``: callers never get ciphertext or an empty string back.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """Encrypted data that none of the configured keys can open (a wrong or missing key)."""


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise DecryptionError("No encryption keys are configured (HOLDSPACE_ENCRYPTION_KEYS).")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    # Keyed on the setting's value, so a changed setting (rotation, tests) takes effect at once.
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptionError(
            "Encrypted data could not be decrypted with any configured key "
            "(check HOLDSPACE_ENCRYPTION_KEYS)."
        ) from error


def rotate(token: str) -> str:
    """The same plaintext under the newest key."""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptionError("Cannot rotate: no configured key opens this token.") from error
