"""Nobody writes to a closed account: a client who deleted their account ("Former client") or
is being deleted, or a therapist whose account was closed. The thread stays readable; the
page says so plainly instead of showing a form, and the service refuses too."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.mydata.services import erase_seeker
from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest, Message
from tests.conftest import client_for
from tests.factories import make_client

pytestmark = pytest.mark.django_db

EARLIER = "canary-before-the-account-closed"
UNSENT = "canary-never-sent"


@pytest.fixture
def client_request(therapist: User, seeker: User) -> ConsultationRequest:
    request = make_client(therapist, seeker)
    services.post_message(sender=seeker, request=request, body=EARLIER)
    return request


def _close(user: User) -> None:
    user.is_active = False
    user.save()


def _thread(request: ConsultationRequest) -> str:
    return reverse("outreach:thread", args=[request.pk])


def test_the_service_refuses_a_message_to_a_former_client(
    therapist: User, client_request: ConsultationRequest
) -> None:
    erase_seeker(user=client_request.seeker, now=timezone.now())
    client_request.refresh_from_db()
    with pytest.raises(services.OutreachError, match="closed their Holdspace account"):
        services.post_message(sender=therapist, request=client_request, body=UNSENT)
    assert list(Message.objects.values_list("body", flat=True)) == [EARLIER]


def test_the_service_refuses_while_the_deletion_is_pending(
    therapist: User, client_request: ConsultationRequest
) -> None:
    _close(client_request.seeker)  # what asking for deletion does at once
    client_request.refresh_from_db()
    with pytest.raises(services.OutreachError, match="closed"):
        services.post_message(sender=therapist, request=client_request, body=UNSENT)
    assert Message.objects.count() == 1


def test_the_thread_says_so_instead_of_showing_a_form(
    therapist: User, client_request: ConsultationRequest
) -> None:
    erase_seeker(user=client_request.seeker, now=timezone.now())
    browser = client_for(therapist)
    page = browser.get(_thread(client_request)).content.decode()
    assert "Messages with Former client" in page
    assert EARLIER in page  # the record stays readable
    assert "closed their Holdspace account" in page
    assert 'name="body"' not in page
    assert "Send message" not in page


def test_a_message_posted_anyway_is_refused_and_shown_back(
    therapist: User, client_request: ConsultationRequest
) -> None:
    """A page opened before the account closed still posts: nothing is sent, nothing lost."""
    erase_seeker(user=client_request.seeker, now=timezone.now())
    response = client_for(therapist).post(_thread(client_request), {"body": UNSENT})
    assert response.status_code == 200
    body = response.content.decode()
    assert "closed their Holdspace account" in body
    assert UNSENT in body
    assert Message.objects.count() == 1


def test_a_seeker_cannot_write_to_a_closed_therapist_account(
    therapist: User, client_request: ConsultationRequest
) -> None:
    seeker = client_request.seeker
    _close(therapist)
    client_request.refresh_from_db()
    with pytest.raises(services.OutreachError, match="This therapist closed"):
        services.post_message(sender=seeker, request=client_request, body=UNSENT)
    page = client_for(seeker).get(_thread(client_request)).content.decode()
    assert "This therapist closed their Holdspace account" in page
    assert 'name="body"' not in page


def test_an_open_account_can_still_be_written_to(
    therapist: User, client_request: ConsultationRequest
) -> None:
    page = client_for(therapist).get(_thread(client_request)).content.decode()
    assert 'name="body"' in page
    assert "closed their Holdspace account" not in page
    services.post_message(sender=therapist, request=client_request, body="Still here.")
    assert Message.objects.count() == 2
