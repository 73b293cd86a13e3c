"""Test-wide settings: safe defaults for the environment, then load Django.

Values already in the environment win, so ``make test`` can point the same suite at
PostgreSQL with DATABASE_URL. Django is set up here, before any test module or fixture
imports models; pytest-django then takes over (test databases, settings fixture).
"""

from __future__ import annotations

import os

import django
import hypothesis

TEST_ENVIRONMENT = {
    # DEBUG=1 only shapes the settings (dev keys, no HTTPS redirect); pytest-django still runs
    # every test with settings.DEBUG = False.
    "DEBUG": "1",
    "HOLDSPACE_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=",
    "HOLDSPACE_HMAC_KEY": "test-only-hmac-key",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DJANGO_SETTINGS_MODULE": "holdspace.settings",
}

for name, value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(name, value)

django.setup()

# Property tests: no per-example deadline (make test runs the SQLite and PostgreSQL suites side
# by side on two cores, so timings vary), and a fixed seed so that a green suite stays green
# on every machine. HYPOTHESIS_PROFILE=explore draws fresh random examples to hunt for bugs.
hypothesis.settings.register_profile("ci", deadline=None, derandomize=True, database=None)
hypothesis.settings.register_profile("explore", deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
