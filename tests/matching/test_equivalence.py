"""The shortlist equals core ``rank`` over inputs built from scratch, independently of the
selectors' SQL pre-filter, fit bound and batching."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.core.compacts import Authorization, load_compacts
from holdspace.core.conflicts import Affiliation, Entity, TieGraph
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput
from holdspace.core.ranking import rank
from holdspace.matching import selectors
from tests.factories import affiliate, make_entity, make_profile
from tests.matching.helpers import run_find, shortlisted

pytestmark = pytest.mark.django_db

STATES = ("US-CO", "US-TX", "US-AZ")
FOCUS = ("burnout", "vicarious_trauma", "grief_loss", "anxiety", "moral_injury")
MODALITIES = ("emdr", "ifs", "cbt", "somatic")


@pytest.mark.parametrize("seed", [1, 2])
def test_the_shortlist_is_what_core_rank_returns(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "FIRST_BATCH", 3)  # exercise the bound and later batches
    rng = random.Random(seed)
    today = timezone.localdate()
    unit = make_entity("Mercy General ICU")
    built: dict[int, TherapistInput] = {}
    affiliations = []
    ids: dict[str, int] = {}
    for n in range(24):
        profession = rng.choice(["psychologist", "counselor", "social_worker"])
        licenses = ("US-CO",) if n % 2 else tuple(sorted(rng.sample(STATES, rng.randint(1, 2))))
        formats = tuple(rng.sample(("video", "phone", "in_person"), rng.randint(1, 3)))
        office = ("US-CO", "80302") if "in_person" in formats and rng.random() < 0.7 else None
        authorizations = (
            (("psypact_apit", licenses[0]),)
            if profession == "psychologist" and rng.random() < 0.5
            else ()
        )
        focus = tuple(rng.sample(FOCUS, rng.randint(1, 3)))
        modalities = tuple(rng.sample(MODALITIES, rng.randint(1, 2)))
        fee = rng.randrange(80, 220, 10)
        sliding = rng.random() < 0.4
        profile = make_profile(
            licenses=licenses, profession=profession, formats=formats, focus=focus,
            modalities=modalities, languages=("en", "es") if n % 3 == 0 else ("en",), fee=fee,
            sliding_scale=sliding, office=office, authorizations=authorizations,
        )  # fmt: skip
        years = rng.randint(0, 14)
        profile.clinician_experience_years = years
        profile.save()
        # Equal fits are ordered by id, so ids sort as the app's do (by user node).
        node = selectors.user_node(profile.user_id)
        ids[node] = profile.pk
        if n % 5 == 0:
            affiliate(profile.user, unit, start=dt.date(2015, 1, 1))
            affiliations.append(Affiliation(node, "unit", dt.date(2015, 1, 1)))
        built[profile.pk] = TherapistInput(
            id=node, profession=profession, licenses=licenses, formats=formats,
            languages=("en", "es") if n % 3 == 0 else ("en",), fee=float(fee), accepting=True,
            capacity=3, authorizations=[Authorization(k, j) for k, j in authorizations],
            office=Office(*office) if office else None, modalities=modalities, focus=focus,
            sliding_scale=sliding, clinician_experience_years=years,
        )  # fmt: skip

    seeker = SeekerInput(
        id="s", location="US-CO", zip="80301", formats=("video", "in_person"),
        concerns=("burnout", "grief_loss"), modalities=("emdr",), max_fee=150.0,
        max_km=25 * 1.609344,
        languages=("es",),
    )  # fmt: skip
    graph = TieGraph(
        [Entity("unit", "employer_unit")],
        [Affiliation("s", "unit", dt.date(2019, 1, 1)), *affiliations],
    )
    expected = rank(seeker, built.values(), graph, compacts=load_compacts(), as_of=today)

    response = run_find(
        Client(),
        where={"location": "US-CO", "formats": ["video", "in_person"], "zip": "80301",
               "max_miles": "25"},  # 25 miles = 40.2 km; none of the offices sit in between
        needs={"concerns": ["burnout", "grief_loss"], "modalities": ["emdr"], "max_fee": "150",
               "language": "es"},
        rows=[{"place__name": "Mercy General ICU", "place__start_year": "2019"}],
    )  # fmt: skip
    assert shortlisted(response) == [ids[m.therapist] for m in expected]
    fits = [item.fit for item in response.context["shortlist"].items]
    assert fits == pytest.approx([m.fit for m in expected])
    assert len(expected) == 10
