"""The one risk rule (``holdspace.core.safety``): read from raw answers, before validation, so a
risk answer counts whatever else is missing or wrong; and it agrees with ``score()``'s flag."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.core.instruments import INSTRUMENT_IDS, SELF_HARM, instrument, score
from holdspace.core.safety import CRISIS_CONCERN, check_in_risk, concerns_risk

RISKY = [i for i in INSTRUMENT_IDS if instrument(i).safety_item is not None]


def test_only_the_phq9_has_a_safety_item_and_it_is_item_9() -> None:
    assert RISKY == ["phq9"]
    assert instrument("phq9").safety_item == "9"


def test_item_9_above_not_at_all_is_a_risk_signal_on_its_own() -> None:
    assert check_in_risk("phq9", {"9": "1"})
    assert check_in_risk("phq9", {"9": 3})
    assert not check_in_risk("phq9", {"9": "0"})
    assert not check_in_risk("phq9", {})


def test_other_answers_do_not_matter() -> None:
    junk: dict[str, object] = {"1": "", "2": "seven", "3": "99", "abc": "x", "10": ["1", "2"]}
    assert check_in_risk("phq9", junk | {"9": "2"})
    assert not check_in_risk("phq9", junk | {"9": "0"})


def test_raw_values_as_a_browser_or_a_tamperer_sends_them() -> None:
    # Off the scale above "Not at all" still counts: a false alarm costs little.
    assert check_in_risk("phq9", {"9": "7"})
    assert check_in_risk("phq9", {"9": " 2 "})
    assert check_in_risk("phq9", {"9": "+1"})
    # A field sent twice counts if any copy is a risk answer.
    assert check_in_risk("phq9", {"9": ["0", "2"]})
    assert check_in_risk("phq9", {"9": ("2", "0")})
    # Not an answer above the lowest option.
    for value in ("", "abc", "-1", "1.5", "١", True, None, b"2", 1.0, ["0", ""]):
        assert not check_in_risk("phq9", {"9": value}), value


def test_instruments_without_a_safety_item_and_unknown_ones_carry_none() -> None:
    for instrument_id in ("gad7", "proqol5", "cbi", "phq10", ""):
        assert not check_in_risk(instrument_id, {"9": "3"})


def test_the_find_concern() -> None:
    assert CRISIS_CONCERN == "ending_life"
    assert concerns_risk(["burnout", "ending_life", "not-a-choice"])
    assert concerns_risk([" ending_life "])
    assert not concerns_risk(["burnout", "ending-life", "", 7, None])
    assert not concerns_risk([])


@settings(max_examples=300)
@given(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=9, max_size=9))
def test_the_rule_agrees_with_the_scores_flag_on_every_valid_phq9(values: list[int]) -> None:
    answers = {str(number): value for number, value in enumerate(values, start=1)}
    flagged = SELF_HARM in score("phq9", answers).flags
    assert check_in_risk("phq9", answers) == flagged
    assert check_in_risk("phq9", {k: str(v) for k, v in answers.items()}) == flagged
