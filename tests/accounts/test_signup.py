"""Seekers sign up with an email, a password and a pseudonym; nothing else is needed."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "a calm and long passphrase"


def signup(client: Client, **fields: str) -> object:
    data = {
        "email": "nurse@example.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "seeker",
        "pseudonym": "Steady Heron 204",
    } | fields
    return client.post(reverse("account_signup"), data)


def test_signup_page_suggests_a_pseudonym() -> None:
    page = Client().get(reverse("account_signup")).content.decode()
    assert 'name="pseudonym"' in page
    suggested = page.split('name="pseudonym"')[1].split('value="')[1].split('"')[0]
    assert len(suggested.split()) == 3  # e.g. "Quiet Harbor 417"


@pytest.mark.argon2
def test_seeker_signs_up_with_only_email_password_and_pseudonym() -> None:
    response = signup(Client())
    assert response.status_code == 302  # type: ignore[attr-defined]
    user = User.objects.get(email="nurse@example.test")
    assert (user.role, user.pseudonym, user.legal_name) == (Role.SEEKER, "Steady Heron 204", "")
    assert user.password.startswith("argon2")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    # Email verification is sent; the email says nothing clinical.
    assert len(mail.outbox) == 1
    assert "nurse@example.test" in mail.outbox[0].to
    assert not EmailAddress.objects.get(user=user).verified


def test_seeker_without_a_pseudonym_gets_a_clear_error_and_keeps_their_email() -> None:
    response = signup(Client(), pseudonym="  ")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Choose a pseudonym" in page
    assert 'value="nurse@example.test"' in page
    assert not User.objects.exists()


def test_pseudonym_cannot_be_an_email_address() -> None:
    response = signup(Client(), pseudonym="me@hospital.org")
    assert "can’t be an email address" in response.content.decode()  # type: ignore[attr-defined]
    assert not User.objects.exists()


def test_therapist_signup_needs_no_pseudonym() -> None:
    signup(Client(), role="therapist", pseudonym="", email="dana@example.test")
    assert User.objects.get(email="dana@example.test").role == Role.THERAPIST


def test_nobody_can_sign_up_as_staff_or_coordinator() -> None:
    for role in (Role.STAFF, Role.COORDINATOR):
        response = signup(Client(), role=role, email=f"{role}@example.test")
        assert "Select a valid choice" in response.content.decode()  # type: ignore[attr-defined]
    assert not User.objects.exists()


def test_verified_user_signs_in_with_email() -> None:
    user = User.objects.create_user(
        email="md@example.test", password=PASSWORD, pseudonym="Calm Cedar 300"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "MD@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_database_refuses_a_seeker_without_pseudonym() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="x@example.test", password=PASSWORD, role=Role.SEEKER)
