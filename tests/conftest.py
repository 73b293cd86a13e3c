from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role, User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings, request: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that check hashing itself are marked ``argon2``."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    client = Client()
    client.force_login(user)
    return client
