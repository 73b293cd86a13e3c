"""What is new for each party: a request the therapist hasn't opened, messages the other party
wrote since you last read the conversation. Opening the thread clears it; nothing about it ever
reaches the other party (no read receipts); the navigation's count is one query."""

from __future__ import annotations

import datetime as dt
import difflib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import selectors, services
from holdspace.outreach.models import ConsultationRequest
from tests.conftest import client_for
from tests.factories import make_request, make_user

pytestmark = pytest.mark.django_db


def nav_count(client: Client) -> int:
    """The number the navigation shows beside "Requests" on any page (0: no number)."""
    html = client.get(reverse("about")).content.decode()
    found = re.search(r'class="nav-count">(\d+)<span class="visually-hidden"> new', html)
    return int(found.group(1)) if found else 0


def test_a_new_request_is_new_for_the_therapist_until_opened(sent: ConsultationRequest) -> None:
    therapist = client_for(sent.profile.user)
    seeker = client_for(sent.seeker)
    assert nav_count(therapist) == 1
    assert "New request" in therapist.get(reverse("outreach:inbox")).content.decode()
    assert nav_count(seeker) == 0  # their own request is nothing new to them
    therapist.get(reverse("outreach:detail", args=[sent.pk]))
    assert nav_count(therapist) == 0
    assert "New request" not in therapist.get(reverse("outreach:inbox")).content.decode()


def test_unread_messages_count_down_once_the_thread_is_opened(sent: ConsultationRequest) -> None:
    therapist, seeker = client_for(sent.profile.user), client_for(sent.seeker)
    thread = reverse("outreach:thread", args=[sent.pk])
    detail = reverse("outreach:detail", args=[sent.pk])
    therapist.get(detail)  # opened the request
    seeker.post(thread, {"body": "One more thing."})
    seeker.post(thread, {"body": "And another."})
    assert nav_count(seeker) == 0  # their own messages
    assert nav_count(therapist) == 1
    assert "2 new messages" in therapist.get(reverse("outreach:inbox")).content.decode()
    # The request page shows no messages, so opening it leaves them new, and says so.
    assert ">2 new</span>" in therapist.get(detail).content.decode()
    assert nav_count(therapist) == 1
    therapist.get(thread)
    assert nav_count(therapist) == 0
    assert "new message" not in therapist.get(reverse("outreach:inbox")).content.decode()
    # The therapist answers: new for the seeker until they read it; writing clears your side.
    therapist.post(thread, {"body": "Happy to help."})
    assert nav_count(therapist) == 0
    assert nav_count(seeker) == 1
    seeker.get(thread)
    assert nav_count(seeker) == 0


def normalised(html: str) -> str:
    """A page without the parts that change on every response (tokens, nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'data-csrf="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@time_machine.travel(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC), tick=False)  # "time left" holds
def test_the_other_party_never_learns_that_you_read(
    profile: TherapistProfile, seeker: User
) -> None:
    sent = make_request(seeker, profile)
    therapist, seeker_client = client_for(sent.profile.user), client_for(sent.seeker)
    thread = reverse("outreach:thread", args=[sent.pk])
    seeker_client.post(thread, {"body": "Did you get this?"})
    pages = [
        reverse("outreach:inbox"),
        reverse("outreach:detail", args=[sent.pk]),
        thread,
        reverse("home:seeker"),
    ]
    before = [normalised(seeker_client.get(url).content.decode()) for url in pages]
    therapist.get(reverse("outreach:detail", args=[sent.pk]))
    therapist.get(thread)
    sent.refresh_from_db()
    assert sent.therapist_read_at is not None
    after = [normalised(seeker_client.get(url).content.decode()) for url in pages]
    for old, new in zip(before, after, strict=True):
        assert old == new, "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines()))


def test_the_navigation_count_is_one_query(
    sent: ConsultationRequest, django_assert_num_queries: object
) -> None:
    services.post_message(sender=sent.seeker, request=sent, body="Hello")
    therapist = sent.profile.user
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert selectors.unread_count(therapist) == 1


def test_only_the_two_parties_have_a_read_state(sent: ConsultationRequest) -> None:
    with pytest.raises(services.OutreachError):
        services.mark_read(user=make_user(Role.SEEKER), request=sent)
    assert selectors.unread_count(make_user(Role.COORDINATOR)) == 0


def test_reading_never_moves_backwards(sent: ConsultationRequest) -> None:
    later = sent.created_at + dt.timedelta(hours=2)
    services.mark_read(user=sent.seeker, request=sent, now=later)
    services.mark_read(user=sent.seeker, request=sent, now=later - dt.timedelta(hours=1))
    sent.refresh_from_db()
    assert sent.seeker_read_at == later


def test_the_inbox_and_the_request_say_how_long_is_left(sent: ConsultationRequest) -> None:
    with time_machine.travel(sent.created_at + dt.timedelta(hours=20), tick=False):
        for user in (sent.seeker, sent.profile.user):
            client = client_for(user)
            assert (
                "2 days, 4 hours left to answer"
                in client.get(reverse("outreach:inbox")).content.decode()
            )
            assert (
                "<strong>2 days, 4 hours left</strong>"
                in client.get(reverse("outreach:detail", args=[sent.pk])).content.decode()
            )
