"""The seeker's home, "My care": their requests with the time left on the answer guarantee,
unread messages, upcoming sessions, what their therapist asked for, recent check-ins, their
saved shortlist and their programs, from real rows; crisis resources first after a risk
answer; nobody else gets in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.directory import services as directory
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import services as outreach
from holdspace.practice import services as practice
from holdspace.scheduling import selectors as scheduling_selectors
from holdspace.scheduling import services as scheduling
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import make_profile, make_request, make_schedule, make_staff, make_user
from tests.home.conftest import page, text_of
from tests.programs.helpers import enrolled, make_program

pytestmark = pytest.mark.django_db
URL = "/my-care/"
SENT_AT = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)  # a Monday, 10:00 in New York


def test_it_is_the_seekers_home_and_nobody_elses(seeker: User) -> None:
    assert reverse("home:seeker") == URL
    assert client_for(seeker).get(URL).status_code == 200
    for role in (Role.THERAPIST, Role.COORDINATOR):
        assert client_for(make_user(role)).get(URL).status_code == 403
    assert client_for(make_staff()).get(URL).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_a_post_is_refused_and_changes_nothing(seeker: User) -> None:
    assert client_for(seeker).post(URL, {"anything": "x"}).status_code == 405


def test_a_new_seeker_is_shown_where_to_start(seeker: User) -> None:
    text = text_of(page(seeker, URL))
    assert "Where to start" in text
    assert "Check in with yourself" in text
    assert "No requests yet." in text


@time_machine.travel(SENT_AT, tick=False)
def test_requests_show_their_status_and_the_time_left(
    answered: User, profile: TherapistProfile
) -> None:
    make_request(answered, profile)
    with time_machine.travel(SENT_AT + dt.timedelta(hours=19, minutes=30), tick=False):
        text = text_of(page(answered, URL))
    assert "To Morgan Vale Waiting for an answer" in text
    assert "2 days, 4 hours left for them to answer" in text
    # The deadline, in their zone with the zone named (their Find answers say Colorado).
    assert "Thu 5 Mar 2026, 8:00 AM MST" in text
    assert "Where to start" not in text


def test_an_accepted_request_offers_booking_and_a_declined_one_other_therapists(
    answered: User, profile: TherapistProfile
) -> None:
    accepted = make_request(answered, profile)
    outreach.accept_request(therapist=profile.user, request=accepted)
    other = make_schedule(make_profile(display_name="Avery Stone"))
    declined = make_request(answered, other)
    outreach.decline_request(therapist=other.user, request=declined, reason="not_taking")
    html = page(answered, URL)
    assert f'href="{reverse("scheduling:book", args=[profile.pk])}"' in html
    assert "To Avery Stone Declined" in text_of(html)
    assert "See other therapists who can see you" in text_of(html)


def test_unread_messages_are_listed_until_the_thread_is_read(
    answered: User, profile: TherapistProfile
) -> None:
    request = make_request(answered, profile)
    outreach.accept_request(therapist=profile.user, request=request)
    outreach.post_message(sender=profile.user, request=request, body="Welcome.")
    text = text_of(page(answered, URL))
    assert "Waiting for you" in text
    assert "Morgan Vale wrote to you 1 new message" in text
    client_for(answered).get(reverse("outreach:thread", args=[request.pk]))
    text = text_of(page(answered, URL))
    assert "wrote to you" not in text
    assert "new message" not in text


def test_upcoming_sessions_in_their_own_zone(answered: User, profile: TherapistProfile) -> None:
    answered.time_zone = "America/Chicago"
    answered.save(update_fields=["time_zone"])
    consultation = profile.session_types.get(kind="consultation")
    now = timezone.now()
    slot = scheduling_selectors.available_slots(
        profile=profile, session_type=consultation, first_day=(now + dt.timedelta(days=2)).date(),
        last_day=(now + dt.timedelta(days=6)).date(), now=now,
    )[0]  # fmt: skip
    booking = scheduling.book(
        seeker=answered, profile=profile, session_type=consultation, start=slot.start,
        seeker_time_zone="America/Los_Angeles",  # where they booked from; they read in Chicago
    )  # fmt: skip
    text = text_of(page(answered, URL))
    local = slot.start.astimezone(ZoneInfo("America/Chicago"))
    hour = local.hour % 12 or 12
    assert f"{local:%A} {local.day} {local:%B %Y}, {hour}:{local:%M %p %Z}" in text
    assert "Free 15-minute consultation with Morgan Vale" in text
    assert "Times are in Central time (Chicago)." in text
    assert f'href="{reverse("scheduling:detail", args=[booking.pk])}"' in page(answered, URL)


def test_check_ins_asked_for_and_recent_ones(answered: User, profile: TherapistProfile) -> None:
    request = make_request(answered, profile)
    client = outreach.accept_request(therapist=profile.user, request=request)
    practice.start_plan(therapist=profile.user, client=client, instrument="gad7", cadence="monthly")
    save(answered, "proqol5", answers("proqol5", 3))
    html = page(answered, URL)
    text = text_of(html)
    assert "Take the GAD-7 Morgan Vale asked for" in text
    assert "ProQOL 5," in text
    assert "Burnout: moderate (30)" in text
    assert "Check in now" in text


def test_a_risk_answer_in_the_latest_phq9_brings_crisis_resources_first(seeker: User) -> None:
    save(seeker, "phq9", answers("phq9", 1, _9=2))
    html = page(seeker, URL)
    assert 'id="crisis-resources"' in html
    assert html.index('id="crisis-resources"') < html.index("Your requests")
    save(seeker, "phq9", answers("phq9", 1, _9=0))  # a later one without it
    assert 'id="crisis-resources"' not in page(seeker, URL)


def test_the_saved_shortlist_leaves_out_who_they_are_already_talking_to(
    answered: User, profile: TherapistProfile
) -> None:
    others = [make_schedule(make_profile(display_name=f"Listed Person {n}")) for n in range(3)]
    html = page(answered, URL)
    assert "Your whole shortlist" in text_of(html)
    assert f'href="{reverse("directory:profile", args=[profile.pk])}"' in html
    make_request(answered, profile)
    html = page(answered, URL)
    assert f'href="{reverse("directory:profile", args=[profile.pk])}"' not in html
    assert sum(f'href="{reverse("directory:profile", args=[o.pk])}"' in html for o in others) == 3


def test_when_everyone_who_fits_is_in_their_requests_the_shortlist_says_so(
    answered: User, profile: TherapistProfile
) -> None:
    make_request(answered, profile)  # the only therapist who fits
    text = text_of(page(answered, URL))
    assert "Everyone who fits your saved answers is already in your requests." in text
    assert "Nobody fits your saved answers" not in text
    assert "Your whole shortlist" in text


def test_when_nobody_fits_the_shortlist_offers_to_widen(answered: User) -> None:
    text = text_of(page(answered, URL))
    assert "Nobody fits your saved answers right now. See what you could widen" in text
    assert "already in your requests" not in text


def test_without_saved_answers_the_shortlist_points_to_find(seeker: User) -> None:
    html = page(seeker, URL)
    assert "Your whole shortlist" not in text_of(html)
    assert f'href="{reverse("matching:start")}"' in html


def test_program_status_when_enrolled(seeker: User) -> None:
    program = make_program(name="After the storm")
    enrolled(program, seeker)
    text = text_of(page(seeker, URL))
    assert "After the storm Waiting for a place" in text


def test_therapists_saved_to_compare_are_listed_with_the_way_to_compare(
    seeker: User, profile: TherapistProfile
) -> None:
    other = make_profile(display_name="Rowan Lake")
    directory.save_therapist(user=seeker, profile=profile)
    directory.save_therapist(user=seeker, profile=other)
    html = page(seeker, URL)
    saved = text_of(html)[text_of(html).index("Saved to compare") :]
    assert saved.index("Morgan Vale") < saved.index("Rowan Lake")  # in the order saved
    assert f'href="{reverse("directory:compare")}"' in html
    assert "Where to start" not in text_of(html)  # saving therapists is a start


def test_nothing_saved_to_compare_shows_no_empty_list(seeker: User) -> None:
    assert "Saved to compare" not in text_of(page(seeker, URL))
