"""A program that starts later takes its code now and places people from its start; the
coordinator's page says honestly what the program does today, and lists the therapist
invitations with their answers."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from holdspace.accounts.models import Role, User
from holdspace.programs import selectors, services
from holdspace.programs.models import (
    AllocationRun,
    Enrollment,
    InvitationState,
    Placement,
    Program,
    TherapistInvitation,
)
from tests.conftest import client_for
from tests.factories import find_answers, make_profile, make_schedule, make_user
from tests.programs.helpers import enrolled, join, make_coordinator, make_organisation, make_program

pytestmark = pytest.mark.django_db

STARTS_IN = dt.timedelta(days=10)


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def future_program() -> tuple[Program, User]:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation, starts=timezone.localdate() + STARTS_IN)
    return program, coordinator


def day_month(day: dt.date) -> str:
    return date_format(day, "j F")


# --- a program that starts later ------------------------------------------------------------


def test_a_seeker_enrolls_before_the_start_and_is_told_when_placements_begin() -> None:
    program, _ = future_program()
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    response = client.post(
        reverse("programs:enroll"), {"code": program.display_code.lower(), "need": "soon"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(seeker=seeker)
    assert enrollment.status == "waiting"
    services.save_enrollment_answers(enrollment=enrollment, answers=find_answers())
    page = text(client, reverse("programs:enrollment", args=[enrollment.pk]))
    starts = day_month(program.starts)
    assert f"You're enrolled in {program.name}. It starts on {starts}; placements begin then." in (
        page
    )
    assert f"This program starts on {starts}" in page
    assert "waiting list" not in page
    assert f"the program starts on {starts}" in text(client, reverse("programs:home"))


def test_allocation_places_nobody_before_the_start() -> None:
    program, coordinator = future_program()
    join(program, capacity=2)
    enrolled(program)
    with pytest.raises(services.NotStarted, match="Allocation places people from then"):
        services.run_allocation(program=program)
    assert not AllocationRun.objects.exists()
    assert not Placement.objects.exists()
    # A dry run (which writes nothing) may look ahead; the nightly run skips the program.
    assert services.run_allocation(program=program, dry_run=True).placed == 1
    assert services.run_nightly() == []
    assert not Placement.objects.exists()

    # The coordinator is not offered a button that would do nothing: the detail page and the
    # review page say when allocation starts, and a POST writes nothing.
    client = client_for(coordinator)
    detail = reverse("programs:detail", args=[program.pk])
    page = text(client, detail)
    assert "Review and run allocation" not in page
    assert f"Allocation starts on {date_format(program.starts, 'j F Y')}." in page
    review = text(client, reverse("programs:run", args=[program.pk]))
    assert f"starts on {date_format(program.starts, 'j F Y')}" in review
    assert "Run and send offers" not in review
    refused = client.post(reverse("programs:run", args=[program.pk]), follow=True)
    assert refused.status_code == 400
    assert not AllocationRun.objects.exists()

    # From the start date on, the nightly run places them.
    start = dt.datetime.combine(program.starts, dt.time(2), tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        (outcome,) = services.run_nightly()
        assert outcome.placed == 1
    assert Placement.objects.count() == 1


def test_the_coordinator_sees_what_the_program_does_today() -> None:
    program, coordinator = future_program()
    client = client_for(coordinator)
    detail = reverse("programs:detail", args=[program.pk])
    opens = f"Opens on {date_format(program.starts, 'j F Y')}"
    assert opens in text(client, detail)
    assert "Open for enrollment" not in text(client, detail)
    assert opens in text(client, reverse("programs:home"))
    # Days later (a fresh sign-in: coordinators' sessions last 12 hours at most).
    with time_machine.travel(
        dt.datetime.combine(program.starts, dt.time(12), tzinfo=dt.UTC), tick=False
    ):
        later = client_for(coordinator)
        assert "Open for enrollment" in text(later, detail)
        assert "Review and run allocation" in text(later, detail)
    program.ends = program.starts + dt.timedelta(days=5)
    program.save()
    with time_machine.travel(
        dt.datetime.combine(program.ends + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC),
        tick=False,
    ):
        later = client_for(coordinator)
        assert f"Ended on {date_format(program.ends, 'j F Y')}" in text(later, detail)
        with pytest.raises(services.ProgramError):
            services.enroll(seeker=make_user(Role.SEEKER), code=program.code)
    program.active = False
    program.save()
    assert "Closed" in text(client, detail)


def test_a_therapist_joins_before_the_start_and_is_told_when_requests_come() -> None:
    program, _ = future_program()
    _, token = services.create_invitation(program=program)
    client = client_for(make_schedule(make_profile()).user)
    join_url = reverse("programs:join", args=[token])
    page = text(client, join_url)
    assert f"This program starts on {date_format(program.starts, 'j F Y')}. You can join now" in (
        page
    )
    assert client.post(join_url, {"capacity": "2"}).status_code == 302
    assert program.therapists.count() == 1


# --- invitations and their answers --------------------------------------------------------


def test_the_coordinator_sees_each_invitation_and_who_has_not_answered() -> None:
    organisation = make_organisation()
    coordinator = make_coordinator(organisation)
    program = make_program(organisation)
    long_ago = timezone.now() - dt.timedelta(days=30)
    services.create_invitation(program=program, email="lapsed@example.test", now=long_ago)
    services.create_invitation(program=program, email="waiting@example.test")
    _, joins = services.create_invitation(program=program, email="joins@example.test")
    _, declines = services.create_invitation(program=program)  # a link copied by hand
    joiner = make_schedule(make_profile(display_name="Morgan Vale"))
    services.accept_invitation(token=joins, therapist=joiner.user, capacity=2)
    decliner = client_for(make_profile(display_name="Robin Ash").user)
    declined = decliner.post(reverse("programs:decline_invitation", args=[declines]), follow=True)
    assert "sees that you declined" in unescape(declined.content.decode())
    # A seeker in the program is never named on the coordinator's page.
    seeker = make_user(Role.SEEKER, pseudonym="Quiet Harbor 12")
    enrolled(program, seeker)

    page = text(client_for(coordinator), reverse("programs:detail", args=[program.pk]))
    assert "Invited 4 Joined 1 Declined 1 Not answered 2" in page
    assert "One link expired without an answer." in page
    made = r"made \d+ \w+ \d{4}"
    assert re.search(rf"joins@example\.test {made} Joined \d+ \w+, as Morgan Vale", page)
    assert re.search(rf"A link you copied {made} Declined \d+ \w+", page)
    assert re.search(rf"waiting@example\.test {made} Not answered yet link works until", page)
    assert re.search(rf"lapsed@example\.test {made} Expired without an answer on", page)
    assert "Robin Ash" not in page  # declining says no more than that
    assert "Quiet Harbor 12" not in page
    assert seeker.email not in page


def test_counts_follow_the_states() -> None:
    program = make_program()
    now = timezone.now()
    services.create_invitation(program=program, now=now - dt.timedelta(days=20))
    services.create_invitation(program=program, now=now)
    rows = selectors.invitations_for(program, now=now)
    assert [row.state for row in rows] == [InvitationState.WAITING, InvitationState.EXPIRED]
    counts = selectors.invitation_counts(rows)
    assert (counts.invited, counts.accepted, counts.declined) == (2, 0, 0)
    assert (counts.not_answered, counts.expired) == (2, 1)


def test_a_declined_link_cannot_be_used_to_join_and_only_therapists_answer() -> None:
    program = make_program()
    _, token = services.create_invitation(program=program)
    decline = reverse("programs:decline_invitation", args=[token])
    assert client_for(make_user(Role.SEEKER)).post(decline).status_code == 403
    assert client_for(make_user(Role.COORDINATOR)).post(decline).status_code == 403
    assert Client().post(decline).status_code == 302  # to sign in
    therapist = client_for(make_profile().user)
    assert therapist.get(decline).status_code == 405
    assert therapist.post(reverse("programs:decline_invitation", args=["nope"])).status_code == 404
    assert TherapistInvitation.objects.get().declined_at is None  # nothing changed yet

    assert therapist.post(decline).status_code == 302
    assert TherapistInvitation.objects.get().declined_at is not None
    assert therapist.post(decline).status_code == 404  # spent
    assert therapist.get(reverse("programs:join", args=[token])).status_code == 404
    with pytest.raises(services.ProgramError):
        services.accept_invitation(token=token, therapist=make_profile().user, capacity=1)
    assert not program.therapists.exists()
