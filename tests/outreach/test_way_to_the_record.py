"""Once a therapist accepts a request, its page leads on to the client's record; nothing of the
kind is offered before accepting, or to the seeker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.outreach import services
from holdspace.outreach.models import ConsultationRequest
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_accepted_request_links_to_the_clients_record(
    therapist: User, private_seeker: User, sent: ConsultationRequest
) -> None:
    record = reverse("practice:client", args=[sent.pk])
    detail = reverse("outreach:detail", args=[sent.pk])
    assert record not in client_for(therapist).get(detail).content.decode()  # not yet a client
    services.accept_request(therapist=therapist, request=sent)
    page = client_for(therapist).get(detail).content.decode()
    assert f'href="{record}"' in page
    assert f"{private_seeker.pseudonym}'s record" in page
    assert client_for(therapist).get(record).status_code == 200
    assert record not in client_for(private_seeker).get(detail).content.decode()
