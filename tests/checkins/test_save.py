"""Saving: a signed-in seeker saves directly; an anonymous person is asked to sign in first, and
only by that explicit choice are the answers held in the session until they return."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.checkins.models import CheckIn
from holdspace.checkins.selectors import PENDING_KEY
from tests.checkins.helpers import answers, form, row_counts
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SAVE = reverse("checkins:save")
HOLD = reverse("checkins:hold")
RESUME = reverse("checkins:resume")


def carried(instrument_id: str, chosen: dict[str, int], **extra: str) -> dict[str, str]:
    return form(chosen, instrument=instrument_id, **extra)


def test_signed_in_seeker_saves_answers_scores_and_word(seeker: User) -> None:
    chosen = answers("proqol5", 4)
    response = client_for(seeker).post(SAVE, carried("proqol5", chosen, word="nurse"))
    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("checkins:detail", args=[checkin.pk])
    assert checkin.user == seeker
    assert checkin.instrument == "proqol5"
    assert checkin.answers == chosen
    # CS 40, STS 40, BO: five forward 4s (20) + five reversed 6-4 (10) = 30.
    assert checkin.scales == {"CS": 40.0, "BO": 30.0, "STS": 40.0}
    assert checkin.bands == {"CS": "moderate", "BO": "moderate", "STS": "moderate"}
    assert checkin.profession_word == "nurse"
    assert checkin.self_harm is False
    assert checkin.taken_at is not None


def test_saving_flags_self_harm(seeker: User) -> None:
    client_for(seeker).post(SAVE, carried("phq9", answers("phq9", 0, _9=3)))
    checkin = CheckIn.objects.get()
    assert checkin.self_harm is True
    assert checkin.scales == {"total": 3.0}


def test_scores_are_recomputed_never_taken_from_the_form(seeker: User) -> None:
    data = carried("gad7", answers("gad7", 0), scales="total=21", self_harm="1")
    client_for(seeker).post(SAVE, data)
    checkin = CheckIn.objects.get()
    assert checkin.scales == {"total": 0.0}
    assert checkin.self_harm is False


def test_tampered_hidden_answers_save_nothing_and_show_the_form(seeker: User) -> None:
    response = client_for(seeker).post(SAVE, carried("gad7", answers("gad7", 1, _2=8)))
    assert response.status_code == 400
    assert "Question 2: That answer isn’t one of the choices" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_unknown_instrument_on_save_is_a_404(seeker: User) -> None:
    response = client_for(seeker).post(SAVE, carried("beck", {"1": 1}))
    assert response.status_code == 404
    assert not CheckIn.objects.exists()


def test_anonymous_save_explains_and_stores_nothing() -> None:
    before = row_counts()
    response = Client().post(SAVE, carried("gad7", answers("gad7", 1)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "haven’t been stored anywhere yet" in html
    assert "temporary session on our server" in html
    assert f'action="{HOLD}"' in html
    assert '<input type="hidden" name="item-7" value="1">' in html
    assert row_counts() == before


def test_holding_keeps_the_answers_in_the_session_and_sends_to_sign_in() -> None:
    client = Client()
    response = client.post(HOLD, carried("gad7", answers("gad7", 2), then="sign_in"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fcheck-in%2Fsave%2Fwaiting%2F" in response["Location"]
    assert client.session[PENDING_KEY]["answers"] == answers("gad7", 2)
    assert Session.objects.count() == 1
    assert not CheckIn.objects.exists()


def test_holding_can_lead_to_sign_up() -> None:
    response = Client().post(HOLD, carried("gad7", answers("gad7", 2), then="sign_up"))
    assert response["Location"].startswith(reverse("account_signup"))


def sign_up(client: Client, email: str, next_url: str = "") -> str:
    """Create an account through allauth's form (email confirmation is mandatory); returns the
    page it leads to."""
    response = client.post(
        reverse("account_signup") + (f"?next={next_url}" if next_url else ""),
        {
            "email": email,
            "password1": "slow mornings after night shifts",
            "password2": "slow mornings after night shifts",
            "role": "seeker",
            "pseudonym": "Quiet Heron 7",
        },
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_signing_up_to_keep_a_check_in_says_the_answers_wait_in_this_browser() -> None:
    client = Client()
    response = client.post(HOLD, carried("phq9", answers("phq9", 1), then="sign_up"))
    text = " ".join(sign_up(client, "jo@example.test", RESUME).split())
    assert "Check your email" in text
    assert "Your PHQ-9 answers are waiting in this browser." in text
    assert "Open the link here, in this browser, and you can save them" in text
    assert response.status_code == 302
    assert not CheckIn.objects.exists()
    # Without a held check-in the page says nothing about one.
    assert "waiting in this browser" not in sign_up(Client(), "sam@example.test")


def test_held_check_in_is_saved_after_a_real_sign_in(seeker: User) -> None:
    EmailAddress.objects.create(user=seeker, email=seeker.email, verified=True, primary=True)
    client = Client()
    response = client.post(HOLD, carried("phq9", answers("phq9", 1, _9=1), then="sign_in"))
    response = client.post(
        response["Location"], {"login": seeker.email, "password": PASSWORD}, follow=False
    )
    assert response["Location"] == RESUME

    page = client.get(RESUME)
    html = page.content.decode()
    assert "Save your PHQ-9 check-in?" in html
    assert html.index('id="crisis-resources"') < html.index("score-value")
    assert "no-store" in page["Cache-Control"]

    response = client.post(RESUME, {"action": "save"})
    checkin = CheckIn.objects.get()
    assert response["Location"] == reverse("checkins:detail", args=[checkin.pk])
    assert checkin.user == seeker
    assert checkin.self_harm is True
    assert checkin.answers == answers("phq9", 1, _9=1)
    assert PENDING_KEY not in client.session


def test_a_held_check_in_can_be_let_go(seeker: User) -> None:
    client = Client()
    client.post(HOLD, carried("gad7", answers("gad7", 2)))
    client.force_login(seeker)
    assert "waiting to be saved" in client.get(reverse("checkins:history")).content.decode()
    client.post(RESUME, {"action": "discard"})
    assert PENDING_KEY not in client.session
    assert not CheckIn.objects.exists()
    assert client.get(RESUME)["Location"] == reverse("checkins:history")


def test_a_tampered_session_is_never_saved(seeker: User) -> None:
    client = client_for(seeker)
    session = client.session
    session[PENDING_KEY] = {"instrument": "gad7", "answers": {"1": 99}, "held_at": "x"}
    session.save()
    client.post(RESUME, {"action": "save"})
    assert not CheckIn.objects.exists()


def test_a_signed_in_seeker_holding_saves_directly(seeker: User) -> None:
    client = client_for(seeker)
    client.post(HOLD, carried("gad7", answers("gad7", 0)))
    assert CheckIn.objects.filter(user=seeker).count() == 1
    assert PENDING_KEY not in client.session


def test_therapists_cannot_save_check_ins(therapist: User) -> None:
    response = client_for(therapist).post(SAVE, carried("gad7", answers("gad7", 1)))
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_resume_is_for_signed_in_seekers_only(therapist: User) -> None:
    assert Client().get(RESUME)["Location"].startswith(reverse("account_login"))
    assert client_for(therapist).get(RESUME).status_code == 403


def test_save_and_hold_refuse_get() -> None:
    assert Client().get(SAVE).status_code == 405
    assert Client().get(HOLD).status_code == 405
