"""Only a signed-in seeker has these pages: the download and deletion are about their own
data. Therapists, coordinators and staff are refused (their records hold other people's care
and follow other rules); anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role
from holdspace.mydata import services
from holdspace.mydata.models import DeletionRequest
from tests.conftest import client_for
from tests.factories import PASSWORD, make_staff, make_user

pytestmark = pytest.mark.django_db

PAGES = ("mydata:index", "mydata:download", "mydata:delete")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.THERAPIST, Role.COORDINATOR, "staff"])
def test_other_roles_are_refused(name: str, role: str) -> None:
    user = make_staff() if role == "staff" else make_user(role)
    client = client_for(user)
    assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("mydata:delete"), {"password": PASSWORD})
    assert response.status_code == 403
    assert not DeletionRequest.objects.exists()
    user.refresh_from_db()
    assert user.is_active


def test_the_link_is_in_a_seekers_navigation_only() -> None:
    seeker, therapist = make_user(Role.SEEKER), make_user(Role.THERAPIST)
    url = reverse("mydata:index")
    assert f'href="{url}"' in client_for(seeker).get(reverse("about")).content.decode()
    assert f'href="{url}"' not in client_for(therapist).get(reverse("about")).content.decode()


def test_staff_see_that_a_deletion_was_asked_for_and_nothing_about_whom() -> None:
    seeker = make_user(Role.SEEKER, legal_name="Canary Legalname")
    services.request_deletion(user=seeker, password=PASSWORD)
    page = client_for(make_staff()).get(reverse("admin:mydata_deletionrequest_changelist"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Waiting to run" in text
    for secret in (seeker.email, seeker.pseudonym, "Canary Legalname"):
        assert secret not in text
