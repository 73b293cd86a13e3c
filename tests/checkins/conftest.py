from __future__ import annotations

import pytest

from holdspace.accounts.models import Role, User
from tests.factories import make_user


@pytest.fixture
def other_seeker(db: None) -> User:
    return make_user(Role.SEEKER)


@pytest.fixture
def physician(db: None) -> User:
    return make_user(Role.SEEKER, profession="physician")
