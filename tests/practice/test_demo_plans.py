"""The demo therapist has a client with measurement plans; seeding twice rebuilds the same."""

from __future__ import annotations

import pytest

from holdspace.directory.demo import THERAPIST_EMAIL, seed_demo
from holdspace.practice import selectors
from holdspace.practice.models import CheckInInvitation, MeasurementPlan

pytestmark = pytest.mark.django_db


def test_the_demo_client_has_plans_and_an_asked_check_in_on_the_chart() -> None:
    seed_demo(therapists=3)
    seed_demo(therapists=3)
    plans = MeasurementPlan.objects.order_by("instrument")
    assert [(p.instrument, p.cadence, p.status) for p in plans] == [
        ("phq9", "before_session", "active"),
        ("proqol5", "monthly", "active"),
    ]
    client = plans[0].request
    assert client.profile.user.email == THERAPIST_EMAIL
    done = CheckInInvitation.objects.get()
    rows = selectors.checkin_rows(client)
    assert [(row.name, row.asked) for row in rows] == [("ProQOL 5", True)]
    assert done.checkin == rows[0].checkin
