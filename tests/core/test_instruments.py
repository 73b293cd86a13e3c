"""Scoring tests for holdspace.core.instruments, from the published keys.

The keys below are typed in from the published forms (ProQOL 5 self-score form, Kroenke 2001 /
Spitzer 2006 bands, Kristensen 2005 / PUMA for the CBI), not read from the module, so a wrong
data file or a wrong loader fails here. Expected scores are worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest

from holdspace.core.instruments import (
    INSTRUMENT_IDS,
    SELF_HARM,
    InstrumentError,
    Score,
    instrument,
    proqol_item_text,
    score,
)

# --- published keys ------------------------------------------------------------------------

PROQOL_CS = ["3", "6", "12", "16", "18", "20", "22", "24", "27", "30"]
PROQOL_BO = ["1", "4", "8", "10", "15", "17", "19", "21", "26", "29"]
PROQOL_STS = ["2", "5", "7", "9", "11", "13", "14", "23", "25", "28"]
PROQOL_REVERSED = ["1", "4", "15", "17", "29"]
PROQOL_BO_FORWARD = ["8", "10", "19", "21", "26"]
PROQOL_ALL = [str(i) for i in range(1, 31)]

PHQ9_ITEMS = [str(i) for i in range(1, 10)]
PHQ9_DIFFICULTY = "10"
GAD7_ITEMS = [str(i) for i in range(1, 8)]
GAD7_DIFFICULTY = "8"

CBI_PERSONAL = ["1", "2", "3", "4", "5", "6"]
CBI_WORK = ["7", "8", "9", "10", "11", "12", "13"]
CBI_CLIENT = ["14", "15", "16", "17", "18", "19"]
CBI_REVERSED = "13"

SHARED_DATA = Path("/work/shared/data/instruments.json")


def same(ids: list[str], value: int) -> dict[str, int]:
    return dict.fromkeys(ids, value)


def spread(ids: list[str], total: int, low: int, high: int) -> dict[str, int]:
    """Answers on ``ids`` that add up to ``total``: fill items to ``high`` one by one."""
    values = dict.fromkeys(ids, low)
    rest = total - low * len(ids)
    for item_id in ids:
        step = min(high - low, rest)
        values[item_id] += step
        rest -= step
    assert rest == 0, f"{total} is out of reach"
    assert sum(values.values()) == total
    return values


# --- the data file -------------------------------------------------------------------------


def test_packaged_data_is_a_verbatim_copy_of_the_shared_file() -> None:
    if not SHARED_DATA.exists():
        pytest.skip("shared data directory not present")
    packaged = resources.files("holdspace.core").joinpath("data/instruments.json").read_bytes()
    assert packaged == SHARED_DATA.read_bytes()


def test_instrument_ids() -> None:
    assert INSTRUMENT_IDS == ("proqol5", "phq9", "gad7", "cbi")
    assert [instrument(i).id for i in INSTRUMENT_IDS] == list(INSTRUMENT_IDS)


def test_proqol_key_matches_the_published_form() -> None:
    proqol = instrument("proqol5")
    assert proqol.scale("CS").items == tuple(PROQOL_CS)
    assert proqol.scale("BO").items == tuple(PROQOL_BO)
    assert proqol.scale("STS").items == tuple(PROQOL_STS)
    assert [item.id for item in proqol.items if item.reverse] == PROQOL_REVERSED
    assert [item.id for item in proqol.items] == PROQOL_ALL
    assert all(item.required for item in proqol.items)
    raw = json.loads(SHARED_DATA.read_text()) if SHARED_DATA.exists() else None
    if raw is not None:
        # The file states the reversed items twice; both must agree.
        assert raw["instruments"]["proqol5"]["scoring"]["reverse_items"] == PROQOL_REVERSED


def test_cbi_key_matches_kristensen() -> None:
    cbi = instrument("cbi")
    assert cbi.scale("personal").items == tuple(CBI_PERSONAL)
    assert cbi.scale("work").items == tuple(CBI_WORK)
    assert cbi.scale("client").items == tuple(CBI_CLIENT)
    assert [item.id for item in cbi.items if item.reverse] == [CBI_REVERSED]
    # PUMA: non-responder below 3 (personal), 4 (work); client 3 is the file's unconfirmed value.
    assert [s.min_answered for s in cbi.scales] == [3, 4, 3]
    assert cbi.scale("client").unconfirmed
    assert not any(item.required for item in cbi.items)


def test_every_possible_total_falls_in_exactly_one_band() -> None:
    for instrument_id, scale_id, low, high in [
        ("proqol5", "CS", 10, 50),
        ("proqol5", "BO", 10, 50),
        ("proqol5", "STS", 10, 50),
        ("phq9", "total", 0, 27),
        ("gad7", "total", 0, 21),
    ]:
        bands = instrument(instrument_id).scale(scale_id).bands
        for value in range(low, high + 1):
            assert sum(band.contains(value) for band in bands) == 1, (instrument_id, value)


# --- ProQOL 5 -------------------------------------------------------------------------------


def test_proqol_all_minimum() -> None:
    result = score("proqol5", same(PROQOL_ALL, 1))
    # CS, STS: 10 x 1 = 10. BO: 5 forward x 1 + 5 reversed x (6 - 1 = 5) = 5 + 25 = 30.
    assert result.scales == {"CS": 10.0, "BO": 30.0, "STS": 10.0}
    assert result.bands == {"CS": "low", "BO": "moderate", "STS": "low"}
    assert result.flags == frozenset()
    assert result.instrument == "proqol5"


def test_proqol_all_maximum() -> None:
    result = score("proqol5", same(PROQOL_ALL, 5))
    # CS, STS: 10 x 5 = 50. BO: 5 forward x 5 + 5 reversed x (6 - 5 = 1) = 25 + 5 = 30.
    assert result.scales == {"CS": 50.0, "BO": 30.0, "STS": 50.0}
    assert result.bands == {"CS": "high", "BO": "moderate", "STS": "high"}


def test_proqol_burnout_extremes_need_the_reversed_items_turned_around() -> None:
    lowest = same(PROQOL_ALL, 3) | same(PROQOL_BO_FORWARD, 1) | same(PROQOL_REVERSED, 5)
    # 5 x 1 + 5 x (6 - 5) = 10
    assert score("proqol5", lowest).scales["BO"] == 10.0
    highest = same(PROQOL_ALL, 3) | same(PROQOL_BO_FORWARD, 5) | same(PROQOL_REVERSED, 1)
    # 5 x 5 + 5 x (6 - 1) = 50
    assert score("proqol5", highest).scales["BO"] == 50.0
    assert score("proqol5", highest).bands["BO"] == "high"


@pytest.mark.parametrize("item_id", PROQOL_REVERSED)
def test_proqol_reversed_item_moves_burnout_down(item_id: str) -> None:
    baseline = same(PROQOL_ALL, 3)  # BO = 10 x 3 = 30 (6 - 3 = 3 for reversed items)
    assert score("proqol5", baseline).scales["BO"] == 30.0
    # Answering 5 on a reversed item scores 6 - 5 = 1 instead of 3: BO 30 - 2 = 28.
    assert score("proqol5", baseline | {item_id: 5}).scales["BO"] == 28.0
    # Answering 1 scores 6 - 1 = 5 instead of 3: BO 30 + 2 = 32.
    raised = score("proqol5", baseline | {item_id: 1})
    assert raised.scales == {"CS": 30.0, "BO": 32.0, "STS": 30.0}


@pytest.mark.parametrize("item_id", PROQOL_BO_FORWARD)
def test_proqol_forward_burnout_item_moves_burnout_up(item_id: str) -> None:
    # 30 - 3 + 5 = 32
    assert score("proqol5", same(PROQOL_ALL, 3) | {item_id: 5}).scales["BO"] == 32.0


@pytest.mark.parametrize(
    ("total", "band"),
    [(22, "low"), (23, "moderate"), (41, "moderate"), (42, "high")],
)
@pytest.mark.parametrize("scale_id", ["CS", "BO", "STS"])
def test_proqol_band_boundaries(scale_id: str, total: int, band: str) -> None:
    # Self-score form: <= 22 low, 23-41 moderate, >= 42 high (raw sums).
    ids = {"CS": PROQOL_CS, "BO": PROQOL_BO, "STS": PROQOL_STS}[scale_id]
    points = spread(ids, total, 1, 5)
    # A reversed item scoring p points was answered 6 - p.
    answers = same(PROQOL_ALL, 3) | {
        i: 6 - p if i in PROQOL_REVERSED else p for i, p in points.items()
    }
    result = score("proqol5", answers)
    assert result.scales[scale_id] == float(total)
    assert result.bands[scale_id] == band


def test_proqol_incomplete_is_an_error() -> None:
    answers = same(PROQOL_ALL, 3)
    del answers["7"], answers["21"]
    with pytest.raises(InstrumentError, match=r"^proqol5: missing items: 7, 21$") as caught:
        score("proqol5", answers)
    assert caught.value.problems == {"7": "missing answer", "21": "missing answer"}


def test_proqol_zero_is_off_its_scale() -> None:
    with pytest.raises(
        InstrumentError, match=r"item 1: 0 is off the scale \(allowed: 1, 2, 3, 4, 5\)"
    ):
        score("proqol5", same(PROQOL_ALL, 3) | {"1": 0})


# --- PHQ-9 ----------------------------------------------------------------------------------


def test_phq9_all_minimum() -> None:
    result = score("phq9", same(PHQ9_ITEMS, 0))
    assert result == Score(
        scales={"total": 0.0}, bands={"total": "minimal"}, flags=frozenset(), instrument="phq9"
    )


def test_phq9_all_maximum() -> None:
    result = score("phq9", same(PHQ9_ITEMS, 3))
    # 9 x 3 = 27; item 9 = 3 > 0 sets the flag.
    assert result.scales == {"total": 27.0}
    assert result.bands == {"total": "severe"}
    assert result.flags == frozenset({SELF_HARM})
    assert SELF_HARM == "self_harm"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
    ],
)
def test_phq9_band_boundaries(total: int, band: str) -> None:
    # Kroenke 2001: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe.
    # Items 1-8 carry the total (at most 8 x 3 = 24); item 9 stays 0 so no flag interferes.
    answers = spread(PHQ9_ITEMS[:8], total, 0, 3) | {"9": 0}
    result = score("phq9", answers)
    assert result.scales == {"total": float(total)}
    assert result.bands == {"total": band}
    assert result.flags == frozenset()


def test_phq9_item_9_flag() -> None:
    zero = same(PHQ9_ITEMS, 0)
    assert score("phq9", zero).flags == frozenset()
    # One point on item 9 alone: total 1, minimal, and still the flag.
    result = score("phq9", zero | {"9": 1})
    assert result.flags == frozenset({"self_harm"})
    assert result.scales == {"total": 1.0}
    assert result.bands == {"total": "minimal"}


def test_phq9_flag_follows_item_9_not_the_total() -> None:
    # Items 1-8 at 3, item 9 at 0: 24, severe, no flag.
    result = score("phq9", same(PHQ9_ITEMS[:8], 3) | {"9": 0})
    assert result.scales == {"total": 24.0}
    assert result.bands == {"total": "severe"}
    assert result.flags == frozenset()


def test_phq9_difficulty_question_is_optional_and_never_scored() -> None:
    # 9 points on items 1-9 is mild; adding the difficulty answer (3) would make 12, moderate.
    answers = spread(PHQ9_ITEMS[:8], 9, 0, 3) | {"9": 0}
    assert score("phq9", answers | {PHQ9_DIFFICULTY: 3}).scales == {"total": 9.0}
    assert score("phq9", answers | {PHQ9_DIFFICULTY: 3}).bands == {"total": "mild"}
    with pytest.raises(InstrumentError, match=r"^phq9: item 10: 4 is off the scale"):
        score("phq9", answers | {PHQ9_DIFFICULTY: 4})


# --- GAD-7 ----------------------------------------------------------------------------------


def test_gad7_all_minimum_and_maximum() -> None:
    low = score("gad7", same(GAD7_ITEMS, 0))
    assert (low.scales, low.bands, low.flags) == ({"total": 0.0}, {"total": "minimal"}, frozenset())
    high = score("gad7", same(GAD7_ITEMS, 3))
    # 7 x 3 = 21; the GAD-7 has no safety item.
    assert (high.scales, high.bands, high.flags) == (
        {"total": 21.0},
        {"total": "severe"},
        frozenset(),
    )


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe")],
)
def test_gad7_band_boundaries(total: int, band: str) -> None:
    # Spitzer 2006: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
    result = score("gad7", spread(GAD7_ITEMS, total, 0, 3))
    assert result.scales == {"total": float(total)}
    assert result.bands == {"total": band}


def test_gad7_difficulty_question_is_item_8_and_not_scored() -> None:
    # 2+2+2+1+1+1+1 = 10 moderate, whatever item 8 says.
    answers = {"1": 2, "2": 2, "3": 2, "4": 1, "5": 1, "6": 1, "7": 1}
    assert score("gad7", answers | {GAD7_DIFFICULTY: 3}).scales == {"total": 10.0}
    with pytest.raises(InstrumentError, match="unknown items: 9"):
        score("gad7", answers | {"9": 1})  # PHQ-9's safety item is not a GAD-7 item


# --- CBI ------------------------------------------------------------------------------------

CBI_ALL = CBI_PERSONAL + CBI_WORK + CBI_CLIENT


def test_cbi_all_minimum() -> None:
    result = score("cbi", same(CBI_ALL, 0))
    # Work: six items at 0 and item 13 at 100 - 0 = 100, so 100 / 7.
    assert result.scales == pytest.approx({"personal": 0.0, "work": 100 / 7, "client": 0.0})
    assert result.bands == {"personal": None, "work": None, "client": None}
    assert result.flags == frozenset()


def test_cbi_all_maximum() -> None:
    result = score("cbi", same(CBI_ALL, 100))
    # Work: six items at 100 and item 13 at 100 - 100 = 0, so 600 / 7.
    assert result.scales == pytest.approx({"personal": 100.0, "work": 600 / 7, "client": 100.0})


def test_cbi_lowest_and_highest_work_burnout() -> None:
    assert score("cbi", same(CBI_WORK, 0) | {"13": 100}).scales == {"work": 0.0}
    assert score("cbi", same(CBI_WORK, 100) | {"13": 0}).scales == {"work": 100.0}


def test_cbi_reversed_work_item() -> None:
    baseline = same(CBI_WORK, 50)  # every item (and 100 - 50) scores 50: mean 50
    assert score("cbi", baseline).scales == {"work": 50.0}
    # Item 13 answered 100 ("always" enough energy) scores 0: (6 x 50 + 0) / 7 = 300 / 7.
    assert score("cbi", baseline | {"13": 100}).scales["work"] == pytest.approx(300 / 7)
    # Item 13 answered 0 scores 100: (300 + 100) / 7 = 400 / 7.
    assert score("cbi", baseline | {"13": 0}).scales["work"] == pytest.approx(400 / 7)
    # A forward work item at 100 moves the other way: (300 + 100) / 7.
    assert score("cbi", baseline | {"12": 100}).scales["work"] == pytest.approx(400 / 7)


def test_cbi_scale_is_the_mean_of_answered_items() -> None:
    # Personal, three answered: (100 + 75 + 25) / 3 = 200 / 3.
    result = score("cbi", {"1": 100, "2": 75, "3": 25})
    assert result.scales == pytest.approx({"personal": 200 / 3})


@pytest.mark.parametrize(
    ("scale_id", "ids", "minimum"),
    [("personal", CBI_PERSONAL, 3), ("work", CBI_WORK, 4), ("client", CBI_CLIENT, 3)],
)
def test_cbi_non_responders(scale_id: str, ids: list[str], minimum: int) -> None:
    enough = same(ids[:minimum], 75)
    assert score("cbi", enough).scales == {scale_id: 75.0}
    one_short = same(ids[: minimum - 1], 75)
    result = score("cbi", one_short)
    # A non-responder has no score (absent), and the band stays None.
    assert scale_id not in result.scales
    assert result.bands[scale_id] is None


def test_cbi_with_nothing_answered_scores_nothing_but_is_not_an_error() -> None:
    result = score("cbi", {})
    assert result.scales == {}
    assert result.bands == {"personal": None, "work": None, "client": None}


def test_cbi_values_are_points_not_positions() -> None:
    with pytest.raises(InstrumentError) as caught:
        score("cbi", {"1": 3, "14": 60, "2": 100})
    message = str(caught.value)
    assert message.startswith("cbi: item 1: 3 is off the scale (allowed: 100, 75, 50, 25, 0)")
    assert "item 14: 60 is off the scale" in message
    assert set(caught.value.problems) == {"1", "14"}


# --- bad input ------------------------------------------------------------------------------


def test_unknown_instrument() -> None:
    with pytest.raises(InstrumentError, match=r'^unknown instrument "phq10" \(known: proqol5, '):
        score("phq10", {})
    with pytest.raises(ValueError, match="unknown instrument"):  # InstrumentError is a ValueError
        instrument("PHQ9")


def test_unknown_item() -> None:
    with pytest.raises(InstrumentError, match=r"^phq9: unknown items: 11, q1$") as caught:
        score("phq9", same(PHQ9_ITEMS, 1) | {"q1": 1, "11": 0})
    assert caught.value.problems == {"11": "unknown item", "q1": "unknown item"}


def test_values_off_the_scale() -> None:
    with pytest.raises(InstrumentError) as caught:
        score("phq9", same(PHQ9_ITEMS, 1) | {"3": 4, "5": -1})
    assert str(caught.value) == (
        "phq9: item 3: 4 is off the scale (allowed: 0, 1, 2, 3); "
        "item 5: -1 is off the scale (allowed: 0, 1, 2, 3)"
    )
    assert set(caught.value.problems) == {"3", "5"}


@pytest.mark.parametrize(
    ("value", "shown"), [(True, "true"), (1.0, "1.0"), ("2", '"2"'), (None, "null")]
)
def test_non_integer_values(value: object, shown: str) -> None:
    with pytest.raises(InstrumentError) as caught:
        score("gad7", same(GAD7_ITEMS, 1) | {"4": value})  # type: ignore[arg-type]
    assert str(caught.value) == f"gad7: item 4: {shown} is not an integer (allowed: 0, 1, 2, 3)"
    assert list(caught.value.problems) == ["4"]


def test_missing_items() -> None:
    with pytest.raises(InstrumentError, match=r"^gad7: missing items: 1, 2, 3, 4, 5, 6, 7$"):
        score("gad7", {})


def test_every_problem_is_reported_at_once() -> None:
    answers = same(PHQ9_ITEMS, 1) | {"x": 1, "2": 9}
    del answers["6"]
    with pytest.raises(InstrumentError) as caught:
        score("phq9", answers)
    assert str(caught.value) == (
        "phq9: unknown items: x; missing items: 6; item 2: 9 is off the scale (allowed: 0, 1, 2, 3)"
    )
    assert caught.value.problems == {
        "x": "unknown item",
        "6": "missing answer",
        "2": "9 is off the scale (allowed: 0, 1, 2, 3)",
    }


def test_an_integer_key_is_not_mistaken_for_an_item_id() -> None:
    answers: dict[object, int] = {1: 0}
    answers.update(same(PHQ9_ITEMS[1:], 0))
    with pytest.raises(InstrumentError) as caught:
        score("phq9", answers)  # type: ignore[arg-type]
    assert str(caught.value) == "phq9: unknown items: 1 (not a string); missing items: 1"


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(InstrumentError, match="answers must map item ids to values, got list"):
        score("phq9", [0] * 9)  # type: ignore[arg-type]


def test_a_long_list_of_problems_stays_one_readable_line() -> None:
    answers = {f"x{i}": 0 for i in range(50)}
    with pytest.raises(InstrumentError) as caught:
        score("gad7", answers)
    message = str(caught.value)
    assert "and 40 more" in message
    assert "\n" not in message
    assert len(caught.value.problems) == 50 + 7  # every problem is still listed for a form


# --- the score object -----------------------------------------------------------------------


def test_score_is_frozen_and_json_ready() -> None:
    result = score("phq9", same(PHQ9_ITEMS, 0) | {"9": 2})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flags = frozenset()  # type: ignore[misc]
    # 0 x 8 + 2 = 2
    assert json.loads(json.dumps(result.as_dict())) == {
        "instrument": "phq9",
        "scales": {"total": 2.0},
        "bands": {"total": "minimal"},
        "flags": ["self_harm"],
    }


# --- read-only definitions for the pages ----------------------------------------------------


def test_phq9_definition_carries_loinc_codes_and_options() -> None:
    phq9 = instrument("phq9")
    assert phq9.name == "Patient Health Questionnaire-9 (PHQ-9)"
    assert (phq9.loinc_panel, phq9.loinc_total) == ("44249-1", "44261-6")
    first = phq9.item("1")
    assert first.text == "Little interest or pleasure in doing things"
    assert first.loinc == "44250-9"
    assert [(o.value, o.label, o.loinc) for o in first.options] == [
        (0, "Not at all", "LA6568-5"),
        (1, "Several days", "LA6569-3"),
        (2, "More than half the days", "LA6570-1"),
        (3, "Nearly every day", "LA6571-9"),
    ]
    difficulty = phq9.item(PHQ9_DIFFICULTY)
    assert (difficulty.scored, difficulty.required, difficulty.loinc) == (False, False, "69722-7")
    # Not in numeric order on purpose (see the data file's notes).
    assert [o.loinc for o in difficulty.options] == ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]
    assert phq9.safety_item == "9"
    assert "Pfizer" in phq9.credit_line
    with pytest.raises(KeyError):
        phq9.item("11")


def test_gad7_difficulty_loinc_is_left_unconfirmed() -> None:
    gad7 = instrument("gad7")
    assert (gad7.loinc_panel, gad7.loinc_total) == ("69737-5", "70274-6")
    assert gad7.item(GAD7_DIFFICULTY).loinc is None
    assert gad7.safety_item is None


def test_cbi_items_use_their_response_sets() -> None:
    cbi = instrument("cbi")
    assert cbi.instructions is None  # the CBI has no official lead-in
    assert cbi.item("14").options[0].label == "To a very high degree"
    assert cbi.item("18").options[0].label == "Always"
    assert [o.value for o in cbi.item("1").options] == [100, 75, 50, 25, 0]
    definition = cbi.scale("work").definition
    assert definition is not None
    assert definition.startswith("Work-related burnout is")
    assert cbi.credit_line.startswith("Kristensen TS")


def test_proqol_definition_and_credit() -> None:
    proqol = instrument("proqol5")
    assert [o.label for o in proqol.item("1").options] == [
        "Never",
        "Rarely",
        "Sometimes",
        "Often",
        "Very Often",
    ]
    assert proqol.credit_line.endswith("www.ProQOL.org")
    assert "adapted from the ProQOL" in proqol.terms
    assert [s.title for s in proqol.scales] == [
        "Compassion Satisfaction",
        "Burnout",
        "Secondary Traumatic Stress",
    ]
    assert all(item.loinc is None for item in proqol.items)


# --- ProQOL wording -------------------------------------------------------------------------


def test_proqol_text_without_a_profession_drops_the_brackets_only() -> None:
    proqol = instrument("proqol5")
    texts = [proqol.instructions or "", *(item.text for item in proqol.items)]
    for text in texts:
        assert proqol_item_text(text) == text.replace("[", "").replace("]", "")


def test_proqol_text_with_a_profession() -> None:
    proqol = instrument("proqol5")
    assert (
        proqol_item_text(proqol.item("7").text, "nurse")
        == "I find it difficult to separate my personal life from my life as a nurse."
    )
    # [help] is a verb: a profession noun never goes there; help_word does.
    assert proqol_item_text(proqol.item("2").text, "nurse") == (
        "I am preoccupied with more than one person I help."
    )
    assert proqol_item_text(proqol.item("2").text, "teacher", help_word="teach") == (
        "I am preoccupied with more than one person I teach."
    )
    # Other placeholders keep their generic word; the unbracketed "help" in item 20 stays.
    assert proqol_item_text(proqol.item("11").text, "nurse", help_word="nurse") == (
        'Because of my helping, I have felt "on edge" about various things.'
    )
    assert proqol_item_text(proqol.item("20").text, "attorney", help_word="represent") == (
        "I have happy thoughts and feelings about those I represent and how I could help them."
    )
    assert proqol_item_text(proqol.item("21").text, "nurse") == (
        "I feel overwhelmed because my case work load seems endless."
    )


def test_proqol_text_refuses_a_word_that_would_need_an() -> None:
    text = instrument("proqol5").item("10").text  # "... my job as a [helper]."
    with pytest.raises(ValueError, match="choose a word that takes 'a'"):
        proqol_item_text(text, "emergency physician")


@pytest.mark.parametrize("word", ["", "  ", "[nurse]", "nurse\n"])
def test_proqol_text_refuses_unusable_words(word: str) -> None:
    with pytest.raises(ValueError, match="not a usable word"):
        proqol_item_text("as a [helper]", word)
