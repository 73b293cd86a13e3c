"""Before the seeker reveals themselves, a canary legal name and email never reach the
therapist: not in the requests list, the request, the thread, a booking page or its .ics.
After the reveal they appear to that therapist only."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest, Reveal
from tests.conftest import client_for
from tests.factories import days_ahead, local_time, make_profile, make_request, make_user
from tests.outreach.conftest import CANARY_NAME
from tests.reviewing import review_and_confirm

pytestmark = pytest.mark.django_db

CANARY_EMAIL = "canary.person@example.test"


@pytest.fixture
def canary() -> User:
    return make_user(Role.SEEKER, email=CANARY_EMAIL, legal_name=CANARY_NAME)


def therapist_pages(client: Client, request: ConsultationRequest, booking_id: int) -> str:
    paths = [
        reverse("outreach:inbox"),
        reverse("outreach:detail", args=[request.pk]),
        reverse("outreach:thread", args=[request.pk]),
        reverse("scheduling:bookings"),
        reverse("scheduling:detail", args=[booking_id]),
        reverse("scheduling:ics", args=[booking_id]),
    ]
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(html.unescape(response.content.decode()))
    return "\n".join(pages)


def _book(seeker: User, profile: TherapistProfile) -> int:
    from holdspace.scheduling import services as scheduling

    consultation = profile.session_types.get(kind="consultation")
    booking = scheduling.book(
        seeker=seeker,
        profile=profile,
        session_type=consultation,
        start=local_time(days_ahead(8), "10:00", "America/New_York"),
        seeker_time_zone="America/New_York",
    )
    return booking.pk


def test_no_canary_before_reveal_and_only_that_therapist_after(
    canary: User, therapist: User, profile: TherapistProfile
) -> None:
    request = make_request(canary, profile)
    services.accept_request(therapist=therapist, request=request)
    services.post_message(sender=canary, request=request, body="hello")
    booking_id = _book(canary, profile)
    client = client_for(therapist)

    seen = therapist_pages(client, request, booking_id)
    assert canary.pseudonym in seen
    assert CANARY_NAME not in seen
    assert CANARY_EMAIL not in seen.lower()

    # Another therapist the seeker also wrote to, who is not shown anything.
    other = make_profile()
    other_request = make_request(canary, other)

    seeker_client = client_for(canary)
    review_and_confirm(
        seeker_client,
        reverse("outreach:reveal", args=[request.pk]),
        {"legal_name": CANARY_NAME, "share_email": "on", "phone": "555-0100"},
    )
    reveal = Reveal.objects.get()
    assert (reveal.by, reveal.fields_shown) == (canary, ["legal_name", "email", "phone"])
    after = therapist_pages(client, request, booking_id)
    assert CANARY_NAME in after
    assert CANARY_EMAIL in after

    other_client = client_for(other.user)
    for path in (reverse("outreach:inbox"), reverse("outreach:detail", args=[other_request.pk])):
        text = html.unescape(other_client.get(path).content.decode())
        assert CANARY_NAME not in text
        assert CANARY_EMAIL not in text.lower()


def test_a_reveal_is_final(canary: User, profile: TherapistProfile) -> None:
    request = make_request(canary, profile)
    services.reveal_identity(seeker=canary, request=request, legal_name=CANARY_NAME)
    with pytest.raises(services.OutreachError, match="already shared"):
        services.reveal_identity(seeker=canary, request=request, legal_name="Someone Else")
    assert Reveal.objects.get().legal_name == CANARY_NAME
