"""The therapist's home, "Today": requests waiting with the time left to answer, today's and
the week's sessions in their practice's zone, unread messages, clients with risk flags to
acknowledge or check-ins still to do (a logged read of the caseload), and the listing's health;
nobody else gets in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services as outreach
from holdspace.practice import services as practice
from holdspace.practice.selectors import needing_attention, open_flags
from holdspace.scheduling.models import BookingStatus
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import (
    local_time,
    make_client,
    make_request,
    make_session,
    make_staff,
    make_user,
)
from tests.home.conftest import page, text_of

pytestmark = pytest.mark.django_db
URL = "/today/"
# Tuesday 3 March 2026, 8:00 in Denver (MST, UTC-7).
MORNING = dt.datetime(2026, 3, 3, 15, tzinfo=dt.UTC)


def test_it_is_the_therapists_home_and_nobody_elses(therapist: User) -> None:
    assert reverse("home:therapist") == URL
    assert client_for(therapist).get(URL).status_code == 200
    for user in (make_user(Role.SEEKER), make_user(Role.COORDINATOR), make_staff()):
        assert client_for(user).get(URL).status_code == 403
    assert Client().get(URL)["Location"].startswith(reverse("account_login"))
    assert client_for(therapist).post(URL).status_code == 405


def test_a_new_therapist_is_asked_to_create_their_profile(therapist: User) -> None:
    html = page(therapist, URL)
    assert "Next: create your profile" in text_of(html)
    assert f'href="{reverse("directory:wizard", args=[1])}"' in html


@time_machine.travel(MORNING, tick=False)
def test_requests_waiting_say_how_long_is_left_and_soonest_first(
    profile: TherapistProfile,
) -> None:
    with time_machine.travel(MORNING - dt.timedelta(hours=60), tick=False):
        older = make_request(make_user(Role.SEEKER, pseudonym="Early Bird 1"), profile)
    newer = make_request(make_user(Role.SEEKER, pseudonym="Late Owl 2"), profile)
    text = text_of(page(profile.user, URL))
    assert "Request from Early Bird 1 12 hours left to answer New request" in text
    assert "Request from Late Owl 2 3 days left to answer New request" in text
    assert text.index("Early Bird 1") < text.index("Late Owl 2")
    client_for(profile.user).get(reverse("outreach:detail", args=[older.pk]))
    assert "Request from Early Bird 1 12 hours left to answer New" not in text_of(
        page(profile.user, URL)
    )
    outreach.accept_request(therapist=profile.user, request=newer)
    assert "Late Owl 2 3 days" not in text_of(page(profile.user, URL))


@time_machine.travel(MORNING, tick=False)
def test_todays_and_the_weeks_sessions_in_the_practices_zone(profile: TherapistProfile) -> None:
    client = make_client(profile.user, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    make_session(client, start=local_time(dt.date(2026, 3, 3), "13:00", "America/Denver"))
    make_session(client, start=local_time(dt.date(2026, 3, 5), "09:30", "America/Denver"))
    make_session(client, start=local_time(dt.date(2026, 3, 12), "09:30", "America/Denver"))
    make_session(client, start=local_time(dt.date(2026, 3, 2), "09:30", "America/Denver"))
    text = text_of(page(profile.user, URL))
    assert "Tuesday 3 March" in text
    assert "Times are in Mountain time (Denver)." in text
    today = text[text.index("Sessions today") : text.index("Next 7 days")]
    week = text[text.index("Next 7 days") : text.index("All your bookings")]
    assert "1:00 PM MST – 1:50 PM MST Calm Fern 7 , 50-minute session" in today
    assert "Thu 5 Mar 2026, 9:30 AM MST Calm Fern 7" in week
    assert "12 Mar" not in text  # beyond the week
    assert "2 Mar" not in text  # already past


def test_unread_messages_of_ongoing_conversations(profile: TherapistProfile) -> None:
    client = make_client(profile.user, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    outreach.post_message(sender=client.seeker, request=client, body="Could we move Friday?")
    assert "Messages from Calm Fern 7 1 new" in text_of(page(profile.user, URL))
    client_for(profile.user).get(reverse("outreach:thread", args=[client.pk]))
    assert "Messages from Calm Fern 7" not in text_of(page(profile.user, URL))


def test_risk_flags_come_first_until_acknowledged_and_the_read_is_logged(
    profile: TherapistProfile,
) -> None:
    client = make_client(profile.user, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    make_request(make_user(Role.SEEKER, pseudonym="Late Owl 2"), profile)
    save(client.seeker, "phq9", answers("phq9", 1, _9=1))
    html = page(profile.user, URL)
    text = text_of(html)
    assert "Calm Fern 7 1 risk flag to acknowledge" in text
    assert text.index("risk flag to acknowledge") < text.index("Request from Late Owl 2")
    assert f'href="{reverse("practice:client", args=[client.pk])}"' in html
    assert AccessLog.objects.filter(actor=profile.user, action="view_caseload").count() == 1
    (flag,) = open_flags(client)
    practice.acknowledge_flag(therapist=profile.user, client=client, checkin=flag)
    assert "to acknowledge" not in text_of(page(profile.user, URL))


def test_check_ins_asked_for_and_not_done(profile: TherapistProfile) -> None:
    client = make_client(profile.user, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    practice.start_plan(therapist=profile.user, client=client, instrument="gad7", cadence="monthly")
    assert "Calm Fern 7 1 check-in asked for, not done yet" in text_of(page(profile.user, URL))


def test_attention_agrees_with_each_clients_own_flags(profile: TherapistProfile) -> None:
    """The whole-caseload query reads the same rules as the client chart."""
    early = make_client(profile.user)
    assert early.answered_at is not None
    before_care = early.answered_at - dt.timedelta(days=1)  # private when taken: no flag
    save(early.seeker, "phq9", answers("phq9", 1, _9=1), taken_at=before_care)
    later = make_client(profile.user)
    save(later.seeker, "phq9", answers("phq9", 1, _9=1))
    save(later.seeker, "phq9", answers("phq9", 1, _9=3))
    rows = {row.client.pk: row.flags for row in needing_attention(profile.user, now=MORNING)}
    assert rows == {later.pk: open_flags(later).count()} == {later.pk: 2}


def test_a_stranger_never_appears(profile: TherapistProfile, other_therapist: User) -> None:
    theirs = make_client(other_therapist, make_user(Role.SEEKER, pseudonym="Not Yours 9"))
    save(theirs.seeker, "phq9", answers("phq9", 1, _9=1))
    make_request(make_user(Role.SEEKER, pseudonym="Also Not 8"), theirs.profile)
    text = text_of(page(profile.user, URL))
    assert "Not Yours 9" not in text
    assert "Also Not 8" not in text
    assert "Nothing needs you right now" in text


def test_listing_health_names_what_is_missing_and_when_to_confirm(
    profile: TherapistProfile,
) -> None:
    html = page(profile.user, URL)
    text = text_of(html)
    # The factory's profile has no photo, no bio and no clinicians seen.
    assert "Your profile has 6 of the 9 things seekers look for." in text
    assert "A photo: Add a photo" in text
    assert "A few sentences about you and your work: Write about your work" in text
    assert "Listed in search until" in text
    assert f'href="{reverse("directory:preview")}"' in html
    assert profile.last_confirmed is not None
    profile.last_confirmed -= dt.timedelta(days=25)
    profile.save()
    assert "Confirm your listing is still accurate" in text_of(page(profile.user, URL))


@time_machine.travel(MORNING, tick=False)
def test_sessions_waiting_for_a_yes_are_listed_however_far_ahead(profile: TherapistProfile) -> None:
    client = make_client(profile.user, make_user(Role.SEEKER, pseudonym="Calm Fern 7"))
    booking = make_session(
        client, start=local_time(dt.date(2026, 3, 20), "10:00", "America/Denver")
    )
    booking.status = BookingStatus.PENDING
    booking.save()
    html = page(profile.user, URL)
    assert "Confirm Calm Fern 7's 50-minute session Fri 20 Mar 2026, 10:00 AM MDT" in text_of(html)
    assert f'href="{reverse("scheduling:detail", args=[booking.pk])}"' in html
