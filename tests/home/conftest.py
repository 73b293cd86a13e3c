"""Shared fixtures for the role homes: a listed therapist (Morgan Vale, Denver) bookable every
day, a seeker with saved Find answers, and signed-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.matching import services as matching
from tests.conftest import client_for
from tests.factories import find_answers, make_profile, make_schedule


@pytest.fixture
def profile(therapist: User) -> TherapistProfile:
    profile = make_profile(user=therapist, display_name="Morgan Vale")
    profile.time_zone = "America/Denver"
    profile.save()
    return make_schedule(profile)


@pytest.fixture
def answered(seeker: User) -> User:
    """A seeker who saved their Find answers (Colorado, video, burnout)."""
    matching.save_answers(user=seeker, answers=find_answers())
    return seeker


def page(user: User, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words with tags dropped and spaces collapsed, to search like a reader."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(client: Client, url: str) -> int:
    return client.get(url).status_code
