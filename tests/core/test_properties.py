"""Property tests: ranking against an independent brute-force reading of the rules."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.core.compacts import Authorization, Compacts
from holdspace.core.conflicts import (
    Affiliation,
    Entity,
    Tie,
    TieGraph,
    conflict_reason,
    seeker_conflicts,
)
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput
from holdspace.core.ranking import rank
from holdspace.core.scenario import ScenarioError, parse_scenario

AS_OF = date(2026, 11, 26)
PSYPACT = frozenset({"US-AZ", "US-CO", "US-TX", "US-OH"})
COUNSELING = frozenset({"US-AZ", "US-OH"})
WORLD = Compacts(as_of=date(2026, 10, 7), psypact=PSYPACT, counseling=COUNSELING)

JURISDICTIONS = ["US-AZ", "US-CO", "US-CA", "US-OH", "US-TX"]
ZIPS = ["85004", "85281", "85701", "80302", "43215", "99999"]
THERAPIST_IDS = [f"t{n}" for n in range(6)]
SEEKER_IDS = ["s0", "s1"]
PEOPLE = [*THERAPIST_IDS, *SEEKER_IDS, "p0", "p1", "p2"]
ENTITIES = [
    Entity("unit", "employer_unit"),
    Entity("cohort", "training_cohort"),
    Entity("system", "health_system"),
    Entity("assoc", "association"),
]
CLOSE_IDS = {"unit", "cohort"}
REMOTE = {"video", "phone"}
IN_PERSON = {"in_person", "walk_and_talk", "intensive"}


def subset(options: list[str], *, min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(options), min_size=min_size, max_size=3, unique=True)


authorizations = st.builds(
    Authorization,
    kind=st.sampled_from(["psypact_apit", "counseling_compact_privilege"]),
    jurisdiction=st.none() | st.sampled_from(JURISDICTIONS),
)
offices = st.none() | st.builds(
    Office, jurisdiction=st.sampled_from(JURISDICTIONS), zip=st.none() | st.sampled_from(ZIPS)
)
FORMAT_IDS = ["video", "phone", "in_person", "walk_and_talk", "intensive"]
FOCUS_IDS = ["burnout", "vicarious_trauma", "moral_injury", "grief_loss"]
MODALITY_IDS = ["emdr", "ifs", "cbt", "talk"]


JURISDICTION_SETS = subset(JURISDICTIONS)
FORMAT_SETS = subset(FORMAT_IDS, min_size=1)
FOCUS_SETS = subset(FOCUS_IDS)
MODALITY_SETS = subset(MODALITY_IDS)
SERVED_SETS = subset(["nurse", "physician"])
SEEKER_PROFESSIONS = st.none() | st.sampled_from(["nurse", "physician"])

# Strategies are built once: constructing them per draw dominates the run time.
THERAPIST = st.builds(
    TherapistInput,
    id=st.just("?"),
    profession=st.sampled_from(["psychologist", "counselor", "mft"]),
    home=st.none() | st.sampled_from(JURISDICTIONS),
    licenses=JURISDICTION_SETS,
    authorizations=st.lists(authorizations, max_size=2),
    office=offices,
    formats=FORMAT_SETS,
    modalities=MODALITY_SETS,
    focus=FOCUS_SETS,
    languages=subset(["en", "es"], min_size=1),
    fee=st.integers(0, 300),
    sliding_scale=st.booleans(),
    accepting=st.booleans() | st.just(True),
    capacity=st.integers(0, 3),
    clinician_experience_years=st.integers(0, 15),
    professions_served=SERVED_SETS,
)
SEEKER = st.builds(
    SeekerInput,
    id=st.just("?"),
    location=st.sampled_from(JURISDICTIONS),
    zip=st.none() | st.sampled_from(ZIPS),
    formats=FORMAT_SETS,
    concerns=FOCUS_SETS,
    modalities=MODALITY_SETS,
    languages=subset(["en", "es", "fr"]),
    max_fee=st.none() | st.integers(0, 250),
    max_km=st.none() | st.floats(0, 300),
    avoid=subset([*THERAPIST_IDS, "p0"]),
    exclude_entities=subset([e.id for e in ENTITIES]),
    strictness=st.sampled_from(["standard", "strict"]),
    profession=SEEKER_PROFESSIONS,
)


# Days stop at 28 so "5 years later" never lands on a missing 29 February.
dates = st.builds(date, st.integers(1995, 2025), st.integers(1, 12), st.integers(1, 28))


@st.composite
def affiliations(draw: st.DrawFn) -> Affiliation:
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Affiliation(
        draw(st.sampled_from(PEOPLE)), draw(st.sampled_from([e.id for e in ENTITIES])), start, end
    )


ties = st.builds(Tie, st.sampled_from(PEOPLE), st.sampled_from(PEOPLE))
AFFILIATIONS = st.lists(affiliations(), max_size=14)
TIE_LISTS = st.lists(ties, max_size=8)


@dataclass(frozen=True)
class World:
    therapists: list[TherapistInput]
    seekers: list[SeekerInput]
    affiliations: list[Affiliation]
    ties: list[Tie]

    def graph(self, extra: list[Tie] | None = None) -> TieGraph:
        return TieGraph(ENTITIES, self.affiliations, [*self.ties, *(extra or [])])


@st.composite
def worlds(draw: st.DrawFn) -> World:
    return World(
        therapists=[replace(draw(THERAPIST), id=tid) for tid in THERAPIST_IDS],
        seekers=[replace(draw(SEEKER), id=sid) for sid in SEEKER_IDS],
        affiliations=draw(AFFILIATIONS),
        ties=draw(TIE_LISTS),
    )


# -- the brute-force reading of DESIGN.md, written without the core's helpers ------------------


# zipcodes has no type information.
_zip_matches: Callable[[str], list[dict[str, Any]]] = zipcodes.matching


def km(zip_a: str, zip_b: str) -> float | None:
    rows_a, rows_b = _zip_matches(zip_a), _zip_matches(zip_b)
    if not rows_a or not rows_b:
        return None
    lat1, lon1 = (math.radians(float(rows_a[0][k])) for k in ("lat", "long"))
    lat2, lon2 = (math.radians(float(rows_b[0][k])) for k in ("lat", "long"))
    cos_angle = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    return 6371.0088 * math.acos(max(-1.0, min(1.0, cos_angle)))


def privilege_ok(t: TherapistInput, a: Authorization, where: str) -> bool:
    return (
        a.kind == "counseling_compact_privilege"
        and a.jurisdiction == where
        and where in COUNSELING
        and (t.home is None or t.home in COUNSELING)
    )


def apit_ok(t: TherapistInput, a: Authorization, where: str) -> bool:
    home = a.jurisdiction if a.jurisdiction is not None else t.home
    return (
        a.kind == "psypact_apit"
        and t.profession == "psychologist"
        and home is not None
        and (t.home is None or t.home == home)
        and home in PSYPACT
        and home in t.licenses
        and where in PSYPACT
    )


def brute_eligible(t: TherapistInput, s: SeekerInput) -> bool:
    if not t.accepting or t.capacity < 1:
        return False
    both = set(s.formats) & set(t.formats)
    where = s.location
    remote = where in t.licenses or any(
        apit_ok(t, a, where) or privilege_ok(t, a, where) for a in t.authorizations
    )
    if both & REMOTE and remote:
        return True
    if not both & IN_PERSON or t.office is None or t.office.jurisdiction != where:
        return False
    if where not in t.licenses and not any(privilege_ok(t, a, where) for a in t.authorizations):
        return False
    if s.max_km is None:
        return True
    distance = km(t.office.zip, s.zip) if t.office.zip and s.zip else None
    return distance is not None and distance <= s.max_km


def near(a: Affiliation, b: Affiliation) -> bool:
    a_start, a_end = a.start or date.min, a.end or AS_OF
    b_start, b_end = b.start or date.min, b.end or AS_OF
    if a_start <= b_end and b_start <= a_end:
        return True
    (_, gap_from), (gap_to, _) = sorted([(a_start, a_end), (b_start, b_end)])
    years, later = gap_to.year - gap_from.year, (gap_to.month, gap_to.day)
    return years < 5 or (years == 5 and later < (gap_from.month, gap_from.day))


def brute_conflicted(s: SeekerInput, tid: str, world: World, extra: list[Tie]) -> bool:
    pairs = {frozenset((t.a, t.b)) for t in [*world.ties, *extra] if t.a != t.b}
    if tid == s.id or tid in s.avoid or frozenset((s.id, tid)) in pairs:
        return True
    for mine in (a for a in world.affiliations if a.person == s.id):
        for theirs in (a for a in world.affiliations if a.person == tid):
            same = mine.entity == theirs.entity and near(mine, theirs)
            if same and (mine.entity in CLOSE_IDS or s.strictness == "strict"):
                return True
    if any(a.person == tid and a.entity in s.exclude_entities for a in world.affiliations):
        return True
    return s.strictness == "strict" and any(
        frozenset((s.id, p)) in pairs and frozenset((p, tid)) in pairs for p in PEOPLE
    )


def all_matches(world: World, seeker: SeekerInput, extra: list[Tie] | None = None) -> list[str]:
    found = rank(
        seeker,
        world.therapists,
        world.graph(extra),
        compacts=WORLD,
        as_of=AS_OF,
        limit=len(world.therapists),
    )
    return [m.therapist for m in found]


FAST = settings(max_examples=200, deadline=None)


@FAST
@given(worlds())
def test_matches_are_exactly_the_eligible_unconflicted(world: World) -> None:
    for seeker in world.seekers:
        expected = {
            t.id
            for t in world.therapists
            if brute_eligible(t, seeker) and not brute_conflicted(seeker, t.id, world, [])
        }
        assert set(all_matches(world, seeker)) == expected
        top = rank(seeker, world.therapists, world.graph(), compacts=WORLD, as_of=AS_OF, limit=3)
        assert {m.therapist for m in top} <= expected


@FAST
@given(worlds(), st.randoms(use_true_random=False))
def test_ranking_is_deterministic(world: World, shuffler: random.Random) -> None:
    shuffled = list(world.therapists)
    shuffler.shuffle(shuffled)
    for seeker in world.seekers:
        first = rank(seeker, world.therapists, world.graph(), compacts=WORLD, as_of=AS_OF)
        again = rank(seeker, shuffled, world.graph(), compacts=WORLD, as_of=AS_OF)
        assert first == again
        assert first == sorted(first, key=lambda m: (-m.fit, m.therapist))
        assert all(0.0 <= m.fit <= 1.0 for m in first)


@FAST
@given(worlds(), ties)
def test_adding_a_tie_never_adds_a_match(world: World, tie: Tie) -> None:
    for seeker in world.seekers:
        before = set(all_matches(world, seeker))
        after = set(all_matches(world, seeker, [tie]))
        assert after <= before
        if seeker.id in (tie.a, tie.b):  # a direct tie always removes the other person
            assert not {tie.a, tie.b} & after


@FAST
@given(worlds())
def test_pair_check_agrees_with_the_seeker_wide_check(world: World) -> None:
    graph = world.graph()
    for seeker in world.seekers:
        options: dict[str, Any] = {
            "strict": seeker.strict,
            "avoid": seeker.avoid,
            "exclude_entities": seeker.exclude_entities,
            "as_of": AS_OF,
        }
        bulk = seeker_conflicts(seeker.id, graph, **options)
        for person in PEOPLE:
            assert bulk.reason(person) == conflict_reason(seeker.id, person, graph, **options)
            assert (bulk.reason(person) is not None) == brute_conflicted(seeker, person, world, [])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
SAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "scenarios" / "sample.json").read_text("utf-8")
)


def leaf_paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaf_paths(item, (*path, key))] or [path]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in leaf_paths(item, (*path, i))] or [path]
    return [path]


SAMPLE_LEAVES = leaf_paths(SAMPLE)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SAMPLE_LEAVES), JSON)
def test_any_corrupted_field_is_a_scenario_error(path: tuple[Any, ...], junk: object) -> None:
    data: Any = json.loads(json.dumps(SAMPLE))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    message = ""
    try:
        parse_scenario(data)
    except ScenarioError as error:  # anything else (TypeError, KeyError...) fails the test
        message = str(error)
    assert "\n" not in message


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_arbitrary_json_is_a_scenario_error(junk: object) -> None:
    # Keys are at most 8 characters, so "therapists" is always missing.
    with pytest.raises(ScenarioError):
        parse_scenario(junk)
