"""After signing in (with the second step where the role needs it), signing up, or opening the
site's address, each role lands on its own home; a safe ``next`` still wins."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role, User
from tests.conftest import client_for
from tests.factories import PASSWORD, make_staff, make_user, totp_code, with_mfa

pytestmark = pytest.mark.django_db

HOMES: dict[str, str] = {
    Role.SEEKER: "home:seeker",
    Role.THERAPIST: "home:therapist",
    Role.COORDINATOR: "programs:home",
    Role.STAFF: "home:staff",
}


def person(role: str) -> User:
    user = make_staff() if role == Role.STAFF else make_user(role)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role != Role.SEEKER:
        with_mfa(user)
    return user


def sign_in(client: Client, user: User, next_url: str = "") -> str:
    """The address the browser is sent to once the password (and, where set up, the
    authenticator code) are accepted."""
    login = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(login, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_own_home_after_signing_in(role: str) -> None:
    client = Client()
    landed = sign_in(client, person(role))
    assert landed == reverse(HOMES[role])
    assert client.get(landed).status_code == 200


@pytest.mark.parametrize("role", [Role.SEEKER, Role.THERAPIST])
def test_a_safe_next_wins_also_through_the_second_step(role: str) -> None:
    assert sign_in(Client(), person(role), "/requests/") == "/requests/"


def test_a_next_to_another_site_is_ignored() -> None:
    landed = sign_in(Client(), person(Role.THERAPIST), "https://evil.example/steal")
    assert landed == reverse("home:therapist")


@pytest.mark.parametrize(("role", "pseudonym"), [("seeker", "Steady Heron 204"), ("therapist", "")])
def test_signing_up_lands_on_the_new_home(settings: Settings, role: str, pseudonym: str) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # else the emailed link signs them in
    passphrase = "a calm and long passphrase"
    response = Client().post(
        reverse("account_signup"),
        {"email": "new@example.test", "password1": passphrase, "password2": passphrase,
         "role": role, "pseudonym": pseudonym},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])


@pytest.mark.parametrize("role", list(HOMES))
def test_the_sites_address_takes_a_signed_in_person_home(role: str) -> None:
    response = client_for(person(role)).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])
    assert client_for(person(role)).get(reverse("home:index"))["Location"] == reverse(HOMES[role])


def landing_template(response: object) -> bool:
    return "home.html" in [t.name for t in getattr(response, "templates", [])]


def test_the_landing_page_stays_at_about_for_everyone() -> None:
    assert landing_template(Client().get(reverse("home")))
    assert landing_template(Client().get(reverse("about")))
    signed_in = client_for(person(Role.SEEKER)).get(reverse("about"))
    assert signed_in.status_code == 200
    assert landing_template(signed_in)
    # A signed-in person finds it in their account menu.
    assert f'href="{reverse("about")}"' in signed_in.content.decode()


def test_home_index_asks_an_anonymous_visitor_to_sign_in() -> None:
    response = Client().get(reverse("home:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
