"""allauth's emails in Holdspace's voice, sent through the real flows (locmem backend): each
names Holdspace, never the host name the request came in on, and none of allauth's stock
phrases (nor a pseudonym that reads as if someone else gave out the address)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from tests.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db

HOST = "testserver"  # the host name of every test-client request
STOCK_PHRASES = (
    "Hello from",
    "Thank you for using",
    "has given your email address",
    "You're receiving this email",
    "You are receiving this",
    "In case you forgot",
    "user account",
    "Please Confirm",
    "Password Reset E-mail",
)
NEW_PASSWORD = "a fresh and quiet passphrase"


def words(message: EmailMessage) -> str:
    """Subject and body without their links: the text a person reads."""
    return re.sub(r"https?://\S+", "", f"{message.subject}\n{message.body}")


def assert_in_our_voice(message: EmailMessage, *, pseudonym: str = "") -> None:
    text = words(message)
    assert message.subject.startswith("Holdspace: "), message.subject
    assert "Holdspace" in message.body
    assert HOST not in text
    for phrase in STOCK_PHRASES:
        assert phrase not in text, phrase
    if pseudonym:
        assert pseudonym not in text


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sign_up_confirmation_is_plain_and_names_nobody() -> None:
    Client().post(
        reverse("account_signup"),
        {
            "email": "nurse@example.test",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": "seeker",
            "pseudonym": "Blue Heron 7",
        },
    )
    (message,) = mail.outbox
    assert message.subject == "Holdspace: Confirm your email address"
    assert_in_our_voice(message, pseudonym="Blue Heron 7")
    assert "/accounts/confirm-email/" in message.body  # the link is still there


def test_signing_up_again_with_a_known_address_tells_the_owner_kindly() -> None:
    owner = verified(make_user(Role.SEEKER, email="owner@example.test"))
    Client().post(
        reverse("account_signup"),
        {
            "email": owner.email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": "seeker",
            "pseudonym": "Someone Else 1",
        },
    )
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == "Holdspace: You already have an account"
    assert_in_our_voice(message, pseudonym="Someone Else 1")
    assert "/accounts/password/reset/" in message.body


def test_password_reset_link_and_the_reset_notice() -> None:
    user = verified(make_user(Role.SEEKER))
    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert message.subject == "Holdspace: Reset your password"
    assert_in_our_voice(message, pseudonym=user.pseudonym)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(message.body))
    assert link is not None
    path = link.group(0).split(HOST, 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    notice = mail.outbox[-1]
    assert notice.subject == "Holdspace: Your password was reset"
    assert_in_our_voice(notice)


def test_reset_for_an_unknown_address_says_so_without_a_reset_link() -> None:
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    (message,) = mail.outbox
    assert message.subject == "Holdspace: There's no account for this address"
    assert_in_our_voice(message)
    assert "/password/reset/key/" not in message.body


def test_changing_the_password_sends_a_notice_with_a_way_back() -> None:
    user = verified(make_user(Role.SEEKER))
    client = signed_in(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Holdspace: Your password was changed"
    assert_in_our_voice(message, pseudonym=user.pseudonym)
    assert "If it wasn't you" in message.body
    assert "/accounts/password/reset/" in message.body


@pytest.mark.django_db(transaction=True)  # allauth tells on commit, inside the request
def test_adding_an_authenticator_app_sends_a_notice() -> None:
    user = verified(make_user(Role.SEEKER))
    client = signed_in(user)
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    if "/reauthenticate/" in response.redirect_chain[-1][0] if response.redirect_chain else "":
        # Changing how you sign in asks for the password again: "Confirm it's you".
        assert "Confirm it's you" in response.content.decode()
        response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    page = response.content.decode()
    found = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page)
    assert found is not None
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(found.group(1))})
    assert response.status_code == 302
    subjects = [m.subject for m in mail.outbox]
    assert "Holdspace: An authenticator app was added" in subjects
    for message in mail.outbox:
        assert_in_our_voice(message, pseudonym=user.pseudonym)
