"""One saved check-in: readable only by its owner; deletable by its owner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.checkins import selectors
from holdspace.checkins.models import CheckIn
from tests.checkins.helpers import answers, save
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def detail(checkin: CheckIn) -> str:
    return reverse("checkins:detail", args=[checkin.pk])


def delete(checkin: CheckIn) -> str:
    return reverse("checkins:delete", args=[checkin.pk])


def test_owner_reads_results_and_answers(seeker: User) -> None:
    checkin = save(seeker, "proqol5", answers("proqol5", 5), word="physician")
    response = client_for(seeker).get(detail(checkin))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "ProQOL 5 check-in" in html
    assert "I feel trapped by my job as a physician. <strong>Very Often</strong>" in html
    assert "www.ProQOL.org" in html


def test_a_flagged_check_in_opens_with_crisis_resources(seeker: User) -> None:
    checkin = save(seeker, "phq9", answers("phq9", 1, _9=1))
    html = client_for(seeker).get(detail(checkin)).content.decode()
    assert html.index('id="crisis-resources"') < html.index("score-value")


def test_someone_elses_check_in_is_a_404(seeker: User, other_seeker: User) -> None:
    theirs = save(other_seeker, "gad7", answers("gad7", 3))
    client = client_for(seeker)
    assert client.get(detail(theirs)).status_code == 404
    assert client.get(delete(theirs)).status_code == 404
    assert client.post(delete(theirs)).status_code == 404
    assert CheckIn.objects.filter(pk=theirs.pk).exists()


def test_get_checkin_for_refuses_everyone_but_the_owner(
    seeker: User, other_seeker: User, therapist: User
) -> None:
    checkin = save(seeker, "gad7", answers("gad7", 0))
    assert selectors.get_checkin_for(seeker, checkin.pk) == checkin
    for user in (other_seeker, therapist):
        with pytest.raises(Exception, match="No such check-in"):
            selectors.get_checkin_for(user, checkin.pk)


def test_anonymous_and_therapists_are_kept_out(seeker: User, therapist: User) -> None:
    checkin = save(seeker, "gad7", answers("gad7", 0))
    for url in (detail(checkin), delete(checkin)):
        assert Client().get(url)["Location"].startswith(reverse("account_login"))
        assert client_for(therapist).get(url).status_code == 403
    assert Client().post(delete(checkin)).status_code == 302
    assert CheckIn.objects.filter(pk=checkin.pk).exists()


def test_owner_deletes_after_confirming(seeker: User) -> None:
    checkin = save(seeker, "gad7", answers("gad7", 0))
    client = client_for(seeker)
    page = client.get(delete(checkin)).content.decode()
    assert "will be removed\n    for good" in page
    response = client.post(delete(checkin))
    assert response["Location"] == reverse("checkins:history")
    assert not CheckIn.objects.exists()
