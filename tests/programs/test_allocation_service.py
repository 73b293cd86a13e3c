"""The allocation service end to end: real outreach requests, the real worker, the waiting list,
the organisation kept away as a close entity, and places freed when an offer ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest
from holdspace.outreach.models import Status as RequestStatus
from holdspace.programs import services
from holdspace.programs.models import (
    AllocationRun,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
)
from tests.factories import affiliate
from tests.programs.helpers import enrolled, join, make_organisation, make_program, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def statuses() -> list[str]:
    return sorted(Enrollment.objects.values_list("status", flat=True))


def test_placed_get_offers_and_requests_unplaced_wait_and_the_organisation_is_kept_away() -> None:
    organisation = make_organisation()
    program = make_program(organisation)
    first, second = join(program, capacity=1), join(program, capacity=1)
    tied = join(program, capacity=3)
    # Worked at the hospital years ago: "anyone there", whatever the dates, is kept away.
    affiliate(tied.profile.user, organisation.entity, start=dt.date(2010, 1, 1),
              end=dt.date(2012, 12, 31))  # fmt: skip
    people = [enrolled(program) for _ in range(3)]

    outcome = services.run_allocation(program=program)

    assert outcome.placed == 2
    assert statuses() == ["offered", "offered", "waiting"]
    requests = ConsultationRequest.objects.all()
    assert {r.profile_id for r in requests} == {first.profile_id, second.profile_id}
    assert all(r.status == RequestStatus.OPEN for r in requests)
    assert "through the program “After the incident”" in requests[0].situation
    assert not Placement.objects.filter(place=tied).exists()
    run = AllocationRun.objects.get()
    assert (run.seekers, run.placed, run.waiting, run.validator_ok) == (3, 2, 1, True)

    run_worker()
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Holdspace: A therapist is ready for you",
        "Holdspace: A therapist is ready for you",
        "Holdspace: You have a new consultation request",
        "Holdspace: You have a new consultation request",
        "Holdspace: You're on the waiting list",
    ]
    waiting = Enrollment.objects.get(status=EnrollmentStatus.WAITING)
    (told,) = [m for m in mail.outbox if m.subject.endswith("waiting list")]
    assert told.to == [waiting.seeker.email]
    assert "we try again every night" in told.body
    assert reverse("programs:enrollment", args=[waiting.pk]) in told.body
    for message in mail.outbox:
        for person in people:
            assert person.seeker.pseudonym not in message.body
        assert "Therapist " not in message.body  # no display names

    # A second run the same night tells nobody again and offers nothing new.
    again = services.run_allocation(program=program)
    assert again.placed == 0
    run_worker()
    assert len(mail.outbox) == 5


def test_declined_request_returns_the_seeker_and_frees_the_place_for_the_nightly_run() -> None:
    program = make_program()
    first = join(program, capacity=1)
    people = [enrolled(program, need="soon"), enrolled(program, need="flexible")]
    services.run_allocation(program=program)
    offered = Placement.objects.get()
    assert offered.enrollment == people[0]  # the one who needs support soonest goes first
    assert offered.request is not None

    outreach.decline_request(
        therapist=first.profile.user, request=offered.request, reason="not_taking"
    )
    call_command("allocate", "--all-due", stdout=open("/dev/null", "w"))  # noqa: SIM115

    offered.refresh_from_db()
    assert offered.status == PlacementStatus.DECLINED
    # The place freed went to the other enrollee; the first is not offered the same therapist.
    current = Placement.objects.get(status=PlacementStatus.OFFERED)
    assert current.enrollment == people[1]
    assert Enrollment.objects.get(pk=people[0].pk).status == EnrollmentStatus.WAITING
    assert AllocationRun.objects.filter(trigger="nightly").count() == 1


def test_accepting_places_and_decline_and_wait_frees_the_place() -> None:
    program = make_program()
    place = join(program, capacity=1)
    one, two = enrolled(program, need="soon"), enrolled(program, need="flexible")
    services.run_allocation(program=program)
    offer = Placement.objects.get(enrollment=one)

    services.decline_offer(seeker=one.seeker, enrollment=one)
    offer.refresh_from_db()
    assert offer.status == PlacementStatus.SEEKER_DECLINED
    assert offer.request is not None
    offer.request.refresh_from_db()
    assert offer.request.status == RequestStatus.WITHDRAWN
    one.refresh_from_db()
    assert one.status == EnrollmentStatus.WAITING

    services.run_allocation(program=program)
    offer_two = Placement.objects.get(enrollment=two, status=PlacementStatus.OFFERED)
    assert offer_two.request is not None
    outreach.accept_request(therapist=place.profile.user, request=offer_two.request)
    services.sync_placements(program=program)
    two.refresh_from_db()
    assert two.status == EnrollmentStatus.PLACED
    # The accepted client keeps the only place: the first enrollee waits.
    assert services.run_allocation(program=program).placed == 0


def test_outreach_refusing_at_send_time_leaves_the_seeker_waiting() -> None:
    program = make_program()
    place = join(program, capacity=1)
    person = enrolled(program)

    def meanwhile(phase: str) -> None:
        # Data changes after the allocation and before the offer: the therapist stops accepting,
        # so outreach's own re-check refuses the request.
        if phase == "Sending offers":
            place.profile.accepting = False
            place.profile.save()

    outcome = services.run_allocation(program=program, progress=meanwhile)
    assert (outcome.allocation.stats.matched, outcome.placed, outcome.refused) == (1, 0, 1)
    person.refresh_from_db()
    assert person.status == EnrollmentStatus.WAITING
    assert not Placement.objects.exists()
    assert not ConsultationRequest.objects.exists()


def test_leaving_withdraws_an_open_offer() -> None:
    program = make_program()
    join(program, capacity=1)
    person = enrolled(program)
    services.run_allocation(program=program)
    services.leave_program(seeker=person.seeker, enrollment=person)
    person.refresh_from_db()
    assert person.status == EnrollmentStatus.WITHDRAWN
    placement = Placement.objects.get()
    assert placement.status == PlacementStatus.WITHDRAWN
    assert placement.request is not None
    placement.request.refresh_from_db()
    assert placement.request.status == RequestStatus.WITHDRAWN


def test_an_expired_request_returns_the_seeker_and_frees_the_place() -> None:
    program = make_program()
    join(program, capacity=1)
    first, second = enrolled(program, need="soon"), enrolled(program, need="flexible")
    services.run_allocation(program=program)
    later = timezone.now() + dt.timedelta(hours=73)
    assert outreach.expire_overdue(now=later) == 1  # the answer guarantee
    services.run_allocation(program=program, now=later)
    expired = Placement.objects.get(enrollment=first)
    assert expired.status == PlacementStatus.EXPIRED
    assert Placement.objects.get(enrollment=second).status == PlacementStatus.OFFERED


def test_an_invitation_can_be_emailed_with_its_link() -> None:
    program = make_program()
    _, token = services.create_invitation(program=program, email="new.therapist@example.test")
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["new.therapist@example.test"]
    assert reverse("programs:join", args=[token]) in message.body
    assert program.name not in message.body


def test_a_result_the_validator_refuses_writes_nothing() -> None:
    from holdspace.core.allocation import Allocation, AllocationStats, Assignment
    from holdspace.core.eligibility import SeekerInput, TherapistInput

    program = make_program(make_organisation())
    join(program, capacity=1)
    people = [enrolled(program) for _ in range(2)]

    def over_capacity(
        seekers: list[SeekerInput],
        therapists: list[TherapistInput],
        *args: object,
        **kwargs: object,
    ) -> Allocation:
        # A faulty solver: everyone to one therapist, past their capacity of one.
        ids = sorted(s.id for s in seekers)
        (only,) = therapists
        return Allocation(
            assignments=tuple(Assignment(seeker=i, therapist=only.id, fit=0.5) for i in ids),
            unmatched=(),
            stats=AllocationStats(matched=len(ids), total_fit=1.0, min_fit=0.5, lp_bound=1.0,
                                  seconds=0.0),
        )  # fmt: skip

    with pytest.raises(services.AllocationRejected, match="capacity"):
        services.run_allocation(program=program, allocator=over_capacity)

    assert statuses() == ["waiting"] * len(people)
    assert not ConsultationRequest.objects.exists()
    assert not Placement.objects.exists()
    assert not AllocationRun.objects.exists()
