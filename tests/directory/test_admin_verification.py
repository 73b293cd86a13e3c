"""Staff verify licenses with an admin action; each decision is recorded with who and when."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.directory.models import VerificationEvent, VerificationStatus
from holdspace.directory.selectors import listed_profiles
from tests.conftest import client_for
from tests.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


def test_verify_action_lists_the_profile_and_records_the_decision() -> None:
    profile = make_profile(display_name="Awaiting", verified=False)
    license = profile.licenses.get()
    staff = make_staff()
    response = client_for(staff).post(
        reverse("admin:directory_license_changelist"),
        {"action": "verify", helpers.ACTION_CHECKBOX_NAME: [license.pk], "post": "yes"},
    )
    assert response.status_code == 302
    license.refresh_from_db()
    assert (license.status, license.verified_by) == (VerificationStatus.VERIFIED, staff)
    event = VerificationEvent.objects.get(license=license)
    assert (event.decided_by, event.decision) == (staff, VerificationStatus.VERIFIED)
    assert profile in listed_profiles(today=timezone.localdate())


def test_reject_action_on_an_authorization_is_recorded() -> None:
    profile = make_profile(
        verified=False, profession="psychologist", authorizations=(("psypact_apit", "US-CO"),)
    )
    authorization = profile.authorizations.get()
    staff = make_staff()
    client_for(staff).post(
        reverse("admin:directory_authorization_changelist"),
        {"action": "reject", helpers.ACTION_CHECKBOX_NAME: [authorization.pk], "post": "yes",
         "reason": "not_found"},
    )  # fmt: skip
    event = VerificationEvent.objects.get(authorization=authorization)
    assert (event.decided_by, event.decision) == (staff, VerificationStatus.REJECTED)


def test_verification_records_cannot_be_edited_or_deleted_in_the_admin() -> None:
    profile = make_profile()
    event = VerificationEvent.objects.get(license=profile.licenses.get())
    staff = make_staff()
    client = client_for(staff)
    change = client.get(reverse("admin:directory_verificationevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content  # view only
    delete = client.post(
        reverse("admin:directory_verificationevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert VerificationEvent.objects.filter(pk=event.pk).exists()


def test_non_staff_cannot_reach_the_admin(seeker: User, therapist: User) -> None:
    for user in (seeker, therapist):
        response = client_for(user).get(reverse("admin:directory_license_changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
