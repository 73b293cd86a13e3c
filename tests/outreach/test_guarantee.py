"""The answer guarantee with frozen time and the real worker: a request still open 72 hours
after it was sent expires (not a minute before), the seeker is told and offered the next
matches, the response-time record counts it as 72 hours, and overdue therapists are listed
for the shortlist to leave out."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import selectors, services
from holdspace.outreach.models import ConsultationRequest, Status
from tests.conftest import client_for
from tests.factories import find_answers, make_profile, make_request, make_user
from tests.outreach.conftest import CANARY_SITUATION, run_worker

HOUR = dt.timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_expiry_at_72_hours_with_next_matches_record_and_overdue_list(
    private_seeker: User, profile: TherapistProfile
) -> None:
    make_profile(display_name="Next Therapist")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        request = make_request(private_seeker, profile, situation=CANARY_SITUATION)
        run_worker()  # the "request received" email
    mail.outbox.clear()

    with time_machine.travel(start + 72 * HOUR - dt.timedelta(minutes=1), tick=False):
        run_worker()
        request.refresh_from_db()
        assert request.status == Status.OPEN
        assert mail.outbox == []
        assert list(selectors.overdue_therapist_user_ids(now=timezone.now())) == []

    with time_machine.travel(start + 72 * HOUR, tick=False):
        overdue = list(selectors.overdue_therapist_user_ids(now=timezone.now()))
        assert overdue == [profile.user_id]
        run_worker()
        request.refresh_from_db()
        assert request.status == Status.EXPIRED
        (email,) = mail.outbox
        assert email.to == [private_seeker.email]
        assert "wasn't answered in time — see other therapists" in email.body
        assert reverse("outreach:detail", args=[request.pk]) in email.body
        assert CANARY_SITUATION not in email.body
        assert list(selectors.overdue_therapist_user_ids(now=timezone.now())) == []

        page = client_for(private_seeker).get(reverse("outreach:detail", args=[request.pk]))
        text = page.content.decode()
        assert "Next Therapist" in text
        assert CANARY_SITUATION in text  # kept, to send again in one click
        assert selectors.median_answer_hours(profile) == 72
        assert selectors.response_record(profile) == "Often doesn't answer within three days."


@pytest.mark.django_db
def test_the_record_is_the_median_with_expiries_as_72_hours(profile: TherapistProfile) -> None:
    therapist = profile.user
    start = timezone.now() - 10 * 24 * HOUR
    for hours in (2, 3, None):  # answered after 2 h, after 3 h, never (expired)
        seeker = make_user()
        request = services.send_request(
            seeker=seeker, profile=profile, answers=find_answers(), now=start
        )
        if hours is None:
            assert services.expire_request(request_id=request.pk, now=start + 72 * HOUR)
        else:
            services.accept_request(therapist=therapist, request=request, now=start + hours * HOUR)
    assert selectors.median_answer_hours(profile) == 3
    assert selectors.response_record(profile) == "Usually answers within a few hours."
    seeker = make_user()
    late = services.send_request(seeker=seeker, profile=profile, answers=find_answers(), now=start)
    services.decline_request(therapist=therapist, request=late, reason="fit", now=start + 30 * HOUR)
    assert selectors.median_answer_hours(profile) == 16.5
    assert selectors.response_record(profile) == "Usually answers within a day."


@pytest.mark.django_db
def test_expire_requests_command_is_a_safety_net(seeker: User, profile: TherapistProfile) -> None:
    now = timezone.now()
    fresh = make_request(make_user(), profile)
    old = services.send_request(
        seeker=seeker, profile=profile, answers=find_answers(), now=now - 73 * HOUR
    )
    assert list(selectors.overdue_therapist_user_ids(now=now)) == [profile.user_id]
    call_command("expire_requests", verbosity=0)
    statuses = dict(ConsultationRequest.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", fresh.pk: "open"}


@pytest.mark.django_db
def test_an_overdue_therapist_gets_no_new_requests(seeker: User, profile: TherapistProfile) -> None:
    services.send_request(
        seeker=make_user(), profile=profile, answers=find_answers(),
        now=timezone.now() - 73 * HOUR,
    )  # fmt: skip
    with pytest.raises(services.NotAvailable):
        make_request(seeker, profile)


@pytest.mark.django_db
def test_a_late_answer_is_refused(seeker: User, profile: TherapistProfile) -> None:
    request = services.send_request(
        seeker=seeker, profile=profile, answers=find_answers(), now=timezone.now() - 72 * HOUR
    )
    with pytest.raises(services.OutreachError, match="72 hours"):
        services.accept_request(therapist=profile.user, request=request)


@pytest.mark.django_db
def test_overdue_therapists_leave_new_shortlists_until_their_requests_close(
    private_seeker: User, profile: TherapistProfile
) -> None:
    from holdspace.matching.selectors import shortlist_for

    other = make_profile(display_name="Prompt Therapist")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        request = make_request(private_seeker, profile)

    def shortlisted(at: dt.datetime) -> set[int]:
        with time_machine.travel(at, tick=False):
            shortlist = shortlist_for(
                answers=find_answers(), seeker_user=make_user(), today=timezone.localdate()
            )
        return {item.profile.pk for item in shortlist.items}

    assert shortlisted(start + 71 * HOUR) == {profile.pk, other.pk}
    assert shortlisted(start + 73 * HOUR) == {other.pk}
    with time_machine.travel(start + 73 * HOUR, tick=False):
        call_command("expire_requests")  # the guarantee closes it; the record shows 72 h
    request.refresh_from_db()
    assert request.status == Status.EXPIRED
    assert shortlisted(start + 74 * HOUR) == {profile.pk, other.pk}
