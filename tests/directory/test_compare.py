"""The compare list: a seeker keeps therapists in their account, a visitor for the visit (and
it joins their account when they sign in); nobody else sees or changes it."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.directory import selectors, services
from holdspace.directory.compare_list import SESSION_KEY
from holdspace.directory.models import SavedTherapist, TherapistProfile
from tests.conftest import client_for
from tests.factories import PASSWORD, make_profile, make_schedule, make_user

pytestmark = pytest.mark.django_db

COMPARE = reverse("directory:compare")


def save(client: Client, profile: TherapistProfile, next_url: str = "") -> str:
    response = client.post(reverse("directory:save", args=[profile.pk]), {"next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def remove(client: Client, profile: TherapistProfile) -> None:
    response = client.post(reverse("directory:unsave", args=[profile.pk]), {"next": COMPARE})
    assert response.status_code == 302


def page(client: Client, url: str = COMPARE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def saved_names(user: User) -> list[str]:
    return [p.display_name for p in selectors.saved_therapists_for(user)]


def sign_in(client: Client, user: User) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.fixture
def dana() -> TherapistProfile:
    return make_schedule(
        make_profile(
            display_name="Dana Reyes",
            fee=140,
            sliding_scale=True,
            formats=("video", "in_person"),
            office=("US-CO", "80302"),
            modalities=("emdr", "ifs"),
            focus=("vicarious_trauma",),
            licenses=("US-CO", "US-NM"),
        )
    )


@pytest.fixture
def sam() -> TherapistProfile:
    return make_profile(display_name="Sam Okafor", fee=90, formats=("phone",), licenses=("US-TX",))


def test_a_seeker_compares_saved_therapists_side_by_side(
    seeker: User, dana: TherapistProfile, sam: TherapistProfile
) -> None:
    client = client_for(seeker)
    assert save(client, dana, "/therapists/?location=US-CO") == "/therapists/?location=US-CO"
    save(client, sam)
    html = page(client)
    assert html.index("Dana Reyes") < html.index("Sam Okafor")  # in the order saved
    for fact in (
        "$140 per session; sliding scale",
        "$90 per session",
        "Video, In person",
        "Colorado, New Mexico",
        "Texas",
        "EMDR",
        "Vicarious trauma",
        "New on Holdspace: no requests answered yet.",
    ):
        assert fact in html, fact
    # Dana has weekly hours, so a free consultation is coming up; Sam has none set.
    assert "None in the next two weeks" in html
    assert html.count("None in the next two weeks") == 1
    assert "Only you can see this list" in html
    assert "lasts for this visit" not in html


def test_the_list_is_kept_in_the_account_across_sign_ins(
    seeker: User, dana: TherapistProfile
) -> None:
    first = Client()
    sign_in(first, seeker)
    save(first, dana)
    first.post(reverse("account_logout"))
    later = Client()
    sign_in(later, seeker)
    assert "Dana Reyes" in page(later)
    assert saved_names(seeker) == ["Dana Reyes"]


def test_a_visitors_list_lasts_the_visit_and_joins_their_account_on_sign_in(
    seeker: User, dana: TherapistProfile, sam: TherapistProfile
) -> None:
    visitor = Client()
    save(visitor, sam)
    save(visitor, dana)
    html = page(visitor)
    assert "Sam Okafor" in html
    assert "Your list lasts for this visit only" in html
    assert reverse("account_signup") in html
    assert not SavedTherapist.objects.exists()  # nothing stored for a visitor

    services.save_therapist(user=seeker, profile=dana)  # already in the account
    sign_in(visitor, seeker)
    assert saved_names(seeker) == ["Dana Reyes", "Sam Okafor"]  # no double, nothing lost
    assert SESSION_KEY not in visitor.session
    assert "lasts for this visit" not in page(visitor)


def test_saving_and_removing_says_so_and_shows_on_the_card(
    seeker: User, dana: TherapistProfile
) -> None:
    client = client_for(seeker)
    browse = reverse("directory:browse")
    assert reverse("directory:save", args=[dana.pk]) in page(client, browse)
    back = save(client, dana, f"{browse}#therapist-{dana.pk}")
    html = page(client, back)
    assert "Saved Dana Reyes to compare." in html
    assert "✓</span> Saved</span>" in html
    assert "Compare the 1 therapist you saved" in html
    remove(client, dana)
    assert "Removed from your compare list." in page(client)
    assert saved_names(seeker) == []


def test_another_seeker_never_sees_or_changes_the_list(
    seeker: User, dana: TherapistProfile, sam: TherapistProfile
) -> None:
    services.save_therapist(user=seeker, profile=dana)
    other = make_user(Role.SEEKER)
    client = client_for(other)
    assert "Dana Reyes" not in page(client)
    remove(client, dana)  # removing from their own (empty) list touches nobody else's
    save(client, sam)
    assert saved_names(seeker) == ["Dana Reyes"]
    assert saved_names(other) == ["Sam Okafor"]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.COORDINATOR, Role.STAFF])
def test_other_roles_have_no_compare_list(role: str, dana: TherapistProfile) -> None:
    client = client_for(make_user(role))
    assert client.get(COMPARE).status_code == 403
    assert client.post(reverse("directory:save", args=[dana.pk])).status_code == 403
    assert client.post(reverse("directory:unsave", args=[dana.pk])).status_code == 403
    assert not SavedTherapist.objects.exists()
    profile = page(client, reverse("directory:profile", args=[dana.pk]))
    assert reverse("directory:save", args=[dana.pk]) not in profile


def test_bad_input_is_refused_and_loses_nothing(seeker: User, dana: TherapistProfile) -> None:
    client = client_for(seeker)
    save(client, dana)
    hidden = make_profile(display_name="Not Listed", published=False)
    assert client.post(reverse("directory:save", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("directory:save", args=[999999])).status_code == 404
    assert client.get(reverse("directory:save", args=[dana.pk])).status_code == 405
    # A "next" pointing elsewhere is ignored: back to the profile instead.
    assert save(client, dana, "https://evil.example/") == reverse(
        "directory:profile", args=[dana.pk]
    )
    assert save(client, dana, "//evil.example/") == reverse("directory:profile", args=[dana.pk])
    assert saved_names(seeker) == ["Dana Reyes"]  # saved once, still there


def test_a_full_list_says_so_and_keeps_what_is_there(
    seeker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "MAX_SAVED", 2)
    first, second, third = (make_profile(display_name=f"Person {n}") for n in (1, 2, 3))
    client = client_for(seeker)
    save(client, first)
    save(client, second)
    html = page(client, save(client, third, COMPARE))
    assert "Your compare list is full (2 therapists). Remove someone from it first." in html
    assert saved_names(seeker) == ["Person 1", "Person 2"]

    visitor = Client()
    for profile in (first, second):
        save(visitor, profile)
    assert "is full" in page(visitor, save(visitor, third, COMPARE))
    assert visitor.session[SESSION_KEY] == [first.pk, second.pk]


def test_a_therapist_who_stops_being_listed_leaves_the_comparison(
    seeker: User, dana: TherapistProfile, sam: TherapistProfile
) -> None:
    services.save_therapist(user=seeker, profile=dana)
    services.save_therapist(user=seeker, profile=sam)
    services.unpublish_profile(profile=sam)
    html = page(client_for(seeker))
    assert "Sam Okafor" not in html
    assert "One therapist you saved isn't listed right now" in html
    assert saved_names(seeker) == ["Dana Reyes"]
    services.publish_profile(profile=TherapistProfile.objects.get(pk=sam.pk))
    assert saved_names(seeker) == ["Dana Reyes", "Sam Okafor"]  # back when listed again


def test_the_home_selector_is_empty_for_anyone_but_a_seeker(dana: TherapistProfile) -> None:
    therapist = dana.user
    assert selectors.saved_therapists_for(therapist) == []
    seeker = make_user(Role.SEEKER)
    SavedTherapist.objects.create(user=seeker, profile=dana, saved_at=timezone.now())
    assert [p.pk for p in selectors.saved_therapists_for(seeker)] == [dana.pk]
    later = timezone.localdate() + dt.timedelta(days=400)  # past the license: not listed
    assert selectors.saved_therapists_for(seeker, today=later) == []
