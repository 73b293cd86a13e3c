"""A therapist edits their profile from their listing page, sees how complete it is (what a
seeker needs, each missing thing with the page that fixes it) and previews it as seekers see
it, listed or not."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory import services
from holdspace.directory.completeness import BIO_MIN_WORDS, ProfileFacts, completeness
from tests.conftest import client_for
from tests.factories import make_profile, make_schedule, make_staff, make_user

pytestmark = pytest.mark.django_db

EVERYTHING = ProfileFacts(
    has_photo=True, bio_words=BIO_MIN_WORDS, focus_areas=1, modalities=1, formats=1,
    professions_served=1, fee_set=True, verified_license=True, pending_license=False,
    has_availability=True,
)  # fmt: skip


def test_a_full_profile_is_complete() -> None:
    result = completeness(EVERYTHING)
    assert result.complete
    assert (result.done, result.total, result.percent) == (9, 9, 100)


@pytest.mark.parametrize(
    ("change", "label", "fix"),
    [
        ({"has_photo": False}, "A photo", ("directory:wizard", 1)),
        ({"bio_words": BIO_MIN_WORDS - 1}, "A few sentences about you and your work",
         ("directory:wizard", 1)),
        ({"focus_areas": 0}, "What you help with", ("directory:wizard", 2)),
        ({"modalities": 0}, "Approaches you use", ("directory:wizard", 2)),
        ({"fee_set": False}, "Your fee", ("directory:wizard", 3)),
        ({"verified_license": False}, "A verified license", ("directory:wizard", 4)),
        ({"has_availability": False}, "Times clients can book", ("scheduling:settings", None)),
    ],
)  # fmt: skip
def test_each_missing_thing_is_named_with_its_fix(
    change: dict[str, object], label: str, fix: tuple[str, int | None]
) -> None:
    result = completeness(replace(EVERYTHING, **change))  # type: ignore[arg-type]
    (missing,) = result.missing
    assert missing.label == label
    assert (missing.view, missing.step) == fix
    assert (result.done, result.percent) == (8, 89)


def test_a_license_being_verified_says_so_instead_of_asking_again() -> None:
    (missing,) = completeness(
        replace(EVERYTHING, verified_license=False, pending_license=True)
    ).missing
    assert "usually verifies it within a working day" in missing.note


def test_the_listing_page_offers_every_step_completeness_and_a_preview(therapist: User) -> None:
    make_schedule(make_profile(user=therapist))
    html = client_for(therapist).get(reverse("directory:dashboard")).content.decode()
    for step in range(1, 6):
        assert f'href="{reverse("directory:wizard", args=[step])}"' in html
    assert f'href="{reverse("directory:preview")}"' in html
    assert "6 of the 9 things seekers look for" in html  # no photo, bio or clinicians seen
    assert f'href="{reverse("directory:wizard", args=[1])}">Add a photo' in html


def test_availability_counts_once_it_is_set(therapist: User) -> None:
    profile = make_profile(user=therapist)
    missing = f'href="{reverse("scheduling:settings")}">Set your weekly times'
    assert missing in client_for(therapist).get(reverse("directory:dashboard")).content.decode()
    make_schedule(profile)
    assert missing not in client_for(therapist).get(reverse("directory:dashboard")).content.decode()


def test_one_step_can_be_saved_straight_back_to_the_listing(therapist: User) -> None:
    profile = make_profile(user=therapist)
    profile.wizard_step = 5
    profile.save()
    client = client_for(therapist)
    response = client.post(
        reverse("directory:wizard", args=[1]),
        {"display_name": "Morgan Vale", "profession": "social_worker", "bio": "New words.",
         "then": "listing"},
    )  # fmt: skip
    assert response["Location"] == reverse("directory:dashboard")
    profile.refresh_from_db()
    assert profile.bio == "New words."
    bad = client.post(
        reverse("directory:wizard", args=[1]),
        {"display_name": "", "profession": "social_worker", "bio": "Kept on the page.",
         "then": "listing"},
    )  # fmt: skip
    assert bad.status_code == 200
    assert "Kept on the page." in bad.content.decode()
    profile.refresh_from_db()
    assert profile.display_name == "Morgan Vale"


def test_the_preview_shows_an_unlisted_profile_as_seekers_would_see_it(therapist: User) -> None:
    profile = make_profile(user=therapist, display_name="Robin Hale", published=False)
    assert Client().get(reverse("directory:profile", args=[profile.pk])).status_code == 404
    html = client_for(therapist).get(reverse("directory:preview")).content.decode()
    assert "<strong>Preview:</strong>" in html
    assert "Robin Hale" in html
    assert "Your profile is not published yet" in html
    assert 'aria-disabled="true">Reach out to Robin Hale' in html
    assert f'href="{reverse("outreach:new", args=[profile.pk])}"' not in html


def test_the_preview_is_only_ever_your_own(therapist: User) -> None:
    make_profile(user=therapist, display_name="Robin Hale")
    other = make_user(Role.THERAPIST)
    services.start_profile(user=other, display_name="Someone Else", profession="counselor")
    html = client_for(other).get(reverse("directory:preview")).content.decode()
    assert "Someone Else" in html
    assert "Robin Hale" not in html
    for user in (make_user(Role.SEEKER), make_user(Role.COORDINATOR), make_staff()):
        assert client_for(user).get(reverse("directory:preview")).status_code == 403
    assert (
        Client().get(reverse("directory:preview"))["Location"].startswith(reverse("account_login"))
    )
    without_profile = make_user(Role.THERAPIST)
    assert client_for(without_profile).get(reverse("directory:preview")).status_code == 404
