"""Reports: suppression visible, "too few to report", the CSV under the same rules, and no
per-person row anywhere (every enrollee's pseudonym and email searched for)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.outreach import services as outreach
from holdspace.programs import reports, services
from holdspace.programs.models import Enrollment, Placement, Program
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import find_answers, make_session, make_user
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db(transaction=True)


def enroll_at(program: Program, when: dt.datetime, *, share: bool = False) -> Enrollment:
    enrollment = services.enroll(
        seeker=make_user(Role.SEEKER), code=program.code, share_outcomes=share, now=when
    )
    return services.save_enrollment_answers(enrollment=enrollment, answers=find_answers())


def busy_program(people: int = 12, placed: int = 11) -> tuple[Program, User, list[Enrollment]]:
    """``people`` enrolled ten days ago; ``placed`` accepted, each with one session held from two
    days after enrolling (an hour apart); all shared and took two ProQOL check-ins."""
    organisation = make_organisation()
    program = make_program(organisation, starts=timezone.localdate() - dt.timedelta(days=30))
    coordinator = make_coordinator(organisation)
    place = join(program, capacity=placed)
    past = timezone.now() - dt.timedelta(days=10)
    enrollments = [enroll_at(program, past, share=True) for _ in range(people)]
    services.run_allocation(program=program, now=past)
    placements = Placement.objects.select_related("request", "enrollment__seeker")
    for hour, placement in enumerate(placements.order_by("pk")):
        assert placement.request is not None
        client = outreach.accept_request(
            therapist=place.profile.user, request=placement.request,
            now=past + dt.timedelta(hours=1),
        )  # fmt: skip
        # One therapist: sessions an hour apart, from two days after enrolling.
        make_session(client, start=past + dt.timedelta(days=2, hours=hour))
    for enrollment in enrollments:
        seeker = enrollment.seeker
        save(seeker, "proqol5", answers("proqol5", 2), taken_at=past + dt.timedelta(hours=2))
        save(seeker, "proqol5", answers("proqol5", 3), taken_at=past + dt.timedelta(days=5))
    services.sync_placements(program=program)
    return program, coordinator, enrollments


def assert_no_person(text: str, enrollments: list[Enrollment]) -> None:
    for enrollment in enrollments:
        assert enrollment.seeker.pseudonym not in text
        assert enrollment.seeker.email not in text


def test_the_report_suppresses_small_counts_and_what_would_reveal_them() -> None:
    program, coordinator, enrollments = busy_program()
    report = reports.program_report(program)
    assert not report.too_few
    (month,) = report.rows
    enrolled_, placed, waiting, left, sessions = month.cells
    assert (enrolled_, left, sessions) == (12, 0, 11)
    assert waiting is None  # 1 person waiting: hidden
    assert placed is None  # else 12 - 11 - 0 would give the hidden 1 away
    assert report.total is not None
    assert report.total.cells[2] is None
    for row in (*report.rows, report.total):
        assert not any(value is not None and 1 <= value <= 10 for value in row.cells)
    assert report.median_days == 2.2  # 2 days + 5 hours, the middle of 11
    assert dict(report.proqol)["Burnout"] is not None

    client = client_for(coordinator)
    page = client.get(reverse("programs:report", args=[program.pk])).content.decode()
    assert "Not shown" in page
    assert "<svg" in page
    assert "People by month of enrollment" in page
    assert_no_person(page, enrollments)
    csv = client.get(reverse("programs:report_csv", args=[program.pk])).content.decode()
    lines = csv.splitlines()
    assert lines[0].startswith("Month of enrollment,Enrolled,Placed,Waiting")
    assert lines[1].endswith(",12,,,0,11")
    assert "Median days from enrollment to first session,2.2" in csv
    assert_no_person(csv, enrollments)


def test_statistics_need_eleven_contributors() -> None:
    program, _, _ = busy_program(people=12, placed=10)
    report = reports.program_report(program)
    assert report.median_days is None  # only 10 held a session
    assert dict(report.proqol)["Burnout"] is not None  # 12 shared their check-ins


def test_outcomes_count_only_for_those_who_agreed() -> None:
    program = make_program(starts=timezone.localdate() - dt.timedelta(days=30))
    past = timezone.now() - dt.timedelta(days=3)
    for index in range(12):
        enrollment = enroll_at(program, past, share=index < 10)
        save(enrollment.seeker, "proqol5", answers("proqol5", 2), taken_at=past)
        save(enrollment.seeker, "proqol5", answers("proqol5", 4))
    report = reports.program_report(program)
    assert all(change is None for _, change in report.proqol)  # 10 agreed: too few


def test_fewer_than_eleven_enrollees_shows_nothing_but_too_few() -> None:
    organisation = make_organisation()
    program = make_program(organisation)
    coordinator = make_coordinator(organisation)
    join(program, capacity=3)
    people = [enrolled(program) for _ in range(3)]
    services.run_allocation(program=program)
    client = client_for(coordinator)
    page = client.get(reverse("programs:report", args=[program.pk])).content.decode()
    assert "Too few to report" in page
    assert "<table" not in page
    assert "program-chart" not in page
    csv = client.get(reverse("programs:report_csv", args=[program.pk])).content.decode()
    assert csv.strip() == "Too few to report"
    detail = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Not shown" in detail  # the run's counts (3 considered, 3 offered) are hidden
    assert_no_person(page + csv + detail, people)
