"""Writes for programs: keyword-only and typed.

Offers go through outreach: each placed enrollee is sent to their therapist as a normal
consultation request (pseudonym, the 72-hour answer guarantee, outreach's own re-check of the
rules). Outreach is never changed from here; ``sync_placements`` reads the requests' states back
(accepted -> placed; declined, expired or withdrawn -> back on the waiting list, the place freed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from holdspace.accounts.models import Role, User
from holdspace.core.allocation import Allocation, allocate
from holdspace.core.compacts import load_compacts
from holdspace.core.validation import InvalidAllocation, check_allocation
from holdspace.directory.models import TherapistProfile
from holdspace.matching import services as matching_services
from holdspace.matching.answers import Answers
from holdspace.matching.models import FindProfile
from holdspace.network import services as network
from holdspace.outreach import services as outreach
from holdspace.outreach.models import Status as RequestStatus
from holdspace.programs import selectors, tasks
from holdspace.programs.models import (
    ACTIVE_PLACEMENTS,
    CODE_LENGTH,
    INVITATION_VALID_FOR,
    PRIORITY,
    AllocationRun,
    CoordinatorMembership,
    Enrollment,
    EnrollmentStatus,
    Need,
    Organisation,
    Placement,
    PlacementStatus,
    Program,
    ProgramTherapist,
    TherapistInvitation,
)
from holdspace.queueing import enqueue_after_commit

logger = logging.getLogger(__name__)

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
WRONG_CODE = (
    "We couldn't find an open program with that code. Check it with the person who gave it to you."
)
USED_LINK = "This invitation link has expired or was already used. Ask for a new one."


class ProgramError(Exception):
    """A change that cannot happen; ``message`` is safe to show as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotStarted(ProgramError):
    """Allocation asked for before the program's start date: nobody is placed early."""


class AllocationRejected(RuntimeError):
    """The independent validator refused an allocation: nothing was written."""


class ProposalChanged(ProgramError):
    """The allocation would no longer be the one the coordinator reviewed: nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "Things changed since you looked (someone enrolled, left or was placed, or a "
            "therapist's places changed), so nothing was sent. Here are the new figures."
        )


def _after_commit(enqueue: Callable[[], object]) -> None:
    enqueue_after_commit(enqueue, what="a program task")


def _tell(enrollment: Enrollment, event: str) -> None:
    _after_commit(
        partial(tasks.send_enrollment_email.enqueue, enrollment_id=enrollment.pk, event=event)
    )


# --- organisations and programs ---------------------------------------------------------------


@transaction.atomic
def create_organisation(*, name: str, kind: str, created_by: User | None = None) -> Organisation:
    """An organisation and the shared network entity that stands for it in the conflict rules."""
    entity = network.find_or_create_entity(kind=kind, name=name, created_by=created_by)
    organisation, _ = Organisation.objects.get_or_create(
        name=" ".join(name.split()), defaults={"entity": entity}
    )
    return organisation


def add_coordinator(*, organisation: Organisation, user: User) -> CoordinatorMembership:
    if user.role != Role.COORDINATOR:
        raise ProgramError("Only coordinator accounts can run an organisation's programs.")
    membership, _ = CoordinatorMembership.objects.get_or_create(
        user=user, organisation=organisation
    )
    return membership


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Any case, spaces and dashes ignored; letters easily misread mapped as Crockford does."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def create_program(
    *,
    organisation: Organisation,
    name: str,
    description: str,
    starts: dt.date,
    ends: dt.date | None,
    jurisdictions: Sequence[str],
    session_allowance: int,
    sponsor_paid: bool,
) -> Program:
    for _ in range(5):  # 60 random bits: a clash is a freak, but never a crash
        try:
            with transaction.atomic():
                return Program.objects.create(
                    organisation=organisation,
                    name=name.strip(),
                    description=description.strip(),
                    starts=starts,
                    ends=ends,
                    jurisdictions=sorted(set(jurisdictions)),
                    session_allowance=session_allowance,
                    sponsor_paid=sponsor_paid,
                    code=new_code(),
                )
        except IntegrityError:
            if Program.objects.filter(organisation=organisation, name=name.strip()).exists():
                raise ProgramError(
                    "This organisation already has a program with that name."
                ) from None
    raise ProgramError("Could not make a program code; please try again.")


def update_program(
    *,
    program: Program,
    name: str,
    description: str,
    starts: dt.date,
    ends: dt.date | None,
    jurisdictions: Sequence[str],
    session_allowance: int,
    sponsor_paid: bool,
    active: bool,
) -> Program:
    program.name, program.description = name.strip(), description.strip()
    program.starts, program.ends = starts, ends
    program.jurisdictions = sorted(set(jurisdictions))
    program.session_allowance, program.sponsor_paid, program.active = (
        session_allowance,
        sponsor_paid,
        active,
    )
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise ProgramError("This organisation already has a program with that name.") from None
    return program


# --- therapists -------------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("programs:join", args=[token])


def enroll_link() -> str:
    """Where people enter a program's code: the address a coordinator shares with it."""
    return settings.SITE_URL.rstrip("/") + reverse("programs:enroll")


def create_invitation(
    *, program: Program, email: str = "", now: dt.datetime | None = None
) -> tuple[TherapistInvitation, str]:
    """A one-use invitation; returns it with its token (shown once, never stored)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        invitation = TherapistInvitation.objects.create(
            program=program,
            token_hash=selectors.token_hash(token),
            email=email.strip(),
            created=now,
            expires=now + INVITATION_VALID_FOR,
        )
        if email:
            _after_commit(
                partial(
                    tasks.send_invitation_email.enqueue,
                    address=email.strip(),
                    link=invitation_link(token),
                )
            )
    return invitation, token


@transaction.atomic
def accept_invitation(
    *, token: str, therapist: User, capacity: int, now: dt.datetime | None = None
) -> ProgramTherapist:
    now = now or timezone.now()
    invitation = selectors.get_invitation(token, now=now)
    if invitation is None:
        raise ProgramError(USED_LINK)
    profile = TherapistProfile.objects.filter(user=therapist).first()
    if therapist.role != Role.THERAPIST or profile is None:
        raise ProgramError("Only therapists with a profile can join a program.")
    if capacity < 1:
        raise ProgramError("Take at least one new client, or leave this page.")
    # Claimed with a conditional update, so one link can never be used twice.
    if not TherapistInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, declined_at__isnull=True
    ).update(used_at=now, used_by=profile):
        raise ProgramError(USED_LINK)
    place, created = ProgramTherapist.objects.get_or_create(
        program=invitation.program,
        profile=profile,
        defaults={"capacity": capacity, "joined_at": now},
    )
    if not created:
        place.capacity, place.left_at = capacity, None
        place.save(update_fields=["capacity", "left_at"])
    return place


def decline_invitation(*, token: str, therapist: User, now: dt.datetime | None = None) -> None:
    """ "No thanks": the link is spent and the coordinator sees the invitation declined."""
    now = now or timezone.now()
    if therapist.role != Role.THERAPIST:
        raise ProgramError("Only therapists can answer a program's invitation.")
    invitation = selectors.get_invitation(token, now=now)
    if invitation is None or not TherapistInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, declined_at__isnull=True
    ).update(declined_at=now):
        raise ProgramError(USED_LINK)


def set_capacity(*, place: ProgramTherapist, capacity: int) -> ProgramTherapist:
    if capacity < 1:
        raise ProgramError("Take at least one new client, or leave the program.")
    place.capacity = capacity
    place.save(update_fields=["capacity"])
    return place


def leave_as_therapist(*, place: ProgramTherapist, now: dt.datetime | None = None) -> None:
    """No new offers from now on; requests already sent stay open for an answer."""
    if place.left_at is None:
        place.left_at = now or timezone.now()
        place.save(update_fields=["left_at"])


# --- seekers ----------------------------------------------------------------------------------


@transaction.atomic
def enroll(
    *,
    seeker: User,
    code: str,
    need: str = Need.WEEKS,
    share_outcomes: bool = False,
    now: dt.datetime | None = None,
) -> Enrollment:
    """Enroll under the seeker's pseudonym. A wrong code saves nothing."""
    now = now or timezone.now()
    if not seeker.is_seeker:
        raise ProgramError("Only clinicians looking for support can enroll in a program.")
    if need not in Need.values:
        raise ProgramError("Choose how soon you'd like support.")
    program = Program.objects.filter(code=normalise_code(code)).first()
    # Also before the program starts: the enrollee waits, and allocation places from the start.
    if program is None or not program.enrolls_on(timezone.localdate(now)):
        raise ProgramError(WRONG_CODE)
    find_profile = FindProfile.objects.filter(user=seeker).first()
    enrollment = Enrollment.objects.filter(program=program, seeker=seeker).first()
    if enrollment is not None and enrollment.status != EnrollmentStatus.WITHDRAWN:
        raise ProgramError("You're already enrolled in this program.")
    if enrollment is None:
        enrollment = Enrollment(program=program, seeker=seeker)
    enrollment.need, enrollment.priority = need, PRIORITY[Need(need)]
    enrollment.share_outcomes = share_outcomes
    enrollment.status, enrollment.left_at, enrollment.told_waiting_at = (
        EnrollmentStatus.WAITING,
        None,
        None,
    )
    enrollment.enrolled_at = now
    enrollment.find_profile = find_profile
    enrollment.save()
    return enrollment


@transaction.atomic
def save_enrollment_answers(*, enrollment: Enrollment, answers: Answers) -> Enrollment:
    """Keep the Find answers (the same saved answers the Find flow uses) for placing."""
    program = enrollment.program
    if (
        answers.where is not None
        and program.jurisdictions
        and answers.where.location not in program.jurisdictions
    ):
        raise ProgramError("This program can only place people in the states it covers.")
    existing = matching_services.saved_answers(user=enrollment.seeker)
    if existing is not None:  # places, people and strictness stay as the seeker saved them
        answers.world = existing.world
    enrollment.find_profile = matching_services.save_answers(
        user=enrollment.seeker, answers=answers
    )
    enrollment.save(update_fields=["find_profile"])
    return enrollment


def set_sharing(*, enrollment: Enrollment, share: bool) -> Enrollment:
    enrollment.share_outcomes = share
    enrollment.save(update_fields=["share_outcomes"])
    return enrollment


def _close(placement: Placement, status: str, now: dt.datetime) -> None:
    """Close an active placement and put its enrollee back on the waiting list."""
    changed = Placement.objects.filter(pk=placement.pk, status__in=ACTIVE_PLACEMENTS).update(
        status=status, closed_at=now
    )
    if changed:
        Enrollment.objects.filter(
            pk=placement.enrollment_id,
            status__in=[EnrollmentStatus.OFFERED, EnrollmentStatus.PLACED],
        ).update(status=EnrollmentStatus.WAITING, told_waiting_at=None)


_CLOSED_BY_REQUEST = {
    RequestStatus.DECLINED: PlacementStatus.DECLINED,
    RequestStatus.EXPIRED: PlacementStatus.EXPIRED,
    RequestStatus.WITHDRAWN: PlacementStatus.SEEKER_DECLINED,
}


def sync_placements(*, program: Program | None = None, now: dt.datetime | None = None) -> int:
    """Follow the consultation requests behind open offers; returns how many changed."""
    now = now or timezone.now()
    offers = Placement.objects.filter(status=PlacementStatus.OFFERED).select_related("request")
    if program is not None:
        offers = offers.filter(enrollment__program=program)
    changed = 0
    for placement in offers:
        request = placement.request
        with transaction.atomic():
            if request is None:
                _close(placement, PlacementStatus.WITHDRAWN, now)
            elif request.status == RequestStatus.ACCEPTED:
                if Placement.objects.filter(pk=placement.pk, status=PlacementStatus.OFFERED).update(
                    status=PlacementStatus.ACCEPTED, accepted_at=request.answered_at or now
                ):
                    Enrollment.objects.filter(
                        pk=placement.enrollment_id, status=EnrollmentStatus.OFFERED
                    ).update(status=EnrollmentStatus.PLACED)
            elif request.status in _CLOSED_BY_REQUEST:
                _close(placement, _CLOSED_BY_REQUEST[RequestStatus(request.status)], now)
            else:
                continue
        changed += 1
    return changed


def _withdraw_request(placement: Placement, seeker: User, now: dt.datetime) -> None:
    request = placement.request
    if request is not None and request.status == RequestStatus.OPEN:
        # Answered a moment ago? The offer is closed below all the same.
        with contextlib.suppress(outreach.OutreachError):
            outreach.withdraw_request(seeker=seeker, request=request, now=now)


@transaction.atomic
def decline_offer(*, seeker: User, enrollment: Enrollment, now: dt.datetime | None = None) -> None:
    """ "Decline and wait": the request is withdrawn, the place freed, the seeker waits again."""
    now = now or timezone.now()
    if enrollment.seeker_id != seeker.pk:
        raise ProgramError("Only you can decline your offer.")
    sync_placements(program=enrollment.program, now=now)
    placement = Placement.objects.filter(
        enrollment=enrollment, status=PlacementStatus.OFFERED
    ).first()
    if placement is None:
        raise ProgramError("There's no open offer to decline.")
    _withdraw_request(placement, seeker, now)
    _close(placement, PlacementStatus.SEEKER_DECLINED, now)


@transaction.atomic
def leave_program(*, seeker: User, enrollment: Enrollment, now: dt.datetime | None = None) -> None:
    """Leave the program. An open offer is withdrawn; an accepted one stays with the therapist
    (that is now the seeker's own relationship with them)."""
    now = now or timezone.now()
    if enrollment.seeker_id != seeker.pk:
        raise ProgramError("Only you can leave your program.")
    placement = Placement.objects.filter(
        enrollment=enrollment, status=PlacementStatus.OFFERED
    ).first()
    if placement is not None:
        _withdraw_request(placement, seeker, now)
        Placement.objects.filter(pk=placement.pk).update(
            status=PlacementStatus.WITHDRAWN, closed_at=now
        )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.WITHDRAWN, left_at=now
    )


# --- allocation -------------------------------------------------------------------------------


type Progress = Callable[[str], None]
type Allocator = Callable[..., Allocation]  # holdspace.core.allocation.allocate's signature


@dataclass(frozen=True)
class RunOutcome:
    run: AllocationRun | None  # None for a dry run
    allocation: Allocation
    inputs: selectors.ProgramInputs
    placed: int
    refused: int

    @property
    def waiting(self) -> int:
        return len(self.inputs.seekers) - self.placed

    @property
    def considered(self) -> int:
        return len(self.inputs.seekers)

    @property
    def fingerprint(self) -> str:
        return proposal_fingerprint(self.allocation)


def proposal_fingerprint(allocation: Allocation) -> str:
    """A digest of who would be offered whom (and who would wait): a reviewed dry run and the
    real run that follows it must agree on it, or the run writes nothing."""
    pairs = sorted((a.seeker, a.therapist) for a in allocation.assignments)
    canonical = json.dumps([pairs, sorted(allocation.unmatched)])
    return hashlib.sha256(canonical.encode()).hexdigest()


def _situation(program: Program) -> str:
    return (
        f"This request comes through the program “{program.name}” "
        f"({program.organisation.name}). The person enrolled in the program and was matched "
        "with you; they haven't written anything yet."
    )


def _offer(
    *, program: Program, inputs: selectors.ProgramInputs, seeker_id: str, therapist_id: str,
    run: AllocationRun, now: dt.datetime,
) -> bool:  # fmt: skip
    """One offer: a consultation request through outreach (which re-checks the rules), then
    the placement. False when outreach refuses; the enrollee then stays on the waiting list."""
    enrollment = inputs.enrollments[seeker_id]
    place = inputs.places[therapist_id]
    try:
        with transaction.atomic():
            if not Enrollment.objects.filter(
                pk=enrollment.pk, status=EnrollmentStatus.WAITING
            ).update(status=EnrollmentStatus.OFFERED):
                return False  # left the program a moment ago
            request = outreach.send_request(
                seeker=enrollment.seeker,
                profile=place.profile,
                answers=inputs.answers[seeker_id],
                situation=_situation(program),
                now=now,
            )
            Placement.objects.create(
                enrollment=enrollment, place=place, request=request, run=run, offered_at=now
            )
            _tell(enrollment, "offer")
    except outreach.OutreachError:
        return False
    return True


def run_allocation(
    *,
    program: Program,
    trigger: str = AllocationRun.Trigger.COORDINATOR,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    allocator: Allocator = allocate,
    expect: str | None = None,
) -> RunOutcome:
    """Place the program's waiting enrollees with its therapists' free places.

    The independent validator checks the result before anything is written; if it refuses,
    nothing is written and :class:`AllocationRejected` is raised. A dry run writes nothing.
    ``allocator`` is the core's solver; tests hand in a faulty one to prove the validator stops it.
    ``expect`` is the fingerprint of a reviewed dry run: when the allocation made now differs
    from it, nothing is written and :class:`ProposalChanged` is raised.
    """
    now = now or timezone.now()
    if not dry_run and timezone.localdate(now) < program.starts:
        raise NotStarted(
            f"{program.name} starts on {date_format(program.starts, 'j F Y')}. "
            "Allocation places people from then; nothing was sent."
        )
    step = progress or (lambda phase: None)
    with transaction.atomic():
        # One run per program at a time (a coordinator's click racing the nightly run): the
        # second waits here, then sees the first one's offers and the places they took.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        step("Following earlier offers")
        sync_placements(program=program, now=now)
        step("Gathering answers and free places")
        inputs = selectors.program_inputs(program, now=now)
        if program.jurisdictions:  # covered states only (answers may have changed since)
            inputs.seekers = [s for s in inputs.seekers if s.location in program.jurisdictions]
        compacts = load_compacts()
        step("Allocating")
        allocation = allocator(
            inputs.seekers, inputs.therapists, inputs.graph, compacts=compacts, as_of=inputs.as_of
        )
        step("Validating")
        try:
            check_allocation(
                allocation.assignments,
                allocation.unmatched,
                seekers=inputs.seekers,
                therapists=inputs.therapists,
                graph=inputs.graph,
                compacts=compacts,
                as_of=inputs.as_of,
            )
        except InvalidAllocation as error:
            logger.error("Program %s: allocation refused by the validator: %s", program.pk, error)
            transaction.set_rollback(True)
            raise AllocationRejected(str(error)) from error
        if expect is not None and proposal_fingerprint(allocation) != expect:
            raise ProposalChanged()  # leaving the block rolls back the sync above too
        if dry_run:
            transaction.set_rollback(True)  # the sync above is undone too: nothing is written
            return RunOutcome(None, allocation, inputs, placed=allocation.stats.matched, refused=0)
        stats = allocation.stats
        run = AllocationRun.objects.create(
            program=program,
            trigger=trigger,
            started_at=now,
            seekers=len(inputs.seekers),
            therapists=len(inputs.therapists),
            total_fit=stats.total_fit,
            lp_bound=stats.lp_bound,
            min_fit=stats.min_fit,
            validator_ok=True,
        )
        step("Sending offers")
        placed = refused = 0
        for assignment in allocation.assignments:
            if _offer(
                program=program, inputs=inputs, seeker_id=assignment.seeker,
                therapist_id=assignment.therapist, run=run, now=now,
            ):  # fmt: skip
                placed += 1
            else:
                refused += 1
        step("Telling those still waiting")
        waiting_ids = [inputs.enrollments[s.id].pk for s in inputs.seekers]
        for enrollment in Enrollment.objects.filter(
            pk__in=waiting_ids, status=EnrollmentStatus.WAITING, told_waiting_at__isnull=True
        ):
            _tell(enrollment, "waiting")
        Enrollment.objects.filter(
            pk__in=waiting_ids, status=EnrollmentStatus.WAITING, told_waiting_at__isnull=True
        ).update(told_waiting_at=now)
        run.placed, run.refused = placed, refused
        run.waiting = len(inputs.seekers) - placed
        run.finished_at = timezone.now()
        run.save(update_fields=["placed", "refused", "waiting", "finished_at"])
    return RunOutcome(run, allocation, inputs, placed=placed, refused=refused)


def run_nightly(*, now: dt.datetime | None = None) -> list[RunOutcome]:
    """Every open program with someone waiting (cron: ``manage.py allocate --all-due``)."""
    now = now or timezone.now()
    outcomes = []
    for program in selectors.due_programs(today=timezone.localdate(now)):
        try:
            outcomes.append(
                run_allocation(program=program, trigger=AllocationRun.Trigger.NIGHTLY, now=now)
            )
        except AllocationRejected:
            continue  # logged; the other programs still run
    return outcomes
