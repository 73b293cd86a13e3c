"""The start page: the four instruments, what each looks at, how long, and that nothing is kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from tests.checkins.helpers import row_counts
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = reverse("checkins:start")


def test_lists_the_four_instruments_with_length_and_privacy() -> None:
    response = Client().get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("ProQOL 5", "Copenhagen Burnout Inventory", "PHQ-9", "GAD-7"):
        assert f"Start the {name}" in html
    assert "30 questions · about 5 minutes" in html
    assert "9 questions (and 1 optional)" in html
    assert "Nothing is stored unless you choose to save it" in html
    for instrument_id in ("proqol5", "cbi", "phq9", "gad7"):
        assert reverse("checkins:take", args=[instrument_id]) in html


def test_proqol_word_defaults_to_the_generic_word_for_visitors() -> None:
    html = Client().get(URL).content.decode()
    assert '<option value="helper" selected>' in html
    assert "“[helper]”" in html
    for word in ("nurse", "physician", "therapist"):
        assert f'<option value="{word}">' in html


def test_proqol_word_defaults_to_the_account_profession(physician: User) -> None:
    html = client_for(physician).get(URL).content.decode()
    assert '<option value="physician" selected>' in html
    assert reverse("checkins:history") in html


def test_landing_door_links_here() -> None:
    assert f'href="{URL}"' in Client().get(reverse("home")).content.decode()


def test_a_visitor_reading_the_page_writes_nothing() -> None:
    before = row_counts()
    Client().get(URL)
    assert row_counts() == before


def test_therapists_see_no_history_link(therapist: User) -> None:
    # Forbidden access: saved check-ins are a seeker's own; a therapist is never pointed there.
    html = client_for(therapist).get(URL).content.decode()
    assert reverse("checkins:history") not in html


def test_only_get_is_allowed() -> None:
    assert Client().post(URL).status_code == 405
