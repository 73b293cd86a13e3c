"""The allocator's vectorised candidate pairs against the core's per-pair rules (issue 7).

``allocation.candidate_pairs`` decides eligibility per therapist and seeker location, conflicts
per seeker and fit as array arithmetic. Here every (seeker, therapist) pair of random worlds is
judged one at a time with :func:`eligible`, :func:`conflict_reason`, :func:`shares_wide_entity`
and :func:`score_match` (ranking's fit), and the two must agree exactly: the same pairs, and the
same float for each fit.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.core.allocation import FIT_SCALE, candidate_pairs
from holdspace.core.compacts import Authorization, Compacts, load_compacts
from holdspace.core.conflicts import (
    Affiliation,
    Entity,
    Tie,
    TieGraph,
    conflict_reason,
    shares_wide_entity,
)
from holdspace.core.eligibility import (
    Office,
    SeekerInput,
    TherapistInput,
    eligible,
    workable_formats,
)
from holdspace.core.geo import zip_distance_km
from holdspace.core.ranking import rank, score_match

AS_OF = date(2026, 11, 26)
COMPACTS = load_compacts()
# Arizona (PSYPACT and Counseling Compact), Colorado (PSYPACT), California (neither),
# Ohio (both), Georgia (both).
STATES = ["US-AZ", "US-CO", "US-CA", "US-OH", "US-GA"]
ZIPS = {
    "US-AZ": ["85004", "85281", "85701", "85251"],
    "US-CO": ["80302", "80202", "80903"],
    "US-CA": ["94103", "90012"],
    "US-OH": ["43215", "44114"],
    "US-GA": ["30303"],
}
FORMATS = ["video", "phone", "in_person", "walk_and_talk", "intensive", "unknown_format"]
FOCUS = ["burnout", "vicarious_trauma", "moral_injury", "grief_loss", "not_a_focus"]
MODALITIES = ["emdr", "ifs", "cbt", "talk", "not_a_modality"]
LANGUAGES = ["en", "es", "fr", "zh"]
PROFESSIONS = ["nurse", "physician", "psychologist", "counselor"]
ENTITY_KINDS = ["employer_unit", "training_cohort", "health_system", "association", "mystery"]


def some[T](rnd: random.Random, options: list[T], most: int = 3) -> tuple[T, ...]:
    # Repeats allowed on purpose: inputs may list a term twice.
    if not options:
        return ()
    return tuple(rnd.choice(options) for _ in range(rnd.randint(0, most)))


def a_zip(rnd: random.Random, state: str) -> str | None:
    return rnd.choice([*ZIPS[state], *ZIPS[state], "99999", None])


def world(
    seed: int, n_seekers: int, n_therapists: int
) -> tuple[list[SeekerInput], list[TherapistInput], TieGraph]:
    rnd = random.Random(seed)
    therapists = []
    for j in range(n_therapists):
        home = rnd.choice([*STATES, None])
        office_state = rnd.choice(STATES)
        authorizations = [
            Authorization(
                rnd.choice(["psypact_apit", "counseling_compact_privilege"]),
                rnd.choice([*STATES, None]),
            )
            for _ in range(rnd.randint(0, 2))
        ]
        therapists.append(
            TherapistInput(
                id=f"t{j}",
                profession=rnd.choice(["psychologist", "counselor", "mft", "social_worker"]),
                home=home,
                licenses=(*some(rnd, STATES, 2), office_state),
                authorizations=tuple(authorizations),
                office=rnd.choice([None, Office(office_state, a_zip(rnd, office_state))]),
                formats=(*some(rnd, FORMATS, 3), "video", "in_person")[rnd.randint(0, 2) :],
                modalities=some(rnd, MODALITIES),
                focus=some(rnd, FOCUS, 4),
                languages=some(rnd, LANGUAGES, 2),
                fee=rnd.choice([0, 60, 100, 100.5, 150, 250]),
                sliding_scale=rnd.random() < 0.3,
                accepting=rnd.random() < 0.85,
                capacity=rnd.randint(0, 4),
                clinician_experience_years=rnd.randint(-2, 14),
                professions_served=some(rnd, PROFESSIONS, 2),
            )
        )
    people = [f"s{i}" for i in range(n_seekers)] + [t.id for t in therapists] + ["p0", "p1"]
    entities = [Entity(f"e{k}", rnd.choice(ENTITY_KINDS)) for k in range(6)]
    seekers = []
    for i in range(n_seekers):
        location = rnd.choice(STATES[:3])
        seekers.append(
            SeekerInput(
                id=f"s{i}",
                location=location,
                zip=a_zip(rnd, location),
                formats=(*some(rnd, FORMATS, 2), rnd.choice(["video", "in_person"])),
                concerns=some(rnd, FOCUS),
                modalities=some(rnd, MODALITIES),
                languages=some(rnd, LANGUAGES, 2),
                max_fee=rnd.choice([None, 0, 0.5, 80, 120, 200]),
                max_km=rnd.choice([None, 5, 20, 60, 200, 1000]),
                avoid=some(rnd, [t.id for t in therapists], 2),
                exclude_entities=some(rnd, [e.id for e in entities], 1),
                strictness=rnd.choice(["standard", "strict"]),
                priority=rnd.random(),
                profession=rnd.choice([None, *PROFESSIONS, "other"]),
            )
        )
    # A therapist may also be a seeker (the same id).
    if n_therapists and n_seekers and rnd.random() < 0.3:
        seekers[0] = SeekerInput(id="t0", location=seekers[0].location, formats=("video",))

    def day() -> date | None:
        return rnd.choice([None, date(rnd.randint(2010, 2026), rnd.randint(1, 12), 1)])

    affiliations = []
    for _ in range(rnd.randint(0, 3 * (n_seekers + n_therapists))):
        start, end = day(), day()
        if start is not None and end is not None and end < start:
            start, end = end, start
        affiliations.append(Affiliation(rnd.choice(people), rnd.choice(entities).id, start, end))
    ties = [
        Tie(a, b)
        for a, b in (
            (rnd.choice(people), rnd.choice(people)) for _ in range(rnd.randint(0, n_seekers))
        )
        if a != b
    ]
    return seekers, therapists, TieGraph(entities, affiliations, ties)


def expected_pairs(
    seekers: list[SeekerInput],
    therapists: list[TherapistInput],
    graph: TieGraph,
    compacts: Compacts,
) -> dict[tuple[int, int], float]:
    """Every allowed pair and its fit, one pair at a time with the core's own functions."""
    found: dict[tuple[int, int], float] = {}
    for i, s in enumerate(seekers):
        for j, t in enumerate(therapists):
            if not eligible(t, s, compacts=compacts, as_of=AS_OF):
                continue
            reason = conflict_reason(
                s.id,
                t.id,
                graph,
                strict=s.strict,
                avoid=s.avoid,
                exclude_entities=s.exclude_entities,
                as_of=AS_OF,
            )
            if reason is not None:
                continue
            match = score_match(
                s,
                t,
                formats=workable_formats(t, s, compacts=compacts),
                shares_wide_entity=shares_wide_entity(s.id, t.id, graph, as_of=AS_OF),
            )
            found[(i, j)] = match.fit
    return found


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 14), st.integers(0, 12))
def test_pairs_and_fits_equal_the_per_pair_rules(
    seed: int, n_seekers: int, n_therapists: int
) -> None:
    seekers, therapists, graph = world(seed, n_seekers, n_therapists)
    pairs = candidate_pairs(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
    got = {
        (int(i), int(j)): float(fit)
        for i, j, fit in zip(pairs.seeker, pairs.therapist, pairs.fit, strict=True)
    }
    assert got == expected_pairs(seekers, therapists, graph, COMPACTS)  # exact floats
    keys = pairs.seeker.astype(np.int64) * max(1, len(therapists)) + pairs.therapist
    assert np.all(np.diff(keys) > 0)  # in (seeker, therapist) order, no repeats
    assert np.array_equal(pairs.score, np.rint(pairs.fit * FIT_SCALE).astype(np.int64))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32))
def test_fits_equal_what_ranking_shows(seed: int) -> None:
    seekers, therapists, graph = world(seed, 6, 12)
    pairs = candidate_pairs(seekers, therapists, graph, compacts=COMPACTS, as_of=AS_OF)
    for i, seeker in enumerate(seekers):
        mine = pairs.seeker == i
        got = {
            therapists[int(j)].id: float(fit)
            for j, fit in zip(pairs.therapist[mine], pairs.fit[mine], strict=True)
        }
        shown = rank(seeker, therapists, graph, compacts=COMPACTS, as_of=AS_OF, limit=100)
        assert got == {match.therapist: match.fit for match in shown}


def test_in_person_distance_on_the_limit_is_decided_by_the_core() -> None:
    # A travel limit equal to the distance, and a hair either side of it.
    distance = zip_distance_km("85004", "85281")
    assert distance is not None
    therapist = TherapistInput(
        id="t",
        profession="counselor",
        licenses=("US-AZ",),
        formats=("in_person",),
        languages=("en",),
        fee=100,
        accepting=True,
        capacity=1,
        office=Office("US-AZ", "85281"),
    )
    limits = [distance, np.nextafter(distance, 0), np.nextafter(distance, 1e9), distance - 1e-7]
    seekers = [
        SeekerInput(id=f"s{n}", location="US-AZ", zip="85004", formats=("in_person",), max_km=km)
        for n, km in enumerate(limits)
    ]
    pairs = candidate_pairs(seekers, [therapist], TieGraph(), compacts=COMPACTS, as_of=AS_OF)
    allowed = {int(i) for i in pairs.seeker}
    assert allowed == {
        n for n, s in enumerate(seekers) if eligible(therapist, s, compacts=COMPACTS, as_of=AS_OF)
    }
    assert 0 in allowed
    assert 1 not in allowed


def test_no_seekers_or_no_therapists() -> None:
    seekers, therapists, graph = world(1, 3, 3)
    for s, t in (([], therapists), (seekers, []), ([], [])):
        pairs = candidate_pairs(s, t, graph, compacts=COMPACTS, as_of=AS_OF)
        assert len(pairs.seeker) == len(pairs.therapist) == len(pairs.fit) == 0
