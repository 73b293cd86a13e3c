"""The listing page says when the details were last confirmed in plain words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.accounts.models import User
from tests.conftest import client_for
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "You confirmed your details today."),
        (1, "You last confirmed your details yesterday."),
        (3, "You last confirmed your details 3 days ago."),
    ],
)
def test_the_last_confirmation_is_said_plainly(therapist: User, days: int, words: str) -> None:
    make_profile(user=therapist, confirmed_days_ago=days)
    page = client_for(therapist).get(reverse("directory:dashboard")).content.decode()
    assert words in page.replace("&#x27;", "'")
    assert "0 days ago" not in page
