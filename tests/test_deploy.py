"""`manage.py check --deploy` reports nothing with production settings, and refuses to start
without the production secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "Xq9#Lm2$Zt" * 5,
    "HOLDSPACE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "HOLDSPACE_HMAC_KEY": "production-hmac-key-for-the-check",
    "ALLOWED_HOSTS": "holdspace.example",
    "EMAIL_HOST": "smtp.holdspace.example",
    "DATABASE_URL": f"sqlite:////tmp/holdspace-deploy-test-{os.getpid()}.sqlite3",
}


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Start from the real environment without the test suite's development defaults.
    test_only = {*PRODUCTION, "EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_an_encryption_key() -> None:
    environment = {k: v for k, v in PRODUCTION.items() if k != "HOLDSPACE_ENCRYPTION_KEYS"}
    result = manage("check", environment=environment)
    assert result.returncode != 0
    assert "HOLDSPACE_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr
