"""One page per instrument: a plain form that works without JavaScript, and bad input handled
on the page with every chosen answer kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from tests.checkins.helpers import answers, form, row_counts
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def url(instrument_id: str) -> str:
    return reverse("checkins:take", args=[instrument_id])


def checked(html: str, item_id: str) -> str | None:
    """The value of the checked radio for an item, or None."""
    match = re.search(rf'name="item-{item_id}" value="(-?\d+)" checked', html)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("instrument_id", "count", "options"),
    [("proqol5", 30, 5), ("cbi", 19, 5), ("phq9", 10, 4), ("gad7", 8, 4)],
)
def test_every_item_is_a_radio_group_with_the_instruments_options(
    instrument_id: str, count: int, options: int
) -> None:
    html = Client().get(url(instrument_id)).content.decode()
    assert html.count('<fieldset class="fieldset question"') == count
    assert html.count('type="radio"') == count * options
    assert f"Question 1 of {count}" in html
    assert f"Question {count} of {count}" in html
    assert "<script" not in html  # works without JavaScript
    assert 'method="post"' in html


def test_progress_and_credit_and_terms_are_on_the_page() -> None:
    html = Client().get(url("gad7")).content.decode()
    assert "7 questions and 1 optional · about 2 minutes" in html
    assert "No permission required to reproduce" in html  # the credit line
    assert "Copyright is held by Pfizer Inc." in html  # the terms


def test_proqol_shows_the_chosen_word_and_says_so() -> None:
    html = Client().get(url("proqol5"), {"word": "nurse"}).content.decode()
    assert "I feel trapped by my job as a nurse." in html
    assert "[helper]" in html
    assert "shown as\n    “nurse”, as its terms allow" in html
    assert "www.ProQOL.org" in html
    assert '<input type="hidden" name="word" value="nurse">' in html


def test_proqol_ignores_a_word_not_on_the_list() -> None:
    html = Client().get(url("proqol5"), {"word": "<b>emergency physician</b>"}).content.decode()
    assert "I feel trapped by my job as a helper." in html
    assert "emergency physician" not in html


def test_proqol_word_follows_the_account(physician: User) -> None:
    html = client_for(physician).get(url("proqol5")).content.decode()
    assert "my life as a physician." in html


def test_unknown_instrument_is_a_clear_404() -> None:
    response = Client().get(url("beck"))
    html = response.content.decode()
    assert response.status_code == 404
    assert "We don’t have that check-in" in html
    assert url("phq9") in html
    assert Client().post(url("beck"), {"item-1": "1"}).status_code == 404


def test_missing_items_are_named_beside_each_question_and_answers_kept() -> None:
    chosen = answers("phq9", 2)
    del chosen["4"], chosen["7"]
    response = Client().post(url("phq9"), form(chosen))
    html = response.content.decode()
    assert response.status_code == 400
    assert "A few answers need another look" in html
    assert '<a href="#q4-0">Question 4: Please choose an answer' in html
    assert '<a href="#q7-0">Question 7: Please choose an answer' in html
    assert 'id="q4-error">Please choose an answer to this question.' in html
    assert 'aria-describedby="q4-error"' in html
    for item_id in chosen:
        assert checked(html, item_id) == "2"
    assert checked(html, "4") is None


def test_off_scale_and_non_numeric_values_are_errors_and_other_answers_kept() -> None:
    data = form(answers("gad7", 1, _3=9))
    data["item-5"] = "often"
    html = Client().post(url("gad7"), data).content.decode()
    assert "Question 3: That answer isn’t one of the choices" in html
    assert "Question 5: That answer isn’t one of the choices" in html
    assert checked(html, "1") == "1"
    assert checked(html, "3") is None
    assert checked(html, "5") is None


def test_tampered_item_ids_are_set_aside_with_a_clear_message() -> None:
    data = form(answers("gad7", 0), **{"item-99": "1", "item-../1": "2"})
    response = Client().post(url("gad7"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "isn’t part of this check-in, so we set it aside" in html
    assert all(checked(html, str(i)) == "0" for i in range(1, 8))
    assert "item-99" not in html


def test_proqol_keeps_the_word_through_an_error() -> None:
    chosen = answers("proqol5", 3)
    del chosen["10"]
    html = Client().post(url("proqol5"), form(chosen, word="therapist")).content.decode()
    assert "I feel trapped by my job as a therapist." in html
    assert checked(html, "30") == "3"


def test_cbi_with_nothing_answered_asks_for_answers() -> None:
    html = Client().post(url("cbi"), {}).content.decode()
    assert "Please answer at least a few questions" in html


def test_bad_input_writes_nothing() -> None:
    before = row_counts()
    Client().post(url("phq9"), {"item-1": "7"})
    Client().post(url("beck"), {})
    assert row_counts() == before


def test_a_therapist_can_take_a_check_in_but_not_save_it(therapist: User) -> None:
    # Forbidden access on this page means: no save button for an account that can't keep it.
    html = client_for(therapist).post(url("gad7"), form(answers("gad7", 1))).content.decode()
    assert "Your GAD-7 results" in html
    assert "Save to my account" not in html
    assert "can’t be saved to your account" in html


def test_only_get_and_post_are_allowed() -> None:
    assert Client().put(url("gad7")).status_code == 405
