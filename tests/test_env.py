"""Settings helpers fail loudly on bad values instead of guessing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from holdspace.env import (
    env_bool,
    env_database,
    env_fernet_keys,
    env_int,
    env_list,
    env_secret_key,
    env_str,
)

GOOD_FERNET = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU="


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)]
)
def test_bool_reads_common_spellings(raw: str, expected: bool) -> None:
    assert env_bool("DEBUG", False, environ={"DEBUG": raw}) is expected


def test_bool_rejects_anything_else() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


def test_bool_default_when_unset() -> None:
    assert env_bool("DEBUG", True, environ={}) is True


def test_int_rejects_words_and_values_below_minimum() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": "five"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("EMAIL_PORT", 587, minimum=1, environ={"EMAIL_PORT": "0"})
    assert env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": " 2525 "}) == 2525


def test_list_splits_and_rejects_empty_items() -> None:
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.test, b.test"}) == [
        "a.test",
        "b.test",
    ]
    with pytest.raises(ImproperlyConfigured, match="without empty items"):
        env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.test,,b.test"})


def test_required_string_must_be_set() -> None:
    with pytest.raises(ImproperlyConfigured, match="HOLDSPACE_HMAC_KEY must be set"):
        env_str("HOLDSPACE_HMAC_KEY", environ={})


def test_secret_key_required_and_strong_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="must be set when DEBUG is off"):
        env_secret_key("SECRET_KEY", debug=False, environ={})
    with pytest.raises(ImproperlyConfigured, match="at least 50"):
        env_secret_key("SECRET_KEY", debug=False, environ={"SECRET_KEY": "short"})
    strong = "k" * 20 + "Q7#pz" * 8
    assert env_secret_key("SECRET_KEY", debug=False, environ={"SECRET_KEY": strong}) == strong
    assert env_secret_key("SECRET_KEY", debug=True, environ={}).startswith("dev-only")


def test_encryption_keys_must_be_fernet_keys() -> None:
    with pytest.raises(ImproperlyConfigured, match="key 2 is not a Fernet key"):
        env_fernet_keys(
            "KEYS", debug=False, dev_default=GOOD_FERNET, environ={"KEYS": f"{GOOD_FERNET},nope"}
        )
    with pytest.raises(ImproperlyConfigured, match="must be set when DEBUG is off"):
        env_fernet_keys("KEYS", debug=False, dev_default=GOOD_FERNET, environ={})
    keys = env_fernet_keys(
        "KEYS", debug=False, dev_default="", environ={"KEYS": f"{GOOD_FERNET}, {GOOD_FERNET}"}
    )
    assert keys == [GOOD_FERNET, GOOD_FERNET]


def test_database_defaults_to_sqlite_with_immediate_transactions(tmp_path: Path) -> None:
    database = env_database("DATABASE_URL", base_dir=tmp_path, environ={})
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_reads_postgres_urls(tmp_path: Path) -> None:
    url = "postgres://holder:s%40fe@db.internal:5433/holdspace?sslmode=require"
    database = env_database("DATABASE_URL", base_dir=tmp_path, environ={"DATABASE_URL": url})
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("holder", "s@fe")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        "5433",
        "holdspace",
    )
    assert database["OPTIONS"] == {"sslmode": "require"}


def test_database_reads_sqlite_urls(tmp_path: Path) -> None:
    absolute = env_database(
        "DATABASE_URL", base_dir=tmp_path, environ={"DATABASE_URL": "sqlite:////tmp/x.db"}
    )
    relative = env_database(
        "DATABASE_URL", base_dir=tmp_path, environ={"DATABASE_URL": "sqlite:///x.db"}
    )
    assert absolute["NAME"] == "/tmp/x.db"
    assert relative["NAME"] == "x.db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "must start with postgres:// or sqlite:///"),
        ("postgres://u@h:port/db", "the port is not a number"),
        ("postgres://u@h:5432/", "needs a host and a database name"),
        ("sqlite:///", "needs a file path"),
    ],
)
def test_database_rejects_bad_urls(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        env_database("DATABASE_URL", base_dir=tmp_path, environ={"DATABASE_URL": url})
