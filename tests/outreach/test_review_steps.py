"""Reveal and accept in two steps: the review page writes nothing and says exactly what will
happen; only its confirm acts, once; a confirm that isn't what was reviewed is refused."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.confirmation import CHANGED, EXPIRED
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from tests.conftest import client_for
from tests.factories import make_profile, make_request, make_schedule, make_user
from tests.reviewing import confirm_form

pytestmark = pytest.mark.django_db

CHOICE = {"legal_name": "Alex Chen", "share_email": "on", "phone": "555-0100"}


@pytest.fixture
def accepted(sent: ConsultationRequest, therapist: User) -> ConsultationRequest:
    return services.accept_request(therapist=therapist, request=sent)


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


# Reveal ------------------------------------------------------------------------------------


def test_the_review_shows_exactly_what_the_therapist_will_see_and_shares_nothing(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    url = reverse("outreach:reveal", args=[accepted.pk])
    review = client_for(private_seeker).post(url, CHOICE)
    assert review.status_code == 200
    page = text(review)
    assert "Morgan Vale will see:" in page
    for shown in ("Alex Chen", private_seeker.email, "555-0100"):
        assert shown in page
    assert "This can't be taken back." in page
    assert not Reveal.objects.exists()


def test_what_is_not_chosen_is_shown_as_not_shared(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    url = reverse("outreach:reveal", args=[accepted.pk])
    page = text(client_for(private_seeker).post(url, {"legal_name": "Alex Chen"}))
    assert page.count("Not shared") == 2  # email and phone
    assert private_seeker.email not in page.split("will see:")[1].split("They'll see it")[0]


def test_confirming_shares_once_exactly_what_was_reviewed(
    private_seeker: User, accepted: ConsultationRequest, therapist: User
) -> None:
    client = client_for(private_seeker)
    url = reverse("outreach:reveal", args=[accepted.pk])
    action, confirm = confirm_form(client.post(url, CHOICE), url)
    assert client.post(action, confirm).status_code == 302
    reveal = Reveal.objects.get()
    assert (reveal.legal_name, reveal.email, reveal.phone) == (
        "Alex Chen",
        private_seeker.email,
        "555-0100",
    )
    again = client.post(action, confirm, follow=True)  # a second click writes nothing more
    assert "already shared" in text(again)
    assert Reveal.objects.count() == 1
    seen = text(client_for(therapist).get(reverse("outreach:detail", args=[accepted.pk])))
    assert "Alex Chen" in seen


def test_a_changed_value_on_confirm_is_refused_and_nothing_is_shared(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    client = client_for(private_seeker)
    url = reverse("outreach:reveal", args=[accepted.pk])
    action, confirm = confirm_form(client.post(url, CHOICE), url)
    refused = client.post(action, confirm | {"legal_name": "Someone Else"})
    assert refused.status_code == 400
    assert CHANGED in text(refused)
    assert not Reveal.objects.exists()
    # The page now shows what was posted, with a fresh review: nothing is shared unseen.
    assert "Someone Else" in text(refused)


def test_a_token_from_another_request_is_refused(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    other = services.accept_request(
        therapist=(profile := make_schedule(make_profile())).user,
        request=make_request(private_seeker, profile),
    )
    client = client_for(private_seeker)
    other_url = reverse("outreach:reveal", args=[other.pk])
    _, confirm = confirm_form(client.post(other_url, CHOICE), other_url)
    refused = client.post(reverse("outreach:reveal", args=[accepted.pk]), confirm)
    assert refused.status_code == 400
    assert not Reveal.objects.exists()


def test_a_review_left_open_for_over_half_an_hour_is_checked_again(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    client = client_for(private_seeker)
    url = reverse("outreach:reveal", args=[accepted.pk])
    action, confirm = confirm_form(client.post(url, CHOICE), url)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        refused = client.post(action, confirm)
    assert refused.status_code == 400
    assert EXPIRED in text(refused)
    assert not Reveal.objects.exists()


def test_changing_the_choice_goes_back_to_the_form_with_the_values(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    client = client_for(private_seeker)
    url = reverse("outreach:reveal", args=[accepted.pk])
    _, confirm = confirm_form(client.post(url, CHOICE), url)
    back = client.post(url, confirm | {"step": "edit"})
    assert back.status_code == 200
    assert 'value="Alex Chen"' in back.content.decode()
    assert "Review what they" in text(back)
    assert not Reveal.objects.exists()


def test_an_empty_name_is_refused_on_the_form_and_nothing_is_shared(
    private_seeker: User, accepted: ConsultationRequest
) -> None:
    url = reverse("outreach:reveal", args=[accepted.pk])
    response = client_for(private_seeker).post(url, {"legal_name": "   ", "phone": "555"})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'value="555"' in response.content.decode()  # what was typed is kept
    assert not Reveal.objects.exists()


def test_only_the_seeker_of_the_request_reaches_its_reveal_pages(
    private_seeker: User, accepted: ConsultationRequest, therapist: User
) -> None:
    url = reverse("outreach:reveal", args=[accepted.pk])
    _, confirm = confirm_form(client_for(private_seeker).post(url, CHOICE), url)
    assert client_for(make_user(Role.SEEKER)).post(url, confirm).status_code == 404
    assert client_for(therapist).post(url, confirm).status_code == 403
    anonymous = Client().post(url, confirm)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    assert not Reveal.objects.exists()


# Accept ------------------------------------------------------------------------------------


def test_the_accept_review_says_what_happens_and_accepts_nothing(
    sent: ConsultationRequest, therapist: User
) -> None:
    review = client_for(therapist).get(reverse("outreach:accept", args=[sent.pk]))
    assert review.status_code == 200
    page = text(review)
    assert f"Accept {sent.seeker.pseudonym}'s request?" in page
    assert "told by email straight away" in page
    assert "The 72-hour clock stops" in page
    assert "can book a time with you" in page
    sent.refresh_from_db()
    assert sent.status == Status.OPEN


def test_confirming_accepts_once(sent: ConsultationRequest, therapist: User) -> None:
    client = client_for(therapist)
    url = reverse("outreach:accept", args=[sent.pk])
    action, confirm = confirm_form(client.get(url), url)
    done = client.post(action, confirm, follow=True)
    assert "Accepted. We've told them" in text(done)
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED
    answered = sent.answered_at
    again = client.post(action, confirm, follow=True)
    assert "already been answered" in text(again)
    sent.refresh_from_db()
    assert sent.answered_at == answered


def test_an_accept_without_its_review_is_refused(
    sent: ConsultationRequest, therapist: User, profile: TherapistProfile
) -> None:
    client = client_for(therapist)
    for posted in ({}, {"review": "forged"}):
        refused = client.post(reverse("outreach:accept", args=[sent.pk]), posted)
        assert refused.status_code == 400
        assert CHANGED in text(refused)
    other = make_request(make_user(Role.SEEKER), profile)
    other_url = reverse("outreach:accept", args=[other.pk])
    _, confirm = confirm_form(client.get(other_url), other_url)
    assert client.post(reverse("outreach:accept", args=[sent.pk]), confirm).status_code == 400
    sent.refresh_from_db()
    assert sent.status == Status.OPEN


def test_only_the_therapist_asked_reaches_the_accept_review(
    sent: ConsultationRequest, therapist: User, private_seeker: User
) -> None:
    url = reverse("outreach:accept", args=[sent.pk])
    assert client_for(make_schedule(make_profile()).user).get(url).status_code == 404
    assert client_for(private_seeker).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.OPEN


def test_a_request_already_closed_has_no_review_to_confirm(
    sent: ConsultationRequest, therapist: User
) -> None:
    services.withdraw_request(seeker=sent.seeker, request=sent)
    response = client_for(therapist).get(reverse("outreach:accept", args=[sent.pk]), follow=True)
    assert "already been answered or closed" in text(response)
    assert "Accept the request" not in text(response)
