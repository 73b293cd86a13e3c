"""Staff verify licenses with an admin action; each decision is recorded with who and when."""

from __future__ import annotations

import html

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
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


# The confirmation page (issue 11) -------------------------------------------------------------


def _post_action(client: Client, action: str, license_id: int, **extra: str) -> HttpResponse:
    return client.post(  # type: ignore[return-value]
        reverse("admin:directory_license_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [license_id], **extra},
    )


def test_choosing_verify_shows_what_is_checked_and_changes_nothing() -> None:
    profile = make_profile(display_name="Awaiting Verification", verified=False)
    license = profile.licenses.get()
    page = _post_action(client_for(make_staff()), "verify", license.pk)
    assert page.status_code == 200
    content = html.unescape(page.content.decode())
    assert "Verify this license?" in content
    for shown in ("Awaiting Verification", license.number, "Colorado", "Social worker license"):
        assert shown in content
    assert "The Colorado board that licenses social workers" in content
    license.refresh_from_db()
    assert license.status == VerificationStatus.PENDING
    assert not VerificationEvent.objects.filter(license=license).exists()


def test_the_national_lookup_is_named_where_there_is_one() -> None:
    profile = make_profile(verified=False, profession="nurse")
    page = _post_action(client_for(make_staff()), "verify", profile.licenses.get().pk)
    assert "Nursys QuickConfirm" in page.content.decode()
    assert 'href="https://www.nursys.com/"' in page.content.decode()


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one() -> None:
    license = make_profile(verified=False).licenses.get()
    client = client_for(make_staff())
    for extra in ({"post": "yes"}, {"post": "yes", "reason": "other", "note": "  "}):
        page = _post_action(client, "reject", license.pk, **extra)
        assert page.status_code == 200
        assert "errorlist" in page.content.decode()
    license.refresh_from_db()
    assert license.status == VerificationStatus.PENDING
    assert not VerificationEvent.objects.filter(license=license).exists()


def test_the_pending_list_is_one_clean_link() -> None:
    pending = make_profile(display_name="Still Waiting", verified=False)
    make_profile(display_name="Already Verified")
    url = reverse("admin:directory_license_changelist") + "?status=pending"
    page = client_for(make_staff()).get(url).content.decode()
    assert "Still Waiting" in page
    assert "Already Verified" not in page
    assert pending.licenses.get().number in page


@pytest.mark.django_db(transaction=True)
def test_a_rejection_is_recorded_with_its_reason_and_emailed_in_plain_words() -> None:
    profile = make_profile(display_name="Sam Rivera", verified=False)
    license = profile.licenses.get()
    staff = make_staff()
    response = _post_action(
        client_for(staff), "reject", license.pk, post="yes", reason="not_found",
        note="The board's lookup shows no license with this number.",
    )  # fmt: skip
    assert response.status_code == 302
    license.refresh_from_db()
    assert (license.status, license.verified_by) == (VerificationStatus.REJECTED, staff)
    event = VerificationEvent.objects.get(license=license)
    assert "couldn't find this number" in event.description
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (message,) = mail.outbox
    assert message.to == [profile.user.email]
    assert message.subject == "Holdspace: We couldn't verify your license"
    assert "Hello Sam Rivera" in message.body
    assert "We couldn't find this number on the licensing board's register." in message.body
    assert "The board's lookup shows no license with this number." in message.body
    assert license.number in message.body
    assert reverse("directory:wizard", args=[4]) in message.body


@pytest.mark.django_db(transaction=True)
def test_a_verification_is_emailed_too() -> None:
    profile = make_profile(verified=False)
    response = _post_action(
        client_for(make_staff()), "verify", profile.licenses.get().pk, post="yes"
    )
    assert response.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (message,) = mail.outbox
    assert message.subject == "Holdspace: Your license is verified"


def test_the_admin_is_holdspaces_and_leads_back_to_the_verification_queue() -> None:
    page = client_for(make_staff()).get(reverse("admin:directory_license_changelist"))
    body = page.content.decode()
    assert "Holdspace admin" in body
    assert "Django administration" not in body
    assert f'<a href="{reverse("home:staff")}">Verification queue</a>' in body


def test_one_license_is_spoken_of_as_one() -> None:
    license = make_profile(verified=False).licenses.get()
    client = client_for(make_staff())
    verify = html.unescape(_post_action(client, "verify", license.pk).content.decode())
    assert "Check it against its source before you verify it." in verify
    assert "delete-confirmation" not in verify  # no red button to verify
    reject = html.unescape(_post_action(client, "reject", license.pk).content.decode())
    assert "This license will be marked as not verifiable." in reject
    assert "isn't listed on the strength of it." in reject
