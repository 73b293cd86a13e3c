"""The five conflict rules, the 5-year window, reason precedence and identifier normalisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from holdspace.core.conflicts import (
    Affiliation,
    Entity,
    Tie,
    TieGraph,
    conflict_reason,
    in_window,
    normalise_identifier,
    seeker_conflicts,
    shares_wide_entity,
)

AS_OF = date(2026, 11, 26)
ENTITIES = [
    Entity("unit", "employer_unit"),
    Entity("practice", "practice"),
    Entity("cohort", "training_cohort"),
    Entity("consult", "consultation_group"),
    Entity("supervision", "supervision_group"),
    Entity("system", "health_system"),
    Entity("uni", "university"),
    Entity("assoc", "association"),
    Entity("misc", "other"),
]


def d(text: str) -> date:
    return date.fromisoformat(text)


def aff(person: str, entity: str, start: str | None, end: str | None = None) -> Affiliation:
    return Affiliation(person, entity, d(start) if start else None, d(end) if end else None)


@dataclass
class Case:
    affiliations: list[Affiliation] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    exclude_entities: list[str] = field(default_factory=list)
    standard: str | None = None  # expected reason in standard mode
    strict: str | None = None  # expected reason in strict mode


SEEKER_SINCE_2019 = aff("s", "unit", "2019-01-01")

CASES = {
    "no link at all": Case(),
    "avoid list": Case(avoid=["t"], standard="avoid_list", strict="avoid_list"),
    "avoid list names someone else": Case(avoid=["x"]),
    "tie seeker to therapist": Case(
        ties=[Tie("s", "t", "colleague")], standard="direct_tie", strict="direct_tie"
    ),
    "tie therapist to seeker": Case(
        ties=[Tie("t", "s", "former_client")], standard="direct_tie", strict="direct_tie"
    ),
    "two hops apart": Case(
        ties=[Tie("s", "p"), Tie("t", "p")], standard=None, strict="two_hop_tie"
    ),
    "two hops apart, other directions": Case(
        ties=[Tie("p", "s"), Tie("p", "t")], standard=None, strict="two_hop_tie"
    ),
    "three hops apart": Case(ties=[Tie("s", "p"), Tie("p", "q"), Tie("q", "t")]),
    "close entity, both there now": Case(
        affiliations=[SEEKER_SINCE_2019, aff("t", "unit", "2024-05-01")],
        standard="close_entity",
        strict="close_entity",
    ),
    "close entity, therapist left 4 years before seeker came": Case(
        affiliations=[aff("s", "unit", "2022-11-26"), aff("t", "unit", "2010-01-01", "2018-11-26")],
        standard="close_entity",
        strict="close_entity",
    ),
    "close entity, therapist left 6 years before seeker came": Case(
        affiliations=[aff("s", "unit", "2022-11-26"), aff("t", "unit", "2010-01-01", "2016-11-26")],
    ),
    "close entity, seeker left 4 years before therapist came": Case(
        affiliations=[aff("s", "unit", "2015-01-01", "2020-06-01"), aff("t", "unit", "2024-06-01")],
        standard="close_entity",
        strict="close_entity",
    ),
    "close entity, seeker left 6 years before therapist came": Case(
        affiliations=[aff("s", "unit", "2015-01-01", "2018-06-01"), aff("t", "unit", "2024-06-01")],
    ),
    "close entity, exactly 5 years apart": Case(
        affiliations=[aff("s", "unit", "2021-03-01"), aff("t", "unit", "2010-01-01", "2016-03-01")],
    ),
    "close entity, both long gone but overlapped": Case(
        affiliations=[
            aff("s", "cohort", "2001-09-01", "2003-06-01"),
            aff("t", "cohort", "2001-09-01", "2003-06-01"),
        ],
        standard="close_entity",
        strict="close_entity",
    ),
    "practice": Case(
        affiliations=[aff("s", "practice", "2020-01-01"), aff("t", "practice", "2020-01-01")],
        standard="close_entity",
        strict="close_entity",
    ),
    "consultation group": Case(
        affiliations=[aff("s", "consult", "2025-01-01"), aff("t", "consult", "2025-01-01")],
        standard="close_entity",
        strict="close_entity",
    ),
    "supervision group": Case(
        affiliations=[aff("s", "supervision", None), aff("t", "supervision", "1990-01-01")],
        standard="close_entity",
        strict="close_entity",
    ),
    "different close entities": Case(
        affiliations=[SEEKER_SINCE_2019, aff("t", "practice", "2019-01-01")]
    ),
    "health system: strict only": Case(
        affiliations=[aff("s", "system", "2019-01-01"), aff("t", "system", "2020-01-01")],
        strict="shared_entity",
    ),
    "university: strict only": Case(
        affiliations=[aff("s", "uni", "2010-09-01", "2014-06-01"), aff("t", "uni", "2017-09-01")],
        strict="shared_entity",
    ),
    "association, outside the window": Case(
        affiliations=[
            aff("s", "assoc", "2000-01-01", "2005-01-01"),
            aff("t", "assoc", "2012-01-01"),
        ]
    ),
    "other entity: strict only": Case(
        affiliations=[aff("s", "misc", "2019-01-01"), aff("t", "misc", "2019-01-01")],
        strict="shared_entity",
    ),
    "marked entity, seeker never there": Case(
        affiliations=[aff("t", "practice", "2024-01-01")],
        exclude_entities=["practice"],
        standard="marked_entity",
        strict="marked_entity",
    ),
    "marked wide entity, any date": Case(
        affiliations=[aff("t", "system", "1995-01-01", "1999-01-01")],
        exclude_entities=["system"],
        standard="marked_entity",
        strict="marked_entity",
    ),
    "marked entity the therapist never joined": Case(
        affiliations=[aff("t", "practice", "2024-01-01")], exclude_entities=["unit"]
    ),
    "avoid wins over every other reason": Case(
        affiliations=[SEEKER_SINCE_2019, aff("t", "unit", "2019-01-01")],
        ties=[Tie("s", "t")],
        avoid=["t"],
        standard="avoid_list",
        strict="avoid_list",
    ),
    "direct tie wins over close entity": Case(
        affiliations=[SEEKER_SINCE_2019, aff("t", "unit", "2019-01-01")],
        ties=[Tie("t", "s")],
        standard="direct_tie",
        strict="direct_tie",
    ),
    "close entity wins over shared wide entity": Case(
        affiliations=[
            SEEKER_SINCE_2019,
            aff("t", "unit", "2019-01-01"),
            aff("s", "system", "2019-01-01"),
            aff("t", "system", "2019-01-01"),
        ],
        standard="close_entity",
        strict="close_entity",
    ),
}


def reasons_for(case: Case, *, strict: bool) -> set[str | None]:
    """The reason from the pair check and from the seeker-wide check (they must agree)."""
    graph = TieGraph(ENTITIES, case.affiliations, case.ties)
    pair = conflict_reason(
        "s",
        "t",
        graph,
        strict=strict,
        avoid=case.avoid,
        exclude_entities=case.exclude_entities,
        as_of=AS_OF,
    )
    bulk = seeker_conflicts(
        "s",
        graph,
        strict=strict,
        avoid=case.avoid,
        exclude_entities=case.exclude_entities,
        as_of=AS_OF,
    ).reason("t")
    return {pair, bulk}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_standard_mode(case: Case) -> None:
    assert reasons_for(case, strict=False) == {case.standard}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_strict_mode(case: Case) -> None:
    assert reasons_for(case, strict=True) == {case.strict}


def test_wide_entity_only_lowers_fit_in_standard_mode() -> None:
    graph = TieGraph(
        ENTITIES, [aff("s", "system", "2019-01-01"), aff("t", "system", "2020-01-01")], []
    )
    assert shares_wide_entity("s", "t", graph, as_of=AS_OF)
    assert not shares_wide_entity("s", "x", graph, as_of=AS_OF)
    standard = seeker_conflicts(
        "s", graph, strict=False, avoid=[], exclude_entities=[], as_of=AS_OF
    )
    assert standard.wide_shared == {"t"}
    assert standard.reason("t") is None
    strict = seeker_conflicts("s", graph, strict=True, avoid=[], exclude_entities=[], as_of=AS_OF)
    assert strict.wide_shared == frozenset()
    assert strict.reason("t") == "shared_entity"


def test_nobody_is_matched_with_themselves() -> None:
    graph = TieGraph()
    assert (
        conflict_reason("s", "s", graph, strict=False, avoid=(), exclude_entities=(), as_of=AS_OF)
        == "direct_tie"
    )
    bulk = seeker_conflicts("s", graph, strict=False, avoid=(), exclude_entities=(), as_of=AS_OF)
    assert bulk.reason("s") == "direct_tie"


def test_seeker_conflicts_collects_everyone_excluded() -> None:
    graph = TieGraph(
        ENTITIES,
        [
            SEEKER_SINCE_2019,
            aff("a", "unit", "2020-01-01"),
            aff("b", "unit", "2000-01-01", "2001-01-01"),
        ],
        [Tie("s", "c"), Tie("c", "e")],
    )
    found = seeker_conflicts("s", graph, strict=True, avoid=["d"], exclude_entities=[], as_of=AS_OF)
    assert dict(found.excluded) == {
        "s": "direct_tie",
        "c": "direct_tie",
        "d": "avoid_list",
        "a": "close_entity",
        "e": "two_hop_tie",
    }


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (("2020-01-01", "2022-01-01"), ("2021-01-01", "2023-01-01"), True),
        (("2010-01-01", "2018-01-01"), ("2022-12-31", None), True),
        (("2010-01-01", "2018-01-01"), ("2023-01-01", None), False),
        (("2010-02-28", "2016-02-29"), ("2021-02-27", None), True),  # leap day end
        (("2010-02-28", "2016-02-29"), ("2021-02-28", None), False),
        ((None, "1990-01-01"), ("1994-12-31", "1995-01-01"), True),
        (("2030-01-01", None), ("2027-01-01", None), True),  # starts after as_of
    ],
)
def test_window(
    first: tuple[str | None, str | None], second: tuple[str | None, str | None], expected: bool
) -> None:
    a = aff("x", "unit", *first)
    b = aff("y", "unit", *second)
    assert in_window(a, b, as_of=AS_OF) is expected
    assert in_window(b, a, as_of=AS_OF) is expected


@pytest.mark.parametrize(
    ("kind", "raw", "normalised"),
    [
        ("email", "  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("email", "jane.doe @example.com", "jane.doe@example.com"),
        ("name", "  Jane   DOE\t", "jane doe"),
        ("name", "Ｊａｎｅ Doe", "jane doe"),  # full-width letters
        ("license", "psy-12 345", "PSY12345"),
        ("license", "PSY\u201312345", "PSY12345"),  # en dash
    ],
)
def test_normalise_identifier(kind: str, raw: str, normalised: str) -> None:
    assert normalise_identifier(kind, raw) == normalised


@pytest.mark.parametrize(("kind", "raw"), [("phone", "555"), ("email", "   "), ("license", "--")])
def test_normalise_identifier_rejects(kind: str, raw: str) -> None:
    with pytest.raises(ValueError, match=kind):
        normalise_identifier(kind, raw)


def test_avoid_by_email_with_different_case_and_spacing() -> None:
    # The app stores normalised identifiers (hashed) and resolves them to therapist ids.
    therapist_emails = {"t1": "Dr.Rivera@Clinic.org", "t2": "sam@elsewhere.org"}
    typed_by_seeker = "  dr.rivera@CLINIC.ORG "
    avoided = normalise_identifier("email", typed_by_seeker)
    avoid_ids = [
        tid
        for tid, email in therapist_emails.items()
        if normalise_identifier("email", email) == avoided
    ]
    graph = TieGraph()

    def reason(therapist: str) -> str | None:
        return conflict_reason(
            "s", therapist, graph, strict=False, avoid=avoid_ids, exclude_entities=(), as_of=AS_OF
        )

    assert reason("t1") == "avoid_list"
    assert reason("t2") is None


def test_self_ties_are_ignored() -> None:
    graph = TieGraph(ties=[Tie("s", "s"), Tie("t", "t")])
    assert list(graph.neighbours("s")) == []


def test_a_tie_graph_lists_what_it_holds_so_graphs_can_be_merged() -> None:
    from holdspace.core.conflicts import Affiliation, Entity, Tie, TieGraph

    unit = Affiliation(person="p1", entity="e1")
    graph = TieGraph(
        [Entity(id="e1", kind="employer_unit")], [unit], [Tie("p2", "p1"), Tie("p1", "p2")]
    )

    assert list(graph.entities()) == [Entity(id="e1", kind="employer_unit")]
    assert list(graph.affiliations()) == [unit]
    assert [(t.a, t.b) for t in graph.ties()] == [("p1", "p2")]
