"""Compact membership and every telehealth licensure path."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from holdspace.core.compacts import (
    Authorization,
    Compacts,
    load_compacts,
    parse_compacts,
    telehealth_allowed,
)

# A fixed world, so the rule tests do not move when the shipped membership data is updated.
WORLD = Compacts(
    as_of=date(2026, 10, 7),
    psypact=frozenset({"US-CO", "US-AZ", "US-TX", "US-OH"}),
    counseling=frozenset({"US-AZ", "US-OH"}),
)
APIT = Authorization("psypact_apit")


def privilege(state: str) -> Authorization:
    return Authorization("counseling_compact_privilege", state)


LICENSURE_CASES = [
    # (case, profession, licenses, home, authorizations, location, allowed)
    ("full license where the seeker is", "mft", ["US-CA"], "US-CA", [], "US-CA", True),
    ("license elsewhere only", "mft", ["US-CA"], "US-CA", [], "US-AZ", False),
    ("no licenses at all", "counselor", [], None, [], "US-AZ", False),
    ("APIT between two members", "psychologist", ["US-CO"], "US-CO", [APIT], "US-AZ", True),
    ("APIT into a non-member", "psychologist", ["US-CO"], "US-CO", [APIT], "US-CA", False),
    ("APIT with non-member home", "psychologist", ["US-CA"], "US-CA", [APIT], "US-AZ", False),
    ("APIT not for counselors", "counselor", ["US-CO"], "US-CO", [APIT], "US-AZ", False),
    ("APIT without a home license", "psychologist", ["US-CA"], "US-CO", [APIT], "US-AZ", False),
    ("APIT home named, home unknown", "psychologist", ["US-CO"], None,
     [Authorization("psypact_apit", "US-CO")], "US-AZ", True),
    ("APIT for another home than theirs", "psychologist", ["US-CO", "US-TX"], "US-TX",
     [Authorization("psypact_apit", "US-CO")], "US-AZ", False),
    ("APIT with no home at all", "psychologist", ["US-CO"], None, [APIT], "US-AZ", False),
    ("without APIT, membership alone", "psychologist", ["US-CO"], "US-CO", [], "US-AZ", False),
    ("privilege for the seeker's state", "counselor", ["US-OH"], "US-OH",
     [privilege("US-AZ")], "US-AZ", True),
    ("privilege for another state", "counselor", ["US-OH"], "US-OH",
     [privilege("US-AZ")], "US-TX", False),
    ("privilege for an enacted state", "counselor", ["US-OH"], "US-OH",
     [privilege("US-TX")], "US-TX", False),
    ("privilege, home not operational", "counselor", ["US-TX"], "US-TX",
     [privilege("US-AZ")], "US-AZ", False),
    ("privilege, home unknown", "counselor", ["US-OH"], None, [privilege("US-AZ")], "US-AZ", True),
    ("privilege without a state", "counselor", ["US-OH"], "US-OH",
     [Authorization("counseling_compact_privilege")], "US-AZ", False),
    ("unknown authorisation kind", "counselor", ["US-OH"], "US-OH",
     [Authorization("social_work_multistate", "US-AZ")], "US-AZ", False),
    ("second authorisation works", "psychologist", ["US-CO"], "US-CO",
     [privilege("US-TX"), APIT], "US-OH", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("profession", "licenses", "home", "authorizations", "location", "allowed"),
    [pytest.param(*case[1:], id=case[0]) for case in LICENSURE_CASES],
)
def test_telehealth_paths(
    profession: str,
    licenses: list[str],
    home: str | None,
    authorizations: list[Authorization],
    location: str,
    allowed: bool,
) -> None:
    result = telehealth_allowed(
        profession=profession,
        licenses=licenses,
        home=home,
        authorizations=authorizations,
        location=location,
        compacts=WORLD,
    )
    assert result is allowed


def test_accepts_one_shot_iterables() -> None:
    assert telehealth_allowed(
        profession="psychologist",
        licenses=iter(["US-CO"]),
        home="US-CO",
        authorizations=iter([APIT]),
        location="US-AZ",
        compacts=WORLD,
    )


def _shipped() -> dict[str, object]:
    text = resources.files("holdspace.core").joinpath("data/compacts.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def test_shipped_data_keeps_its_as_of_date() -> None:
    compacts = load_compacts()
    assert compacts.as_of == date.fromisoformat(str(_shipped()["as_of"]))
    assert load_compacts() is compacts  # read once per process


def test_only_operational_members_count() -> None:
    compacts = load_compacts()
    raw = _shipped()["compacts"]
    assert isinstance(raw, dict)
    statuses = {m["jurisdiction"]: m["status"] for m in raw["counseling_compact"]["members"]}
    enacted = {code for code, status in statuses.items() if status == "enacted"}
    operational = {code for code, status in statuses.items() if status == "operational"}
    assert enacted, "the fixture data should contain enacted-only members"
    assert compacts.counseling == operational
    assert not compacts.counseling & enacted
    assert {"US-CO", "US-AZ"} <= compacts.psypact
    assert "US-CA" not in compacts.psypact


def test_real_data_psypact_member_to_non_member() -> None:
    compacts = load_compacts()

    def allowed(location: str) -> bool:
        return telehealth_allowed(
            profession="psychologist",
            licenses=["US-CO"],
            home="US-CO",
            authorizations=[APIT],
            location=location,
            compacts=compacts,
        )

    assert allowed("US-AZ")
    assert not allowed("US-CA")


def test_real_data_enacted_counseling_state_gives_no_privilege() -> None:
    compacts = load_compacts()
    assert "US-TX" not in compacts.counseling  # enacted, not operational (as of 2026-06-13)
    assert not telehealth_allowed(
        profession="counselor",
        licenses=["US-OH"],
        home="US-OH",
        authorizations=[privilege("US-TX")],
        location="US-TX",
        compacts=compacts,
    )


def test_compact_not_operational_as_a_whole_covers_nobody() -> None:
    member = {"jurisdiction": "US-AZ", "status": "operational"}
    data = {
        "as_of": "2026-01-01",
        "compacts": {
            "psypact": {"operational": False, "members": [member]},
            "counseling_compact": {"operational": True, "members": [member]},
        },
    }
    compacts = parse_compacts(data)
    assert compacts.psypact == frozenset()
    assert compacts.counseling == {"US-AZ"}
