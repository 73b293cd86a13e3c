"""A person's time zone: the one rule that picks it, the page that sets it, and the endpoint
the browser reports its zone to."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.accounts.time_zones import Source, resolve, zone_for
from holdspace.matching.models import FindProfile
from tests.conftest import client_for
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db

PAGE = "accounts:time_zone"
BROWSER = "accounts:browser_time_zone"


def saved_find_answers(user: User, location: str) -> None:
    FindProfile.objects.create(user=user, location=location)


# The rule -------------------------------------------------------------------------------------


def test_a_seeker_with_nothing_known_gets_the_named_fallback(seeker: User) -> None:
    assert resolve(seeker).name == "America/New_York"
    assert resolve(seeker).source == Source.FALLBACK


def test_a_seekers_state_is_the_guess_until_they_choose(seeker: User) -> None:
    saved_find_answers(seeker, "US-CO")
    assert resolve(seeker) == resolve(seeker)  # stable
    assert (resolve(seeker).name, resolve(seeker).source) == ("America/Denver", "jurisdiction")
    seeker.time_zone = "America/Phoenix"
    seeker.save()
    assert (resolve(seeker).name, resolve(seeker).source) == ("America/Phoenix", "setting")


def test_a_therapists_practice_zone_until_they_choose(therapist: User) -> None:
    profile = make_profile(user=therapist)
    profile.time_zone = "America/Denver"
    profile.save()
    therapist.refresh_from_db()
    assert (resolve(therapist).name, resolve(therapist).chosen) == ("America/Denver", True)
    therapist.time_zone = "Europe/Lisbon"  # away for a while
    assert zone_for(therapist) == "Europe/Lisbon"


def test_find_answers_kept_for_this_visit_only_are_a_guess_too(seeker: User) -> None:
    client = client_for(seeker)
    client.post(reverse("matching:start"), {"location": "US-AZ", "formats": ["video"]})
    body = client.get(reverse(PAGE)).content.decode()
    assert "Arizona time (Phoenix, no daylight saving), the usual one for Arizona" in body


def test_a_coordinator_without_a_choice_gets_the_fallback() -> None:
    assert zone_for(make_user(Role.COORDINATOR)) == "America/New_York"


# The page --------------------------------------------------------------------------------------


def test_the_page_names_the_zone_in_use_and_where_it_came_from(seeker: User) -> None:
    saved_find_answers(seeker, "US-CO")
    body = client_for(seeker).get(reverse(PAGE)).content.decode()
    assert "Mountain time (Denver), the usual one for Colorado, from your Find answers" in body
    assert '<option value="America/Denver" selected>' in body
    assert '<option value="Europe/Lisbon">Lisbon</option>' in body  # any place, by region


def test_choosing_a_zone_keeps_it_and_goes_back(seeker: User) -> None:
    client = client_for(seeker)
    response = client.post(reverse(PAGE), {"time_zone": "America/Denver", "next": "/schedule/?x=1"})
    assert response.status_code == 302
    assert response["Location"] == "/schedule/?x=1"
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Denver"
    page = client.get(reverse(PAGE)).content.decode()
    assert "Times are now shown in Mountain time (Denver)." in page
    assert "Times are in Mountain time (Denver)." in page  # the footer, on every page


def test_an_unknown_zone_is_refused_and_changes_nothing(seeker: User) -> None:
    seeker.time_zone = "America/Chicago"
    seeker.save()
    response = client_for(seeker).post(reverse(PAGE), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone we know. Choose one from the list." in (
        response.content.decode()
    )
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Chicago"


def test_a_therapist_is_told_their_weekly_hours_stay_in_the_practice_zone(
    therapist: User,
) -> None:
    make_profile(user=therapist)
    body = client_for(therapist).get(reverse(PAGE)).content.decode()
    assert "Your weekly hours stay in your practice's time zone, Eastern time (New York)" in body


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    for response in (Client().get(reverse(PAGE)), Client().post(reverse(PAGE), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# The browser's report ---------------------------------------------------------------------------


def report(client: Client, name: str) -> tuple[int, dict[str, object]]:
    response = client.post(reverse(BROWSER), {"time_zone": name})
    return response.status_code, json.loads(response.content)


def test_the_browsers_zone_is_kept_when_none_was_chosen(seeker: User) -> None:
    saved_find_answers(seeker, "US-NY")
    status, answer = report(client_for(seeker), "America/Denver")
    assert status == 200
    assert answer == {
        "stored": True,
        "time_zone": "America/Denver",
        "label": "Mountain time (Denver)",
    }
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Denver"


def test_the_browser_never_overrides_a_choice(seeker: User, therapist: User) -> None:
    seeker.time_zone = "America/Chicago"
    seeker.save()
    assert report(client_for(seeker), "America/Denver")[1]["stored"] is False
    seeker.refresh_from_db()
    assert seeker.time_zone == "America/Chicago"
    make_profile(user=therapist)  # their practice's zone was chosen in the profile
    status, answer = report(client_for(therapist), "Asia/Tokyo")
    assert (status, answer["stored"], answer["time_zone"]) == (200, False, "America/New_York")
    therapist.refresh_from_db()
    assert therapist.time_zone == ""


def test_a_browser_hiding_its_zone_leaves_the_guess(seeker: User) -> None:
    saved_find_answers(seeker, "US-CO")
    for hidden in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        status, answer = report(client_for(seeker), hidden)
        assert (status, answer["stored"], answer["time_zone"]) == (200, False, "America/Denver")


def test_an_invalid_zone_is_refused_with_a_clear_message_and_changes_nothing(
    seeker: User,
) -> None:
    client = client_for(seeker)
    for junk in ("Mars/Olympus", "", "localtime", "America/Denver\x00", "x" * 500):
        status, answer = report(client, junk)
        assert status == 400
        assert (
            answer["error"] == f"“{junk.strip()}” is not a time zone we know. Nothing was changed."
        )
    seeker.refresh_from_db()
    assert seeker.time_zone == ""


def test_the_endpoint_refuses_anonymous_visitors_and_plain_gets(seeker: User) -> None:
    response = Client().post(reverse(BROWSER), {"time_zone": "America/Denver"})
    assert response.status_code == 403
    assert json.loads(response.content) == {"error": "Please sign in first."}
    assert client_for(seeker).get(reverse(BROWSER)).status_code == 405
    seeker.refresh_from_db()
    assert seeker.time_zone == ""


def test_the_endpoint_needs_the_csrf_token(seeker: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(seeker)
    response = client.post(reverse(BROWSER), {"time_zone": "America/Denver"})
    assert response.status_code == 403
    seeker.refresh_from_db()
    assert seeker.time_zone == ""


def test_the_script_is_sent_only_while_no_zone_was_chosen(seeker: User) -> None:
    client = client_for(seeker)
    assert "accounts/time-zone.js" in client.get(reverse(PAGE)).content.decode()
    seeker.time_zone = "America/Denver"
    seeker.save()
    assert "accounts/time-zone.js" not in client.get(reverse(PAGE)).content.decode()
    assert "accounts/time-zone.js" not in Client().get(reverse("home")).content.decode()
