"""``python -m holdspace.core allocate FILE``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).parent / "scenarios"


def cli(path: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "holdspace.core", "allocate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_allocates_the_shortfall_sample() -> None:
    done = cli(SCENARIOS / "allocate-shortfall.json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    output = json.loads(done.stdout)
    assert set(output) == {"assignments", "unmatched", "stats"}
    assert set(output["stats"]) == {"matched", "total_fit", "min_fit", "lp_bound", "seconds"}
    # Two slots for three seekers: s1 and s2 (higher priority) are placed, s3 waits; s2 may only
    # see t1, so s1 goes to t2 although t1 fits s1 better.
    assert output["assignments"] == [
        {"seeker": "s1", "therapist": "t2", "fit": output["assignments"][0]["fit"]},
        {"seeker": "s2", "therapist": "t1", "fit": output["assignments"][1]["fit"]},
    ]
    assert output["unmatched"] == ["s3"]
    stats = output["stats"]
    assert stats["matched"] == 2
    fits = [a["fit"] for a in output["assignments"]]
    assert all(round(fit, 2) == fit and 0 <= fit <= 1 for fit in fits)
    assert stats["min_fit"] == min(fits)
    assert stats["lp_bound"] >= stats["total_fit"]
    assert stats["seconds"] >= 0


def test_allocates_the_rank_sample() -> None:
    done = cli(SCENARIOS / "sample.json")
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert [a["seeker"] for a in output["assignments"]] == ["s1", "s2"]
    assert output["unmatched"] == []


def assert_one_line_error(done: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"therapists": [,]}', "invalid JSON at line 1 column 17"),
        ('{"therapists": [], "seekers": [{"id": "s1"}]}', "seekers[0].location: missing"),
        ('{"therapists": [], "seekers": [], "extra": 1}', "extra: unknown field"),
        ("[]", "expected an object, got a list"),
        ('{"therapists": [], "seekers": [], "as_of": NaN}', "invalid JSON"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(cli(path), fragment)


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(cli(tmp_path / "nope.json"), "No such file")
