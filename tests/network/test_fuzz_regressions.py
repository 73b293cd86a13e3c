"""Regressions found by the form fuzzer (tests/security/test_form_fuzzing.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.matching import answers as find_answers
from holdspace.network.models import Affiliation, Entity
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NAMELESS = ["[]", "—", "The Hospital", "'"]  # nothing left once normalised


@pytest.mark.parametrize("name", NAMELESS)
def test_a_place_named_only_with_punctuation_or_noise_words_is_refused(
    therapist: User, name: str
) -> None:
    response = client_for(therapist).post(
        reverse("network:add_place"), {"place-name": name, "place-kind": "employer_unit"}
    )
    assert response.status_code == 400  # was a server error ("an entity needs a name")
    assert "Enter the name of the place in words." in response.content.decode()
    assert not Entity.objects.exists()
    assert not Affiliation.objects.exists()


def test_the_find_flow_keeps_no_nameless_place() -> None:
    """The same form on Find's third screen: such a name never reaches the session, where
    saving the answers later would have failed."""
    client = Client()
    client.post(reverse("matching:start"), {"location": "US-CO", "formats": ["video"]})
    client.post(reverse("matching:needs"), {"language": "en"})
    response = client.post(
        reverse("matching:world"),
        {"strictness": "standard", "place-name": "[]", "place-kind": "employer_unit"},
    )
    assert response.status_code == 200
    assert "Enter the name of the place in words." in response.content.decode()
    assert find_answers.load(client.session).world.places == []
