"""Only a request's seeker and therapist ever read it or its thread: 404 for everyone else
(other seekers and therapists, coordinators, staff); anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.outreach import selectors
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from tests.conftest import client_for
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

READS = ("outreach:detail", "outreach:thread")
WRITES = ("outreach:accept", "outreach:decline", "outreach:withdraw", "outreach:reveal")


def outsiders() -> list[User]:
    return [make_user(Role.SEEKER), make_user(Role.THERAPIST), make_user(Role.COORDINATOR),
            make_staff()]  # fmt: skip


def test_outsiders_get_404_on_reads(sent: ConsultationRequest) -> None:
    for user in outsiders():
        for name in READS:
            response = client_for(user).get(reverse(name, args=[sent.pk]))
            assert response.status_code == 404, (user.role, name)
        with pytest.raises(Http404):
            selectors.get_request_for(user, sent.pk)
        with pytest.raises(Http404):
            selectors.get_thread_for(user, sent.pk)
        assert not selectors.requests_for(user).exists()


def test_outsiders_cannot_act(sent: ConsultationRequest) -> None:
    for user in outsiders():
        client = client_for(user)
        for name in WRITES:
            data = {"reason": "other", "legal_name": "X"}
            response = client.post(reverse(name, args=[sent.pk]), data)
            assert response.status_code in (403, 404), (user.role, name)
        response = client.post(reverse("outreach:thread", args=[sent.pk]), {"body": "hi"})
        assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == Status.OPEN
    assert not sent.messages.exists()


def test_the_two_parties_can_read(sent: ConsultationRequest) -> None:
    for user in (sent.seeker, sent.profile.user):
        for name in READS:
            assert client_for(user).get(reverse(name, args=[sent.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(sent: ConsultationRequest) -> None:
    client = Client()
    for name in (*READS, *WRITES):
        response = client.get(reverse(name, args=[sent.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    for path in (reverse("outreach:inbox"), reverse("outreach:new", args=[sent.profile_id])):
        assert client.get(path)["Location"].startswith(reverse("account_login"))


def test_the_therapist_cannot_reveal_or_withdraw_for_the_seeker(sent: ConsultationRequest) -> None:
    client = client_for(sent.profile.user)
    response = client.post(reverse("outreach:reveal", args=[sent.pk]), {"legal_name": "X"})
    assert response.status_code == 403
    assert client.post(reverse("outreach:withdraw", args=[sent.pk])).status_code == 403
    assert not Reveal.objects.exists()
