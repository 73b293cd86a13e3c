"""The program page gives the coordinator both things to share: the code, and the address
where people enter it; the invitation page offers a button to copy the link."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role
from tests.conftest import client_for
from tests.factories import make_user
from tests.programs.helpers import make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db


def test_the_program_page_says_where_the_code_is_entered(settings: Settings) -> None:
    settings.SITE_URL = "https://holdspace.example/"
    organisation = make_organisation()
    program = make_program(organisation)
    page = client_for(make_coordinator(organisation)).get(
        reverse("programs:detail", args=[program.pk])
    )
    body = page.content.decode()
    assert program.display_code in body
    enroll = reverse("programs:enroll")
    assert f'<a href="{enroll}">https://holdspace.example{enroll}</a>' in body
    # The address works for a seeker, and sends anyone else to sign in first.
    assert client_for(make_user(Role.SEEKER)).get(enroll).status_code == 200
    assert "/accounts/login/" in Client().get(enroll)["Location"]


def test_the_invitation_link_has_a_copy_button_that_waits_for_its_script() -> None:
    organisation = make_organisation()
    program = make_program(organisation)
    page = client_for(make_coordinator(organisation)).post(
        reverse("programs:invite", args=[program.pk]), {"email": ""}
    )
    body = page.content.decode()
    assert 'data-copy="invitation-link"' in body
    assert "Copy link</button>" in body
    assert 'data-copy-status="copy-status" hidden' in body  # shown by programs/copy-link.js
    assert "programs/copy-link.js" in body
