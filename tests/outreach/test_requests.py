"""Sending, accepting, declining and withdrawing requests; the rules re-checked both times."""

from __future__ import annotations

import html

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.matching import answers as find_answers
from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest, DeclineReason, Status
from tests.conftest import client_for
from tests.factories import find_answers as answers_for
from tests.factories import make_profile, make_request, tie
from tests.reviewing import review_and_confirm

pytestmark = pytest.mark.django_db

NEUTRAL = "This therapist can't take your request right now. Here are others who can."


def with_answers(user: User) -> object:
    client = client_for(user)
    session = client.session
    find_answers.store(session, answers_for())
    session.save()
    return client


def test_a_seeker_sends_a_request_from_a_profile(seeker: User, profile: TherapistProfile) -> None:
    client = with_answers(seeker)
    page = client.get(reverse("outreach:new", args=[profile.pk]))  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert seeker.pseudonym in page.content.decode()
    response = client.post(  # type: ignore[attr-defined]
        reverse("outreach:new", args=[profile.pk]),
        {"profession": "nurse", "setting": "hospital", "situation": "Tired.",
         "preferred_times": "evenings"},
    )  # fmt: skip
    request = ConsultationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:detail", args=[request.pk])
    assert (request.status, request.profession, request.situation) == ("open", "nurse", "Tired.")
    assert request.answers  # kept, encrypted, for the re-check and the next matches


def test_without_find_answers_the_seeker_answers_first(
    seeker: User, profile: TherapistProfile
) -> None:
    response = client_for(seeker).get(reverse("outreach:new", args=[profile.pk]))
    assert response["Location"] == reverse("matching:start")


def test_a_conflict_refuses_the_request_neutrally_and_offers_others(
    seeker: User, profile: TherapistProfile
) -> None:
    other = make_profile(display_name="Other Therapist")
    tie(profile.user, "email", seeker.email)  # the therapist knows the seeker
    client = with_answers(seeker)
    response = client.post(  # type: ignore[attr-defined]
        reverse("outreach:new", args=[profile.pk]), {"situation": "kept text"}
    )
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert NEUTRAL in text
    assert "conflict" not in text.lower()
    assert "Other Therapist" in text
    assert 'value="kept text"' in text  # one click sends it to the next therapist
    assert not ConsultationRequest.objects.exists()
    client.post(reverse("outreach:new", args=[other.pk]), {"situation": "kept text"})  # type: ignore[attr-defined]
    assert ConsultationRequest.objects.get().profile == other


def test_one_open_request_per_pair(seeker: User, profile: TherapistProfile) -> None:
    make_request(seeker, profile)
    with pytest.raises(services.OutreachError, match="already have a request"):
        make_request(seeker, profile)
    with pytest.raises(IntegrityError):
        ConsultationRequest.objects.create(
            seeker=seeker, profile=profile, created_at=timezone.now()
        )


def test_a_new_request_is_possible_after_a_decline(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    first = make_request(seeker, profile)
    services.decline_request(therapist=therapist, request=first, reason=DeclineReason.FIT)
    assert make_request(seeker, profile).status == Status.OPEN


def test_therapist_accepts(seeker: User, therapist: User, profile: TherapistProfile) -> None:
    request = make_request(seeker, profile)
    url = reverse("outreach:accept", args=[request.pk])
    _, response = review_and_confirm(client_for(therapist), url, method="get")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.answered_at is not None
    assert request.answers == ""  # no longer needed, so no longer kept


def test_a_conflict_added_after_sending_blocks_acceptance(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    request = make_request(seeker, profile)
    tie(therapist, "email", seeker.email)
    client = client_for(therapist)
    url = reverse("outreach:accept", args=[request.pk])
    _, confirmed = review_and_confirm(client, url, method="get")
    response = client.get(confirmed["Location"])
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert request.decline_reason == ""  # never a reason
    assert "can't go ahead" in html.unescape(response.content.decode())
    page = client_for(seeker).get(reverse("outreach:detail", args=[request.pk]))
    assert NEUTRAL in html.unescape(page.content.decode())
    assert "conflict" not in page.content.decode().lower()


def test_accepting_still_works_after_the_therapist_stops_taking_new_clients(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    request = make_request(seeker, profile)
    TherapistProfile.objects.filter(pk=profile.pk).update(capacity=0)
    assert services.accept_request(therapist=therapist, request=request).status == "accepted"


def test_decline_offers_next_matches_keeping_what_was_written(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    make_profile(display_name="Next Therapist")
    request = make_request(seeker, profile, situation="what I wrote")
    response = client_for(therapist).post(
        reverse("outreach:decline", args=[request.pk]),
        {"reason": DeclineReason.NOT_TAKING, "note": "I wish you well."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "not_taking")
    page = client_for(seeker).get(reverse("outreach:detail", args=[request.pk])).content.decode()
    assert "I wish you well." in page
    assert "Next Therapist" in page
    assert 'value="what I wrote"' in page
    assert f'action="{reverse("outreach:new", args=[profile.pk])}"' not in page  # left out


def test_decline_needs_a_listed_reason(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    request = make_request(seeker, profile)
    client_for(therapist).post(reverse("outreach:decline", args=[request.pk]), {"reason": "x"})
    request.refresh_from_db()
    assert request.status == Status.OPEN


def test_answered_requests_cannot_be_answered_again(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    request = make_request(seeker, profile)
    services.accept_request(therapist=therapist, request=request)
    request.refresh_from_db()
    with pytest.raises(services.OutreachError):
        services.decline_request(therapist=therapist, request=request, reason="other")


def test_seeker_withdraws(seeker: User, profile: TherapistProfile) -> None:
    request = make_request(seeker, profile)
    client_for(seeker).post(reverse("outreach:withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert request.answers == ""


def test_accepted_request_allows_booking_sessions(
    seeker: User, therapist: User, profile: TherapistProfile
) -> None:
    from holdspace.scheduling.selectors import booking_allowed

    session = profile.session_types.get(kind="session")
    assert not booking_allowed(seeker=seeker, profile=profile, session_type=session)
    services.accept_request(therapist=therapist, request=make_request(seeker, profile))
    assert booking_allowed(seeker=seeker, profile=profile, session_type=session)


def test_profile_and_shortlist_link_to_reaching_out(
    seeker: User, profile: TherapistProfile
) -> None:
    page = client_for(seeker).get(reverse("directory:profile", args=[profile.pk])).content.decode()
    assert reverse("outreach:new", args=[profile.pk]) in page
    assert "New on Holdspace" in page
    client = with_answers(seeker)
    results = client.get(reverse("matching:results")).content.decode()  # type: ignore[attr-defined]
    assert reverse("outreach:new", args=[profile.pk]) in results


@pytest.mark.parametrize("earlier", ["²", "9" * 4400, "12abc"])
def test_a_mangled_earlier_request_id_just_starts_a_blank_request(
    seeker: User, profile: TherapistProfile, earlier: str
) -> None:
    url = reverse("outreach:new", args=[profile.pk])
    page = with_answers(seeker).get(url, {"from": earlier})  # type: ignore[attr-defined]
    assert page.status_code == 200
