"""Only a therapist edits their own profile; everyone else is refused or sent to sign in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.directory.models import License
from tests.conftest import client_for
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

EDIT_PAGES = [
    ("directory:dashboard", []),
    ("directory:wizard", [1]),
    ("directory:wizard", [3]),
]
EDIT_ACTIONS = [
    "directory:add_license",
    "directory:add_authorization",
    "directory:publish",
    "directory:unpublish",
    "directory:confirm",
]


@pytest.mark.parametrize(("name", "args"), EDIT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name: str, args: list[int]) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", EDIT_ACTIONS)
def test_anonymous_posts_change_nothing(name: str) -> None:
    response = Client().post(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), EDIT_PAGES)
def test_seekers_cannot_open_therapist_pages(seeker: User, name: str, args: list[int]) -> None:
    assert client_for(seeker).get(reverse(name, args=args)).status_code == 403


def test_a_therapist_cannot_remove_another_therapists_license(
    therapist: User, other_therapist: User
) -> None:
    make_profile(user=therapist)
    theirs = make_profile(user=other_therapist).licenses.get()
    response = client_for(therapist).post(reverse("directory:remove_license", args=[theirs.pk]))
    assert response.status_code == 404
    assert License.objects.filter(pk=theirs.pk).exists()


def test_a_therapist_cannot_remove_another_therapists_authorization(
    therapist: User, other_therapist: User
) -> None:
    make_profile(user=therapist)
    theirs = make_profile(
        user=other_therapist, profession="psychologist", authorizations=(("psypact_apit", "US-CO"),)
    ).authorizations.get()
    response = client_for(therapist).post(
        reverse("directory:remove_authorization", args=[theirs.pk])
    )
    assert response.status_code == 404
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


def test_wizard_edits_only_the_signed_in_therapists_profile(
    therapist: User, other_therapist: User
) -> None:
    mine = make_profile(user=therapist, display_name="Mine")
    theirs = make_profile(user=other_therapist, display_name="Theirs")
    client_for(therapist).post(
        reverse("directory:wizard", args=[1]),
        {
            "display_name": "Renamed",
            "profession": "counselor",
            "profile": theirs.pk,
            "user": other_therapist.pk,
        },
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.display_name, theirs.display_name) == ("Renamed", "Theirs")


def test_unlisted_profiles_are_not_found_publicly() -> None:
    hidden = make_profile(verified=False)
    assert Client().get(reverse("directory:profile", args=[hidden.pk])).status_code == 404
    listed = make_profile(display_name="Visible Person")
    response = Client().get(reverse("directory:profile", args=[listed.pk]))
    assert response.status_code == 200
    assert "Visible Person" in response.content.decode()
    assert "Licensed in</dt><dd>Colorado</dd>" in response.content.decode()


def test_license_numbers_never_appear_on_public_pages() -> None:
    profile = make_profile(display_name="Private Numbers")
    number = profile.licenses.get().number
    for url in (reverse("directory:browse"), reverse("directory:profile", args=[profile.pk])):
        assert number not in Client().get(url).content.decode()
