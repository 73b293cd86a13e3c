"""The scenario format and ``python -m holdspace.core rank``."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from holdspace.core.scenario import ScenarioError, load_scenario, parse_scenario, run_rank

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "scenarios" / "sample.json"


def sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text("utf-8"))
    return data


def cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "holdspace.core", "rank", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def matches_by_seeker(output: dict[str, Any]) -> dict[str, list[str]]:
    return {r["seeker"]: [m["therapist"] for m in r["matches"]] for r in output["results"]}


def test_cli_ranks_the_sample() -> None:
    done = cli(SAMPLE)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    output = json.loads(done.stdout)
    ranked = matches_by_seeker(output)
    # s1 (standard, Arizona): t3 avoided, t4 shared the unit, t6/t8 cannot practise in AZ,
    # t10 is not accepting; t5 is two hops away (allowed in standard mode).
    assert ranked["s1"] == ["t1", "t9", "t2", "t7", "t5"]
    # s2 (strict, Colorado): t9 shares the health system, which strict mode excludes.
    assert ranked["s2"] == ["t1", "t5"]
    first = output["results"][0]["matches"][0]
    assert first["why"][:3] == ["EMDR", "vicarious trauma", "burnout"]
    fits = [m["fit"] for r in output["results"] for m in r["matches"]]
    assert all(0 <= fit <= 1 and round(fit, 2) == fit for fit in fits)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(text, encoding="utf-8")
    return path


def mutated(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(sample())
    change(data)
    return write(tmp_path, json.dumps(data))


def assert_one_line_error(stderr: str, *fragments: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_bad_json(tmp_path: Path) -> None:
    done = cli(write(tmp_path, '{"therapists": [,]}'))
    assert done.returncode == 2
    assert done.stdout == ""
    assert_one_line_error(done.stderr, "invalid JSON at line 1 column 17")


def test_cli_missing_field(tmp_path: Path) -> None:
    done = cli(mutated(tmp_path, lambda d: d["therapists"][2].pop("fee")))
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "therapists[2].fee: missing required field")


def test_cli_unknown_modality(tmp_path: Path) -> None:
    done = cli(mutated(tmp_path, lambda d: d["seekers"][0]["modalities"].append("reiki")))
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "seekers[0].modalities[1]: 'reiki' is not a known modality")


def test_cli_bad_date(tmp_path: Path) -> None:
    done = cli(mutated(tmp_path, lambda d: d["affiliations"][1].update({"to": "2023-02-30"})))
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "affiliations[1].to: '2023-02-30' is not a date")


def set_in(*path: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


MALFORMED = {
    "state without country": (
        set_in("therapists", 2, "licenses", 0, value="CO"),
        "therapists[2].licenses[0]: 'CO' is not an ISO 3166-2 code like 'US-CO'",
    ),
    "lower-case jurisdiction": (
        set_in("seekers", 0, "location", value="us-az"),
        "seekers[0].location: 'us-az' is not an ISO 3166-2 code",
    ),
    "unknown field": (
        set_in("seekers", 0, "avoids", value=["t1"]),
        "seekers[0].avoids: unknown field",
    ),
    "number as string": (
        set_in("therapists", 0, "fee", value="160"),
        "therapists[0].fee: expected a number, got the string '160'",
    ),
    "boolean as number": (
        set_in("therapists", 0, "capacity", value=True),
        "therapists[0].capacity: expected a whole number, got a boolean",
    ),
    "negative fee": (
        set_in("therapists", 1, "fee", value=-5),
        "therapists[1].fee: expected a number of 0 or more",
    ),
    "fractional capacity": (
        set_in("therapists", 1, "capacity", value=1.5),
        "therapists[1].capacity: expected a whole number",
    ),
    "unknown format": (
        set_in("seekers", 1, "formats", value=["chat"]),
        "seekers[1].formats[0]: 'chat' is not a known format",
    ),
    "unknown concern": (
        set_in("seekers", 1, "concerns", value=["stress"]),
        "seekers[1].concerns[0]: 'stress' is not a known concern",
    ),
    "unknown profession": (
        set_in("therapists", 0, "profession", value="coach"),
        "therapists[0].profession: 'coach' is not a known profession",
    ),
    "unknown strictness": (
        set_in("seekers", 0, "strictness", value="paranoid"),
        "seekers[0].strictness: 'paranoid' is not a known strictness",
    ),
    "bad zip": (
        set_in("seekers", 0, "zip", value=85004),
        "seekers[0].zip: expected a US ZIP code string like '80302', got the number 85004",
    ),
    "bad language": (
        set_in("therapists", 0, "languages", value=["english"]),
        "therapists[0].languages[0]: 'english' is not an ISO 639-1 language code",
    ),
    "privilege without state": (
        set_in("therapists", 6, "authorizations", 0, "jurisdiction", value=None),
        "therapists[6].authorizations[0].jurisdiction: a Counseling Compact privilege",
    ),
    "unknown authorization": (
        set_in("therapists", 0, "authorizations", 0, "kind", value="apit"),
        "therapists[0].authorizations[0].kind: 'apit' is not a known authorization kind",
    ),
    "duplicate therapist id": (
        set_in("therapists", 3, "id", value="t1"),
        "therapists[3].id: duplicate id 't1'",
    ),
    "affiliation to unknown entity": (
        set_in("affiliations", 0, "entity", value="e404"),
        "affiliations[0].entity: unknown entity 'e404'",
    ),
    "exclude unknown entity": (
        set_in("seekers", 0, "exclude_entities", value=["e404"]),
        "seekers[0].exclude_entities[0]: unknown entity 'e404'",
    ),
    "ends before it starts": (
        set_in("affiliations", 1, "to", value="2011-01-01"),
        "affiliations[1].to: 2011-01-01 is before 'from' 2012-03-01",
    ),
    "tie to oneself": (
        set_in("ties", 0, "b", value="s1"),
        "ties[0].b: a tie needs two different people",
    ),
    "unknown entity kind": (
        set_in("entities", 0, "kind", value="ward"),
        "entities[0].kind: 'ward' is not a known entity kind",
    ),
    "list expected": (
        set_in("seekers", 0, "avoid", value="t3"),
        "seekers[0].avoid: expected a list, got the string 't3'",
    ),
    "object expected": (
        set_in("therapists", 1, value=["t2"]),
        "therapists[1]: expected an object, got a list",
    ),
    "empty object": (
        lambda d: d.clear(),
        "therapists: missing required field",
    ),
    "compact date": (
        set_in("as_of", value="20261126"),
        "as_of: '20261126' is not a date like '2026-11-26'",
    ),
}


@pytest.mark.parametrize(("change", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_scenarios(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    assert run_rank(str(mutated(tmp_path, change))) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, message)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "scenario: expected an object, got a list"),
        (b'{"as_of": NaN}', "invalid JSON: NaN is not valid JSON"),
        (b"\xff\xfe{}", "is not UTF-8 text"),
        (b"[" * 100_000, "invalid JSON"),
        (b"", "invalid JSON at line 1 column 1"),
    ],
)
def test_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "scenario.json"
    path.write_bytes(content)
    assert run_rank(str(path)) == 2
    assert_one_line_error(capsys.readouterr().err, message)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_rank(str(tmp_path / "nope.json")) == 2
    assert_one_line_error(capsys.readouterr().err, "nope.json: No such file or directory")


def test_as_of_defaults_to_today() -> None:
    data = sample()
    del data["as_of"]
    assert parse_scenario(data, today=date(2030, 1, 2)).as_of == date(2030, 1, 2)
    assert parse_scenario(data).as_of == date.today()


def test_parse_builds_the_dataclasses() -> None:
    scenario = load_scenario(str(SAMPLE))
    assert scenario.as_of == date(2026, 11, 26)
    t1 = scenario.therapists[0]
    assert t1.authorizations[0].kind == "psypact_apit"
    assert t1.authorizations[0].jurisdiction is None
    assert t1.office is not None
    assert t1.office.zip == "80302"
    assert t1.professions_served == ("nurse", "physician")
    assert scenario.therapists[1].clinician_experience_years == 0  # optional field
    s2 = scenario.seekers[1]
    assert (s2.max_fee, s2.max_km, s2.strict, s2.profession) == (None, None, True, None)
    assert scenario.affiliations[0].end is None
    assert scenario.ties[0].kind == "colleague"


def test_error_carries_the_path() -> None:
    data = sample()
    data["seekers"][0]["formats"] = ["video", 3]
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(data)
    assert raised.value.path == "seekers[0].formats[1]"
    assert isinstance(raised.value, ValueError)
