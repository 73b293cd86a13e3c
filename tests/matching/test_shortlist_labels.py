"""On the shortlist, the reasons a therapist may fit are labelled as such and kept apart from
the specialties the therapist lists (not told apart by colour alone)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import make_profile
from tests.matching.helpers import run_find

pytestmark = pytest.mark.django_db


def test_reasons_are_labelled_and_apart_from_the_listed_focus() -> None:
    fit = make_profile(
        licenses=("US-CO",),
        focus=("burnout", "secondary_traumatic_stress"),
        modalities=("emdr", "ifs"),
    )
    html = run_find(Client(), needs={"modalities": ["emdr"]}).content.decode()
    card = html[html.index(f'id="therapist-{fit.pk}"') :]

    reasons = re.search(
        rf'<h4 class="fit-reasons__title" id="why-{fit.pk}">Why they may fit you</h4>\s*'
        rf'<ul class="fit-reasons__list" role="list" aria-labelledby="why-{fit.pk}">(.*?)</ul>',
        card,
        re.S,
    )
    assert reasons is not None, "a visible, labelled list of reasons"
    why = re.findall(r"<li>([^<]+)</li>", reasons.group(1))
    assert "EMDR" in why
    assert "burnout" in why

    focus = re.search(r"<dt>Focus</dt><dd>(.*?)</dd>", card, re.S)
    approaches = re.search(r"<dt>Approaches</dt><dd>(.*?)</dd>", card, re.S)
    assert focus is not None
    assert approaches is not None
    assert re.findall(r'<li class="tag">([^<]+)</li>', focus.group(1)) == [
        "Secondary traumatic stress",
        "Burnout",
    ]
    assert "Internal Family Systems (IFS)" in approaches.group(1)
    # The reasons come first, outside the therapist's own lists.
    assert card.index("Why they may fit you") < card.index("<dt>Focus</dt>")
    assert "fit-reasons" not in focus.group(1) + approaches.group(1)
