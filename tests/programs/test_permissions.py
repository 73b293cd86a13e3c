"""Coordinators of one program can't see another's; no coordinator reaches person-level data;
other roles can't reach coordinator pages; seekers and therapists only their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.accounts.models import Role
from holdspace.outreach import services as outreach
from holdspace.programs import services
from holdspace.programs.models import Placement
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import make_user
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db(transaction=True)

COORDINATOR_ROUTES = ("detail", "edit", "invite", "report", "report_csv")


def test_a_coordinator_gets_404_for_another_organisations_program() -> None:
    mine, theirs = make_organisation("Mercy General"), make_organisation("State Association")
    coordinator = make_coordinator(mine)
    own, other = make_program(mine), make_program(theirs, name="Colleague assistance")
    client = client_for(coordinator)
    for name in COORDINATOR_ROUTES:
        assert client.get(reverse(f"programs:{name}", args=[own.pk])).status_code == 200
        assert client.get(reverse(f"programs:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("programs:run", args=[other.pk])).status_code == 404
    assert client.post(reverse("programs:invite", args=[other.pk])).status_code == 404
    assert other.name not in client.get(reverse("programs:home")).content.decode()
    # A coordinator of no organisation sees no programs at all.
    loner = client_for(make_user(Role.COORDINATOR))
    assert loner.get(reverse("programs:detail", args=[own.pk])).status_code == 404
    assert loner.post(reverse("programs:create"), {"organisation": mine.pk}).status_code == 200


def test_no_coordinator_reaches_person_level_pages() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation)
    place = join(program, capacity=1)
    enrollment = enrolled(program)
    checkin = save(enrollment.seeker, "gad7", answers("gad7", 1))
    services.run_allocation(program=program)
    placement = Placement.objects.get()
    assert placement.request is not None
    request_id = placement.request.pk
    outreach.accept_request(therapist=place.profile.user, request=placement.request)
    client = client_for(coordinator)
    person_level = [
        reverse("outreach:detail", args=[request_id]),
        reverse("outreach:thread", args=[request_id]),
        reverse("outreach:reveal", args=[request_id]),
        reverse("practice:client", args=[request_id]),
        reverse("practice:export_fhir", args=[request_id]),
        reverse("checkins:detail", args=[checkin.pk]),
        reverse("programs:enrollment", args=[enrollment.pk]),
        reverse("programs:answers", args=[enrollment.pk]),
    ]
    for url in person_level:
        assert client.get(url).status_code in (403, 404), url
    for name in ("decline", "leave", "sharing"):
        url = reverse(f"programs:{name}", args=[enrollment.pk])
        assert client.post(url).status_code in (403, 404), url
    assert client.post(reverse("programs:leave_place", args=[place.pk])).status_code in (403, 404)


def test_seekers_and_therapists_cannot_reach_coordinator_pages() -> None:
    organisation = make_organisation()
    program = make_program(organisation)
    place = join(program, capacity=1)
    enrollment = enrolled(program)
    for user in (enrollment.seeker, place.profile.user):
        client = client_for(user)
        for name in COORDINATOR_ROUTES:
            assert client.get(reverse(f"programs:{name}", args=[program.pk])).status_code == 403
        assert client.get(reverse("programs:create")).status_code == 403


def test_seekers_and_therapists_reach_only_their_own() -> None:
    program = make_program()
    mine, theirs = enrolled(program), enrolled(program)
    client = client_for(mine.seeker)
    assert client.get(reverse("programs:enrollment", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programs:enrollment", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("programs:leave", args=[theirs.pk])).status_code == 404
    place, other_place = join(program), join(program)
    therapist = client_for(place.profile.user)
    assert therapist.post(reverse("programs:leave_place", args=[other_place.pk])).status_code == 404
    other_place.refresh_from_db()
    assert other_place.left_at is None
