"""Staff land on the verification queue (pending licenses with the way into the admin, each
view logged); coordinators on their programs with the report's own suppressed figures and the
last allocation run. Nobody else gets either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.directory import services as directory
from holdspace.directory.models import VerificationStatus
from holdspace.programs import reports, services
from tests.conftest import client_for
from tests.factories import make_profile, make_staff, make_user
from tests.home.conftest import page, text_of
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db
STAFF_URL = "/staff/"


def test_the_queue_is_for_staff_only() -> None:
    for role in (Role.SEEKER, Role.THERAPIST, Role.COORDINATOR):
        assert client_for(make_user(role)).get(STAFF_URL).status_code == 403
    assert Client().get(STAFF_URL)["Location"].startswith(reverse("account_login"))
    assert client_for(make_staff()).post(STAFF_URL).status_code == 405


def test_staff_see_what_waits_oldest_first_with_links_into_the_admin() -> None:
    waiting = make_profile(display_name="Wren Waiting", verified=False)
    later = make_profile(display_name="Later Lane", verified=False, licenses=("US-WY",))
    make_profile(display_name="Done Already")  # verified: not in the queue
    staff = make_staff()
    html = page(staff, STAFF_URL)
    text = text_of(html)
    assert "Waiting for verification: 2 licenses." in text
    assert text.index("Wren Waiting") < text.index("Later Lane")
    assert "Done Already" not in text
    first = waiting.licenses.get()
    assert f'href="{reverse("admin:directory_license_change", args=[first.pk])}"' in html
    changelist = reverse("admin:directory_license_changelist") + "?status=pending"
    assert f'href="{changelist}"' in html
    assert client_for(staff).get(changelist).status_code == 200
    assert AccessLog.objects.filter(actor=staff, action="view_verification_queue").exists()
    directory.decide_license(
        license=later.licenses.get(), decision=VerificationStatus.VERIFIED, staff=staff
    )
    assert "Waiting for verification: 1 license." in text_of(page(staff, STAFF_URL))


def test_an_empty_queue_says_so() -> None:
    assert "Nothing is waiting for verification." in text_of(page(make_staff(), STAFF_URL))


def test_coordinators_see_each_programs_figures_and_last_run() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation, name="After the storm",
                           starts=timezone.localdate() - dt.timedelta(days=30))  # fmt: skip
    for _ in range(12):
        enrolled(program)
    text = text_of(page(coordinator, reverse("programs:home")))
    assert "After the storm" in text
    assert "Placed 0 Waiting 12" in text
    assert "Last allocation Not run yet" in text
    join(program, capacity=2)
    services.run_allocation(program=program)
    overview = reports.overview(program)
    total = reports.program_report(program).total
    assert total is not None
    # The very cells of the report, so nothing on the home can be set against it.
    cells = dict(zip(reports.MEASURES, total.cells, strict=True))
    assert (overview.placed, overview.waiting) == (cells["placed"], cells["waiting"])
    text = text_of(page(coordinator, reverse("programs:home")))
    assert "Not run yet" not in text
    assert "offered a therapist: Not shown" in text  # 2 offers: a small number


def test_a_small_program_shows_no_counts() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation)
    for _ in range(3):
        enrolled(program)
    text = text_of(page(coordinator, reverse("programs:home")))
    assert "Fewer than 11, so no counts are shown yet" in text
    assert "Waiting: 3" not in text


def test_a_coordinator_never_sees_another_organisations_program(seeker: User) -> None:
    mine = make_coordinator(make_organisation())
    make_program(make_organisation("Elsewhere Clinic"), name="Not yours")
    assert "Not yours" not in text_of(page(mine, reverse("programs:home")))
