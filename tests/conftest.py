from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role, User
from tests.factories import make_user, with_mfa


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings, request: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that check hashing itself are marked ``argon2``."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate-limit counters and used TOTP codes live in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def seeker(db: None) -> User:
    return make_user(Role.SEEKER)


@pytest.fixture
def therapist(db: None) -> User:
    return make_user(Role.THERAPIST)


@pytest.fixture
def other_therapist(db: None) -> User:
    return make_user(Role.THERAPIST)


def client_for(user: User) -> Client:
    """A client signed in as ``user``. Therapists, coordinators and staff must have MFA before
    they see anything (holdspace.accounts.middleware), so they get an authenticator app."""
    from holdspace.accounts.mfa import mfa_required

    if mfa_required(user):
        with_mfa(user)
    client = Client()
    client.force_login(user)
    return client
