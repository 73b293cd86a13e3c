"""MFA is required for therapists, coordinators and staff before any data; optional for seekers;
TOTP codes are single-use; secrets are encrypted at rest; changing MFA, email or password asks
for re-authentication."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from tests.factories import MFA_SECRET, PASSWORD, make_staff, make_user, totp_code, with_mfa

pytestmark = pytest.mark.django_db

STAFF_LIKE = [Role.THERAPIST, Role.COORDINATOR, Role.STAFF]
PROTECTED = ["/requests/", "/schedule/", "/therapists/me/", "/check-in/history/", "/admin/"]
ALLOWED = [
    "/crisis/",
    "/about/privacy/",
    "/accounts/2fa/",
    "/accounts/password/change/",
    "/accounts/email/",
]


def signed_in_without_mfa(role: str) -> tuple[User, Client]:
    user = make_staff() if role == Role.STAFF else make_user(role)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.parametrize("role", STAFF_LIKE)
@pytest.mark.parametrize("path", PROTECTED)
def test_staff_like_roles_without_mfa_are_sent_to_set_it_up(role: str, path: str) -> None:
    _, client = signed_in_without_mfa(role)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("role", STAFF_LIKE)
def test_the_setup_page_explains_why_calmly(role: str) -> None:
    _, client = signed_in_without_mfa(role)
    page = client.get("/requests/", follow=True)
    assert page.status_code == 200
    assert "second step" in page.content.decode()


@pytest.mark.parametrize("path", ALLOWED)
def test_setup_account_and_crisis_pages_stay_open_without_mfa(path: str) -> None:
    _, client = signed_in_without_mfa(Role.THERAPIST)
    response = client.get(path)
    assert response.get("Location") != reverse("mfa_index")
    assert response.status_code in (200, 302)


def test_sign_out_works_without_mfa() -> None:
    _, client = signed_in_without_mfa(Role.THERAPIST)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", STAFF_LIKE)
def test_with_an_authenticator_the_pages_open(role: str) -> None:
    user, client = signed_in_without_mfa(role)
    with_mfa(user)
    assert client.get("/requests/").status_code == 200


def test_a_passkey_counts_but_recovery_codes_alone_do_not() -> None:
    user, client = signed_in_without_mfa(Role.THERAPIST)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert client.get("/requests/").status_code == 302
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    assert client.get("/requests/").status_code == 200


def test_seekers_may_go_without_mfa() -> None:
    client = Client()
    client.force_login(make_user(Role.SEEKER))
    assert client.get("/requests/").status_code == 200
    assert client.get("/check-in/history/").status_code == 200


def test_totp_secrets_are_encrypted_at_rest() -> None:
    user = make_user(Role.THERAPIST)
    with_mfa(user)
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert MFA_SECRET not in stored
    assert get_adapter().decrypt(stored) == MFA_SECRET


def test_the_last_factor_of_a_staff_like_user_cannot_be_removed() -> None:
    therapist = make_user(Role.THERAPIST)
    with_mfa(therapist)
    totp = Authenticator.objects.get(user=therapist)
    assert not get_adapter().can_delete_authenticator(totp)
    Authenticator.objects.create(user=therapist, type=Authenticator.Type.WEBAUTHN, data={})
    assert get_adapter().can_delete_authenticator(totp)
    seeker = make_user(Role.SEEKER)
    with_mfa(seeker)
    assert get_adapter().can_delete_authenticator(Authenticator.objects.get(user=seeker))


def password_step(client: Client, user: User) -> str:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def test_sign_in_asks_for_the_code_and_a_reused_code_is_rejected() -> None:
    therapist = make_user(Role.THERAPIST, email="mfa-therapist@example.test")
    EmailAddress.objects.create(user=therapist, email=therapist.email, verified=True, primary=True)
    with_mfa(therapist)
    code = totp_code()

    first = Client()
    assert password_step(first, therapist) == reverse("mfa_authenticate")
    assert "_auth_user_id" not in first.session  # not signed in before the code
    done = first.post(reverse("mfa_authenticate"), {"code": code})
    assert done.status_code == 302
    assert first.session["_auth_user_id"] == str(therapist.pk)
    assert first.get("/requests/").status_code == 200

    second = Client()
    password_step(second, therapist)
    refused = second.post(reverse("mfa_authenticate"), {"code": code})
    assert refused.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in second.session
    wrong = second.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in second.session, wrong


def seeker_signed_in_long_ago() -> Client:
    # force_login records no recent authentication, as if the sign-in was long ago.
    client = Client()
    client.force_login(make_user(Role.SEEKER))
    return client


def test_setting_up_or_changing_mfa_asks_to_reauthenticate() -> None:
    response = seeker_signed_in_long_ago().get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_changing_email_asks_to_reauthenticate() -> None:
    client = seeker_signed_in_long_ago()
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new@example.test"}
    )
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not EmailAddress.objects.filter(email="new@example.test").exists()


def test_changing_the_password_needs_the_current_one() -> None:
    client = seeker_signed_in_long_ago()
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it-at-all",
            "password1": "n3w-long-pass!",
            "password2": "n3w-long-pass!",
        },
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
