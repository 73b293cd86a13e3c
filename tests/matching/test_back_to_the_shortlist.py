"""A profile opened from the Find shortlist leads back to the shortlist (to that therapist's
card), not to the whole directory."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_profile
from tests.matching.helpers import run_find

pytestmark = pytest.mark.django_db


def test_a_profile_opened_from_the_shortlist_leads_back_to_it() -> None:
    fit = make_profile(display_name="Morgan Vale")
    client = Client()
    shortlist = run_find(client).content.decode()
    profile_url = reverse("directory:profile", args=[fit.pk])
    links = re.findall(rf'href="({re.escape(profile_url)}[^"]*)"', shortlist)
    assert links, "the shortlist links to the profile"
    assert all(link == f"{profile_url}?from=shortlist" for link in links)

    profile = client.get(links[0]).content.decode()
    card = f"{reverse('matching:results')}#therapist-{fit.pk}"
    back = f'<a href="{card}">← Back to your shortlist</a>'
    assert back in profile
    assert "← All therapists" not in profile
    assert "Back to results" not in profile


def test_only_the_shortlist_marker_leads_there() -> None:
    fit = make_profile(display_name="Morgan Vale")
    url = reverse("directory:profile", args=[fit.pk])
    for given in ("shortlist2", "https://evil.example/", "location=US-CO"):
        html = Client().get(url, {"from": given}).content.decode()
        assert "Back to your shortlist" not in html
