"""Signing in, where people land, and password reset by email."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(user: User) -> str:
    response = Client().post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def test_each_role_lands_on_its_own_home() -> None:
    # Every role, with and without the second step: tests/home/test_landing.py.
    assert sign_in(verified(make_user(Role.THERAPIST))) == reverse("home:therapist")
    assert sign_in(verified(make_user(Role.SEEKER))) == reverse("home:seeker")


def test_wrong_password_is_refused_without_saying_which_part_was_wrong() -> None:
    user = verified(make_user(Role.SEEKER))
    response = Client().post(
        reverse("account_login"), {"login": user.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "don&#x27;t match an account" in response.content.decode()


def test_password_reset_sends_a_link_and_the_new_password_works() -> None:
    user = verified(make_user(Role.SEEKER))
    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line
    ).strip()
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        action, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_unknown_email_for_reset_sends_nothing_revealing() -> None:
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    # allauth may send an "unknown account" notice; it must not contain a reset link.
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)
