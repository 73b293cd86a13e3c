"""Fit, reasons, ordering, and exclusion of ineligible and conflicted therapists."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from holdspace.core.conflicts import Affiliation, Entity, Tie, TieGraph
from holdspace.core.ranking import WIDE_ENTITY_PENALTY, Match, rank, score_match
from tests.core.test_eligibility import AS_OF, WORLD, make_seeker, make_therapist

EMPTY = TieGraph()


def ranked(
    seeker_changes: dict[str, Any], *therapists: Any, graph: TieGraph = EMPTY
) -> list[Match]:
    seeker = make_seeker(**seeker_changes)
    return rank(seeker, therapists, graph, compacts=WORLD, as_of=AS_OF)


def only(seeker_changes: dict[str, Any], **therapist_changes: Any) -> Match:
    [match] = ranked(seeker_changes, make_therapist(**therapist_changes))
    return match


def test_reasons_are_short_human_phrases() -> None:
    match = only(
        {"concerns": ["vicarious_trauma", "anxiety"], "modalities": ["emdr", "act"],
         "max_fee": 120, "profession": "nurse", "languages": ["es"]},
        modalities=["emdr", "ifs"], focus=["vicarious_trauma", "burnout"], languages=["en", "es"],
        clinician_experience_years=6, professions_served=["nurse"],
    )  # fmt: skip
    assert match.why == (
        "EMDR",
        "vicarious trauma",
        "within budget",
        "experienced with clinicians",
        "works with nurses",
        "in Spanish",
    )
    assert 0 < match.fit < 1


def test_perfect_fit_is_one() -> None:
    match = only(
        {"concerns": ["burnout"], "modalities": ["emdr"], "languages": ["en"],
         "profession": "physician"},
        modalities=["emdr"], focus=["burnout"], clinician_experience_years=10,
        professions_served=["physician"],
    )  # fmt: skip
    assert match.fit == pytest.approx(1.0)


def test_in_person_is_named_when_it_works() -> None:
    match = only({"formats": ["in_person", "video"]})
    assert "in person" in match.why


def test_empty_modalities_means_open_to_any() -> None:
    open_to_any = only({"modalities": []}, modalities=["cbt"])
    wants_emdr = only({"modalities": ["emdr"]}, modalities=["cbt"])
    assert open_to_any.fit > wants_emdr.fit
    assert open_to_any.fit == only({"modalities": []}, modalities=["emdr"]).fit


def test_more_concerns_covered_fit_better() -> None:
    seeker = {"concerns": ["burnout", "moral_injury"]}
    both = ranked(seeker, make_therapist(id="a", focus=["burnout", "moral_injury"]))[0]
    one = ranked(seeker, make_therapist(id="b", focus=["burnout"]))[0]
    none = ranked(seeker, make_therapist(id="c", focus=["parenting"]))[0]
    assert both.fit > one.fit > none.fit


def test_fee_budget_and_sliding_scale() -> None:
    within = only({"max_fee": 120}, fee=120)
    sliding = only({"max_fee": 100}, fee=150, sliding_scale=True)
    over = only({"max_fee": 100}, fee=150)
    far_over = only({"max_fee": 100}, fee=400)
    assert "within budget" in within.why
    assert "sliding scale" in sliding.why
    assert not {"within budget", "sliding scale"} & set(over.why)
    assert within.fit > sliding.fit > over.fit > far_over.fit


def test_no_shared_language_lowers_fit() -> None:
    assert only({"languages": ["en"]}).fit > only({"languages": ["fr"]}).fit


def test_clinician_experience_counts() -> None:
    assert only({}, clinician_experience_years=8).fit > only({}, clinician_experience_years=0).fit
    assert "experienced with clinicians" not in only({}, clinician_experience_years=1).why


def test_wide_entity_lowers_fit_slightly_and_silently() -> None:
    graph = TieGraph(
        [Entity("hs", "health_system")],
        [Affiliation("s1", "hs", date(2019, 1, 1)), Affiliation("shared", "hs", date(2020, 1, 1))],
    )
    seeker = make_seeker()
    therapists = [make_therapist(id="shared"), make_therapist(id="apart")]
    matches = rank(seeker, therapists, graph, compacts=WORLD, as_of=AS_OF)
    assert [m.therapist for m in matches] == ["apart", "shared"]
    assert matches[0].fit - matches[1].fit == pytest.approx(WIDE_ENTITY_PENALTY)
    assert matches[0].why == matches[1].why


def test_ties_broken_by_therapist_id() -> None:
    matches = ranked({}, *(make_therapist(id=tid) for tid in ["t3", "t10", "t1", "t2"]))
    assert [m.therapist for m in matches] == ["t1", "t10", "t2", "t3"]


def test_best_first_and_limit() -> None:
    therapists = [make_therapist(id=f"t{n:02}", clinician_experience_years=n) for n in range(15)]
    matches = rank(make_seeker(), therapists, EMPTY, compacts=WORLD, as_of=AS_OF, limit=3)
    assert [m.therapist for m in matches] == ["t10", "t11", "t12"]  # all capped at 10 years
    assert rank(make_seeker(), therapists, EMPTY, compacts=WORLD, as_of=AS_OF, limit=0) == []
    assert len(rank(make_seeker(), therapists, EMPTY, compacts=WORLD, as_of=AS_OF)) == 10


def test_excludes_ineligible_and_conflicted() -> None:
    therapists = [
        make_therapist(id="ok"),
        make_therapist(id="unlicensed", licenses=["US-CA"], home="US-CA"),
        make_therapist(id="full", capacity=0),
        make_therapist(id="avoided"),
        make_therapist(id="friend"),
        make_therapist(id="two_hops"),
    ]
    graph = TieGraph(ties=[Tie("friend", "s1"), Tie("s1", "x"), Tie("two_hops", "x")])
    standard = ranked({"avoid": ["avoided"]}, *therapists, graph=graph)
    strict = ranked({"avoid": ["avoided"], "strictness": "strict"}, *therapists, graph=graph)
    assert [m.therapist for m in standard] == ["ok", "two_hops"]
    assert [m.therapist for m in strict] == ["ok"]


def test_score_match_is_pure() -> None:
    seeker, therapist = make_seeker(), make_therapist()
    kwargs: dict[str, Any] = {"formats": frozenset({"video"}), "shares_wide_entity": False}
    assert score_match(seeker, therapist, **kwargs) == score_match(seeker, therapist, **kwargs)
