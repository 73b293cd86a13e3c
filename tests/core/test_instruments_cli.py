"""``python -m holdspace.core score INSTRUMENT FILE``, run as a real subprocess.

Sample answers are in tests/core/answers/; expected scores are worked out by hand below.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).resolve().parent / "answers"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "holdspace.core", "score", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == expected + "\n"
    assert "Traceback" not in result.stderr


def test_phq9_mild() -> None:
    result = run("phq9", str(ANSWERS / "phq9-mild.json"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # 2+1+2+1+1+1+1+0+0 = 9, mild; the difficulty answer (10: 3) is not added (it would make 12).
    assert json.loads(result.stdout) == {
        "instrument": "phq9",
        "scales": {"total": 9.0},
        "bands": {"total": "mild"},
        "flags": [],
    }


def test_phq9_item_9_sets_the_flag() -> None:
    result = run("phq9", str(ANSWERS / "phq9-item9.json"))
    assert result.returncode == 0, result.stderr
    # Only item 9 = 1: total 1, minimal, flagged.
    assert json.loads(result.stdout) == {
        "instrument": "phq9",
        "scales": {"total": 1.0},
        "bands": {"total": "minimal"},
        "flags": ["self_harm"],
    }


def test_gad7_moderate() -> None:
    result = run("gad7", str(ANSWERS / "gad7-moderate.json"))
    assert result.returncode == 0, result.stderr
    # 2+2+2+1+1+1+1 = 10, moderate; item 8 (difficulty) not scored.
    assert json.loads(result.stdout)["scales"] == {"total": 10.0}
    assert json.loads(result.stdout)["bands"] == {"total": "moderate"}


def test_proqol5_sample() -> None:
    result = run("proqol5", str(ANSWERS / "proqol5-sample.json"))
    assert result.returncode == 0, result.stderr
    # CS: 10 items x 4 = 40 (moderate). STS: 10 x 2 = 20 (low).
    # BO: reversed 1, 4, 15, 17, 29 answered 4 -> 6 - 4 = 2 each = 10;
    #     forward 8, 10, 19, 21, 26 answered 3 -> 15; 10 + 15 = 25 (moderate).
    assert json.loads(result.stdout) == {
        "instrument": "proqol5",
        "scales": {"CS": 40.0, "BO": 25.0, "STS": 20.0},
        "bands": {"CS": "moderate", "BO": "moderate", "STS": "low"},
        "flags": [],
    }


def test_cbi_partial() -> None:
    result = run("cbi", str(ANSWERS / "cbi-partial.json"))
    assert result.returncode == 0, result.stderr
    # Personal: (75 + 50 + 100) / 3 = 75. Work: 3 answered, fewer than 4 -> non-responder.
    # Client: six items at 25 -> 25.
    assert json.loads(result.stdout) == {
        "instrument": "cbi",
        "scales": {"personal": 75.0, "client": 25.0},
        "bands": {"personal": None, "work": None, "client": None},
        "flags": [],
    }


def test_off_scale_values() -> None:
    assert_one_error_line(
        run("phq9", str(ANSWERS / "phq9-off-scale.json")),
        "error: phq9: item 3: 4 is off the scale (allowed: 0, 1, 2, 3); "
        "item 10: 7 is off the scale (allowed: 0, 1, 2, 3)",
    )


def test_not_an_object() -> None:
    path = str(ANSWERS / "phq9-not-object.json")
    assert_one_error_line(
        run("phq9", path),
        f"error: {path}: expected a JSON object of item ids to answers, got an array",
    )


def test_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"1": 0, "2": ')
    assert_one_error_line(
        run("phq9", str(path)),
        f"error: {path}: not valid JSON (line 1, column 15: Expecting value)",
    )


def test_binary_garbage_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "garbage.json"
    path.write_bytes(b"\xff\xfe\xfa\x00{")
    result = run("phq9", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}: not valid JSON")
    assert result.stderr.count("\n") == 1


def test_missing_and_unknown_items(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(
        json.dumps({"1": 0, "2": 0, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 0, "q10": 1})
    )
    assert_one_error_line(
        run("phq9", str(path)), "error: phq9: unknown items: q10; missing items: 3"
    )


def test_unknown_instrument() -> None:
    assert_one_error_line(
        run("phq8", str(ANSWERS / "phq9-mild.json")),
        'error: unknown instrument "phq8" (known: proqol5, phq9, gad7, cbi)',
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    assert_one_error_line(
        run("phq9", str(path)), f"error: {path}: cannot read: No such file or directory"
    )


@pytest.mark.parametrize("instrument", ["proqol5", "gad7"])
def test_a_file_for_another_instrument_names_the_items(instrument: str) -> None:
    result = run(instrument, str(ANSWERS / "cbi-partial.json"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {instrument}: ")
    assert "unknown items:" in result.stderr or "off the scale" in result.stderr
    assert result.stderr.count("\n") == 1
