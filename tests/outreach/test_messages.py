"""Secure threads: both parties read and write, newest last, bodies encrypted at rest, at most
30 messages an hour per sender."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest, Message
from tests.conftest import client_for
from tests.outreach.conftest import CANARY_SITUATION

pytestmark = pytest.mark.django_db

CANARY_MESSAGE = "canary-message-55e1"


def test_both_parties_write_and_read_newest_last(sent: ConsultationRequest) -> None:
    seeker, therapist = client_for(sent.seeker), client_for(sent.profile.user)
    url = reverse("outreach:thread", args=[sent.pk])
    assert seeker.post(url, {"body": "first from seeker"}).status_code == 302
    assert therapist.post(url, {"body": "then the therapist"}).status_code == 302
    page = seeker.get(url).content.decode()
    assert page.index("first from seeker") < page.index("then the therapist")
    assert "then the therapist" in therapist.get(url).content.decode()


def test_once_accepted_the_seeker_can_book_from_the_messages(sent: ConsultationRequest) -> None:
    url = reverse("outreach:thread", args=[sent.pk])
    book = f'href="{reverse("scheduling:book", args=[sent.profile.pk])}">Book with Morgan Vale'
    assert book not in client_for(sent.seeker).get(url).content.decode()  # not accepted yet
    services.accept_request(therapist=sent.profile.user, request=sent)
    assert book in client_for(sent.seeker).get(url).content.decode()
    assert "Book with" not in client_for(sent.profile.user).get(url).content.decode()


def test_bodies_and_what_was_shared_are_absent_from_the_raw_database(
    sent: ConsultationRequest,
) -> None:
    client_for(sent.seeker).post(
        reverse("outreach:thread", args=[sent.pk]), {"body": CANARY_MESSAGE}
    )
    assert Message.objects.get().body == CANARY_MESSAGE
    with connection.cursor() as cursor:
        dump = []
        for table in ("outreach_message", "outreach_consultationrequest"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            dump += [str(value) for row in cursor.fetchall() for value in row]
    text = "\n".join(dump)
    assert CANARY_MESSAGE not in text
    assert CANARY_SITUATION not in text


def test_at_most_30_messages_an_hour(sent: ConsultationRequest) -> None:
    now = timezone.now()
    for minute in range(30):
        services.post_message(
            sender=sent.seeker, request=sent, body="x", now=now - dt.timedelta(minutes=minute)
        )
    response = client_for(sent.seeker).post(
        reverse("outreach:thread", args=[sent.pk]), {"body": "one more"}
    )
    assert "lot of messages" in response.content.decode()
    assert Message.objects.count() == 30
    later = now + dt.timedelta(hours=1)
    services.post_message(sender=sent.seeker, request=sent, body="later", now=later)
    # The other party is not limited by the sender's messages.
    services.post_message(sender=sent.profile.user, request=sent, body="reply", now=now)


def test_closed_threads_take_no_messages(sent: ConsultationRequest) -> None:
    services.decline_request(therapist=sent.profile.user, request=sent, reason="other")
    sent.refresh_from_db()
    with pytest.raises(services.OutreachError, match="closed"):
        services.post_message(sender=sent.seeker, request=sent, body="hello?")


def test_the_thread_reads_as_a_conversation(sent: ConsultationRequest) -> None:
    """Each message says who wrote it ("You" or the other side's name) and when, oldest first,
    with the box to write in after the last one."""
    services.post_message(sender=sent.seeker, request=sent, body="first from seeker")
    services.post_message(sender=sent.profile.user, request=sent, body="then the therapist")
    url = reverse("outreach:thread", args=[sent.pk])
    pseudonym = sent.seeker.pseudonym

    as_seeker = client_for(sent.seeker).get(url).content.decode()
    conversation = as_seeker[as_seeker.index('<ol class="conversation"') : as_seeker.index("</ol>")]
    mine, theirs = conversation.split("</li>")[:2]
    assert "message--mine" in mine
    assert "<strong>You</strong>" in mine
    assert "first from seeker" in mine
    assert "message--theirs" in theirs
    assert "<strong>Morgan Vale</strong>" in theirs
    assert "then the therapist" in theirs
    assert "<time datetime=" in mine
    assert as_seeker.index("then the therapist") < as_seeker.index('id="compose"')

    as_therapist = client_for(sent.profile.user).get(url).content.decode()
    assert f"<strong>{pseudonym}</strong>" in as_therapist
    assert "Messages with " + pseudonym in as_therapist
    assert "<strong>You</strong>" in as_therapist


def test_an_empty_message_is_refused_plainly(sent: ConsultationRequest) -> None:
    response = client_for(sent.seeker).post(
        reverse("outreach:thread", args=[sent.pk]), {"body": "  "}
    )
    assert "Write a message first." in response.content.decode()
    assert not Message.objects.exists()


def test_a_message_refused_for_its_length_comes_back_in_the_box(sent: ConsultationRequest) -> None:
    text = CANARY_MESSAGE + "x" * 4000
    response = client_for(sent.seeker).post(
        reverse("outreach:thread", args=[sent.pk]), {"body": text}
    )
    assert f">\n{text}</textarea>" in response.content.decode()
    assert not Message.objects.exists()
