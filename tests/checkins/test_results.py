"""Results in the same response as the answers: plain words, bands, credit, next step, and the
crisis pathway first when PHQ-9 item 9 is above 0. Nothing is written for an anonymous person."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.checkins.models import CheckIn
from tests.checkins.helpers import answers, form, row_counts

pytestmark = pytest.mark.django_db

DIAGNOSIS_WORDS = ("diagnos", "disorder", "you have depression", "you are depressed")


def post(instrument_id: str, data: dict[str, str], client: Client | None = None) -> str:
    response = (client or Client()).post(reverse("checkins:take", args=[instrument_id]), data)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_gad7_results_explain_the_score_and_band() -> None:
    html = post("gad7", form(answers("gad7", 2)))  # 14: moderate (10-14)
    assert "Your GAD-7 results" in html
    assert '<span class="score-value">14</span>' in html
    assert "on a scale of 0 to 21" in html
    assert "the range the GAD-7 calls <strong>“moderate”</strong> (10 to 14)" in html
    assert "Worry has been taking up a lot of room" in html
    assert "Nothing from this check-in has been stored." in html


@pytest.mark.parametrize("instrument_id", ["proqol5", "cbi", "phq9", "gad7"])
def test_results_carry_credit_next_step_and_no_diagnosis_words(instrument_id: str) -> None:
    value = {"proqol5": 3, "cbi": 50, "phq9": 1, "gad7": 1}[instrument_id]
    html = post(instrument_id, form(answers(instrument_id, value), word="nurse"))
    assert 'class="instrument-credit"' in html
    assert "Terms of use for the" in html
    assert f'href="{reverse("directory:browse")}">Find a therapist<' in html
    lowered = html.lower()
    for word in DIAGNOSIS_WORDS:
        assert word not in lowered


def test_proqol_results_show_all_three_scales() -> None:
    # All 3s: CS 30, STS 30, BO: five forward items 3 + five reversed (6-3) = 30: all moderate.
    html = post("proqol5", form(answers("proqol5", 3), word="nurse"))
    for name in ("Compassion satisfaction", "Burnout", "Secondary traumatic stress"):
        assert f"<h2>{name}</h2>" in html
    assert html.count('<span class="score-value">30</span>') == 3
    assert html.count("calls <strong>“moderate”</strong> (23 to 41)") == 3
    assert "www.ProQOL.org" in html


def test_cbi_explains_a_part_left_without_a_score() -> None:
    chosen = answers("cbi", 75)
    for item_id in ("14", "15", "16", "17"):  # client-related: 2 of 6 answered, needs 3
        del chosen[item_id]
    html = post("cbi", form(chosen))
    assert "No score for this part: it needs answers to at least 3 of its 6 questions" in html
    # Personal: six 75s = 75 exactly; work: item 13 reversed (25) -> (6*75+25)/7 = 67.9
    assert '<span class="score-value">75</span>' in html
    assert "your answers average “often”" in html
    assert '<span class="score-value">67.9</span>' in html
    assert "an average of 50 or more was described as a high degree of burnout" in html


def test_anonymous_check_in_writes_no_rows_in_any_table() -> None:
    before = row_counts()
    client = Client()
    client.get(reverse("checkins:start"))
    client.get(reverse("checkins:take", args=["phq9"]))
    post("phq9", form(answers("phq9", 1, _9=2)), client)
    client.post(reverse("checkins:save"), form(answers("phq9", 1, _9=2), instrument="phq9"))
    assert row_counts() == before
    assert "sessionid" not in client.cookies


def test_results_carry_the_answers_as_hidden_fields() -> None:
    html = post("gad7", form(answers("gad7", 1, _8=2)))
    assert '<input type="hidden" name="instrument" value="gad7">' in html
    assert '<input type="hidden" name="item-8" value="2">' in html
    assert f'action="{reverse("checkins:save")}"' in html


def test_self_harm_opens_with_crisis_resources_before_any_score() -> None:
    html = post("phq9", form(answers("phq9", 0, _9=1)))
    main = html[html.index("<main") :]
    crisis = main.index('id="crisis-resources"')
    assert crisis < main.index("score-value")
    assert crisis < main.index("Your PHQ-9 results")
    for resource in ('href="tel:988"', 'href="sms:988"', "tel:+18884090141", 'href="tel:911"'):
        assert crisis < main.index(resource) < main.index("score-value")
    assert '<h1 id="crisis-now">' in main
    assert "<script" not in html
    assert CheckIn.objects.count() == 0


def test_a_risk_answer_gets_the_caring_next_step_even_with_a_low_total() -> None:
    risk = post("phq9", form(answers("phq9", 0, _9=1)))  # total 1: the "minimal" range
    assert "Some of what you carry looks heavy right now." in risk
    assert "If something here rings true" not in risk
    calm = post("phq9", form(answers("phq9", 0)))
    assert "If something here rings true" in calm


def test_no_crisis_block_without_the_signal() -> None:
    html = post("phq9", form(answers("phq9", 3, _9=0)))
    assert 'id="crisis-resources"' not in html
    assert '<h1 id="results-title">' in html
