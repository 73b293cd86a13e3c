"""Small, strict readers for settings from environment variables.

Each helper fails loudly (ImproperlyConfigured naming the variable) instead of guessing.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items")
    return items


def env_secret_key(name: str, *, debug: bool, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value:
        if not debug and (len(value) < 50 or len(set(value)) < 5):
            raise ImproperlyConfigured(
                f"{name} must be at least 50 random characters in production"
            )
        return value
    if debug:
        return "dev-only-insecure-key-" + "x" * 40
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


def env_fernet_keys(
    name: str, *, debug: bool, dev_default: str, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Comma-separated Fernet keys, newest first; older keys still decrypt (rotation)."""
    value = _raw(name, environ)
    if not value:
        if debug:
            return [dev_default]
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    keys = env_list(name, [], environ={name: value})
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 url-safe base64 bytes); "
                "make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            )
    return keys


def env_database(
    name: str, *, base_dir: Path, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """SQLite file by default; ``postgres://user:pass@host:port/db`` or ``sqlite:///path``."""
    value = _raw(name, environ)
    if not value:
        return _sqlite(base_dir / "db.sqlite3")
    url = urlsplit(value)
    if url.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db, as dj-database-url reads them.
        path = unquote(url.path)[1:]
        if not path:
            raise ImproperlyConfigured(
                f"{name}: a sqlite URL needs a file path, like sqlite:///db.sqlite3"
            )
        return _sqlite(Path(path))
    if url.scheme in {"postgres", "postgresql"}:
        database = unquote(url.path.lstrip("/"))
        if not database or not url.hostname:
            raise ImproperlyConfigured(f"{name}: a postgres URL needs a host and a database name")
        try:
            port = url.port
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the port is not a number") from None
        options = dict(parse_qsl(url.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname,
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{name} must start with postgres:// or sqlite:///, not {url.scheme or value!r}"
    )


def _sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of failing.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
