"""The profile wizard: saved step by step, bad input explained, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from holdspace.accounts.models import User
from holdspace.directory.models import License, TherapistProfile
from tests.conftest import client_for
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def wizard_url(step: int) -> str:
    return reverse("directory:wizard", args=[step])


def test_therapist_builds_a_profile_step_by_step(therapist: User) -> None:
    client = client_for(therapist)
    response = client.post(
        wizard_url(1),
        {
            "display_name": "Dana Reyes",
            "pronouns": "she/her",
            "credentials": "LCSW",
            "profession": "social_worker",
            "bio": "I work with nurses and physicians.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == wizard_url(2)
    profile = TherapistProfile.objects.get(user=therapist)
    assert (profile.display_name, profile.wizard_step) == ("Dana Reyes", 2)

    client.post(
        wizard_url(2),
        {
            "modalities": ["emdr", "ifs"],
            "focus_areas": ["burnout"],
            "formats": ["video"],
            "languages": ["en", "es"],
            "clinician_experience_years": "6",
            "professions_served": ["nurse"],
        },
    )
    profile.refresh_from_db()
    assert sorted(profile.modalities.values_list("code", flat=True)) == ["emdr", "ifs"]
    assert profile.wizard_step == 3

    response = client.post(
        wizard_url(3),
        {
            "fee": "140",
            "sliding_scale": "on",
            "accepting": "on",
            "capacity": "2",
            "office_jurisdiction": "US-CO",
            "office_zip": "80302",
            "time_zone": "America/Denver",
        },
    )
    assert response["Location"] == wizard_url(4)
    profile.refresh_from_db()
    assert (profile.fee, profile.office_zip, profile.time_zone) == (140, "80302", "America/Denver")

    expires = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    client.post(
        reverse("directory:add_license"),
        {
            "license-profession": "social_worker",
            "license-jurisdiction": "US-CO",
            "license-number": "csw 0012345",
            "license-expires": expires,
        },
    )
    assert profile.licenses.get().number == "CSW 0012345"
    client.post(reverse("directory:publish"))
    profile.refresh_from_db()
    assert profile.published
    assert profile.last_confirmed == timezone.localdate()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"fee": "-20"}, "fee", "The fee can&#x27;t be negative"),
        ({"office_zip": "8030"}, "office_zip", "Enter a 5-digit US ZIP code"),
        ({"office_zip": "00000"}, "office_zip", "We can&#x27;t find the ZIP code 00000"),
        ({"office_zip": "10001"}, "office_zip", "ZIP code 10001 is in New York, not Colorado"),
        ({"office_jurisdiction": ""}, "office_jurisdiction", "Give both the office state and ZIP"),
    ],
)
def test_fees_step_rejects_bad_input_and_saves_nothing(
    therapist: User, data: dict[str, str], field: str, message: str
) -> None:
    profile = make_profile(user=therapist, fee=150)
    valid = {
        "fee": "90",
        "accepting": "on",
        "capacity": "2",
        "office_jurisdiction": "US-CO",
        "office_zip": "80302",
        "time_zone": "America/Denver",
    }
    response = client_for(therapist).post(wizard_url(3), valid | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile.refresh_from_db()
    assert profile.fee == 150  # nothing half-saved
    assert profile.office_zip == ""
    # What the therapist typed is still in the form.
    assert f'value="{(valid | data)["capacity"]}"' in response.content.decode()


def test_practice_step_rejects_unknown_taxonomy_ids(therapist: User) -> None:
    profile = make_profile(user=therapist, modalities=("emdr",))
    response = client_for(therapist).post(
        wizard_url(2),
        {
            "modalities": ["emdr", "reiki"],
            "formats": ["video"],
            "languages": ["en"],
            "clinician_experience_years": "3",
        },
    )
    assert response.status_code == 200
    assert "“reiki” is not an approach we know" in response.content.decode()
    assert list(profile.modalities.values_list("code", flat=True)) == ["emdr"]


def test_license_with_an_expiry_in_the_past_is_refused(therapist: User) -> None:
    make_profile(user=therapist, licenses=())
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client_for(therapist).post(
        reverse("directory:add_license"),
        {
            "license-profession": "counselor",
            "license-jurisdiction": "US-OH",
            "license-number": "LPC.123",
            "license-expires": yesterday,
        },
    )
    assert response.status_code == 400
    assert "This date has passed" in response.content.decode()
    assert 'value="LPC.123"' in response.content.decode()
    assert not License.objects.exists()


def test_the_same_license_cannot_be_listed_twice(therapist: User, other_therapist: User) -> None:
    make_profile(user=other_therapist, licenses=())
    make_profile(user=therapist, licenses=())
    data = {
        "license-profession": "counselor",
        "license-jurisdiction": "US-OH",
        "license-number": "LPC 9",
        "license-expires": "2099-01-01",
    }
    assert (
        client_for(other_therapist).post(reverse("directory:add_license"), data).status_code == 302
    )
    response = client_for(therapist).post(reverse("directory:add_license"), data)
    assert response.status_code == 400
    assert "already listed on Holdspace" in response.content.decode()


def _png(width: int = 8, height: int = 8) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 120, 100)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_photo_upload_replaces_the_initials(
    therapist: User, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    profile = make_profile(user=therapist, display_name="Photo Person")
    page = client_for(therapist).get(reverse("directory:profile", args=[profile.pk])).content
    main = page.split(b"<main")[1]
    assert b'class="avatar' in main
    assert b"<img" not in main
    client_for(therapist).post(
        wizard_url(1),
        {
            "display_name": "Photo Person",
            "profession": "social_worker",
            "photo": SimpleUploadedFile("me.png", _png(), content_type="image/png"),
        },
    )
    profile.refresh_from_db()
    assert str(profile.photo.name).startswith("therapists/")
    page = client_for(therapist).get(reverse("directory:profile", args=[profile.pk])).content
    assert profile.photo.url.encode() in page


def test_a_file_that_is_not_an_image_is_refused(therapist: User) -> None:
    profile = make_profile(user=therapist, display_name="Careful")
    response = client_for(therapist).post(
        wizard_url(1),
        {
            "display_name": "Renamed",
            "profession": "social_worker",
            "photo": SimpleUploadedFile("me.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    profile.refresh_from_db()
    assert profile.display_name == "Careful"
