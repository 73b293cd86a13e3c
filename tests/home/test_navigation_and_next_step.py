"""The navigation per role (Requests with its unread count for seekers and therapists, the
person's own name: never a generated pseudonym for a therapist), and the "Next step" that ends
onboarding on the recovery codes page."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role, User
from holdspace.directory import services as directory
from holdspace.directory.models import TherapistProfile
from tests.conftest import client_for
from tests.factories import PASSWORD, make_staff, make_user, totp_code, with_mfa
from tests.home.conftest import text_of
from tests.programs.helpers import make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db


def nav(user: User | None) -> str:
    """Both navigation landmarks of a page, as text."""
    client = client_for(user) if user else Client()
    html = client.get(reverse("about")).content.decode()
    return text_of(html[html.index('<nav class="site-nav"') : html.index("</header>")])


def test_a_seeker_has_my_care_requests_and_their_pseudonym(seeker: User) -> None:
    text = nav(seeker)
    for link in ("My care", "Requests", "Check in", "Find a therapist", "Browse", "Your data"):
        assert link in text
    assert f"Signed in as {seeker.pseudonym}" in text
    assert "Today" not in text


def test_a_therapist_has_today_requests_and_their_profile_name(profile: TherapistProfile) -> None:
    text = nav(profile.user)
    for link in ("Today", "Requests", "Clients", "Bookings", "Your listing"):
        assert link in text
    assert "Signed in as Morgan Vale" in text
    assert "My care" not in text


def test_a_new_therapist_is_never_shown_a_generated_pseudonym(settings: Settings) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    signup = Client().get(reverse("account_signup")).content.decode()
    suggested = signup.split('name="pseudonym"')[1].split('value="')[1].split('"')[0]
    Client().post(
        reverse("account_signup"),
        {"email": "new.therapist@example.test", "password1": PASSWORD, "password2": PASSWORD,
         "role": "therapist", "pseudonym": suggested},
    )  # fmt: skip
    user = User.objects.get(email="new.therapist@example.test")
    assert user.pseudonym == ""
    assert "Signed in as new.therapist@example.test" in nav(user)
    directory.start_profile(user=user, display_name="Robin Hale", profession="counselor")
    assert "Signed in as Robin Hale" in nav(user)
    assert suggested not in nav(user)


def test_coordinators_and_staff_see_their_own_name_and_no_requests() -> None:
    coordinator = make_user(Role.COORDINATOR, legal_name="Morgan Ellis")
    text = nav(coordinator)
    assert "Signed in as Morgan Ellis" in text
    assert "Programs" in text
    assert "Requests" not in text
    staff = make_staff()
    assert "Verification queue" in nav(staff)
    assert "Requests" not in nav(staff)


def test_anonymous_visitors_keep_the_public_navigation() -> None:
    text = nav(None)
    assert "Sign in" in text
    assert "Signed in as" not in text
    assert "Requests" not in text


def test_the_count_beside_requests(seeker: User, profile: TherapistProfile) -> None:
    from tests.factories import make_request

    make_request(seeker, profile)
    assert re.search(r"Requests 1 new", nav(profile.user))
    assert not re.search(r"Requests \d", nav(seeker))


# --- the next step once the account is set up ----------------------------------------------------


def recovery_codes_page(user: User) -> str:
    """Sign in through the real forms and open the recovery codes page allauth shows after an
    authenticator app is added."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with_mfa(user)
    RecoveryCodes.activate(user)
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    # Adding an authenticator asked for the password again, as the codes page does.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_therapist_is_sent_on_to_create_their_profile() -> None:
    html = recovery_codes_page(make_user(Role.THERAPIST))
    assert "Next: create your profile" in text_of(html)
    assert f'href="{reverse("directory:wizard", args=[1])}"' in html


def test_a_therapist_with_an_unpublished_profile_is_sent_to_finish_it() -> None:
    user = make_user(Role.THERAPIST)
    directory.start_profile(user=user, display_name="Robin Hale", profession="counselor")
    assert "Next: finish your profile" in text_of(recovery_codes_page(user))


def test_a_coordinator_is_sent_to_create_their_program() -> None:
    coordinator = make_coordinator(make_organisation())
    html = recovery_codes_page(coordinator)
    assert "Next: create your program" in text_of(html)
    assert f'href="{reverse("programs:create")}"' in html


def test_a_coordinator_with_a_program_goes_to_their_programs() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    make_program(organisation)
    assert "Next: go to your programs" in text_of(recovery_codes_page(coordinator))


def test_staff_are_sent_to_the_queue() -> None:
    html = recovery_codes_page(make_staff())
    assert f'href="{reverse("home:staff")}"' in html
