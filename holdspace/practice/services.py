"""Writes for the practice, and the access-log rows for reads. Keyword-only; each call that
shows or changes a client's record logs it in the same transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.audit.services import record_access
from holdspace.checkins import content
from holdspace.checkins import services as checkins
from holdspace.checkins.forms import Submission
from holdspace.checkins.models import CheckIn, Instrument
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice import cadence as cadences
from holdspace.practice import selectors
from holdspace.practice.models import (
    Cadence,
    CheckInInvitation,
    MeasurementPlan,
    NoteAmendment,
    NoteStatus,
    PlanStatus,
    RiskAcknowledgement,
    SessionNote,
    SignedNoteError,
)
from holdspace.queueing import enqueue_after_commit
from holdspace.scheduling.models import Booking

logger = logging.getLogger(__name__)


class NoteError(ValueError):
    pass


class PlanError(ValueError):
    """A plan or invitation change that cannot happen; the message is safe to show."""


def log_read(
    *,
    therapist: User,
    client: ConsultationRequest,
    action: str,
    target: str,
    request: HttpRequest | None = None,
) -> None:
    """One access-log row for one read of a client's record; call inside the read's
    transaction so the row exists exactly when the data was shown."""
    record_access(
        actor=therapist, action=action, subject=client.seeker, target=target, request=request
    )


def log_read_caseload(*, therapist: User, request: HttpRequest | None = None) -> None:
    """The caseload names clients and counts their open flags: a read, logged once."""
    record_access(actor=therapist, action="view_caseload", target="caseload", request=request)


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise NoteError("Write something first.")
    return text


@transaction.atomic
def save_draft(
    *,
    therapist: User,
    client: ConsultationRequest,
    booking: Booking,
    text: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> SessionNote:
    """Create the session's note, or change its text while it is still a draft."""
    now = now or timezone.now()
    text = _clean(text)
    note = SessionNote.objects.select_for_update().filter(booking=booking).first()
    if note is None:
        note = SessionNote.objects.create(
            booking=booking, author=therapist, text=text, created_at=now, updated_at=now
        )
    # The only path that changes text: it matches drafts and nothing else.
    elif not SessionNote.objects.filter(pk=note.pk, status=NoteStatus.DRAFT).update(
        text=text, updated_at=now
    ):
        raise SignedNoteError("A signed note cannot be changed; add an amendment.")
    log_read(
        therapist=therapist, client=client, action="write_note", target=f"note:{note.pk}",
        request=request,
    )  # fmt: skip
    return SessionNote.objects.get(pk=note.pk)


@transaction.atomic
def sign_note(
    *,
    therapist: User,
    client: ConsultationRequest,
    booking: Booking,
    text: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> SessionNote:
    """Sign ``text``, the note as the therapist sees it on screen: saved over the draft (or as
    the session's first note) and signed together, so what is signed is what was read."""
    now = now or timezone.now()
    text = _clean(text)
    note = SessionNote.objects.select_for_update().filter(booking=booking).first()
    if note is None:
        note = SessionNote.objects.create(
            booking=booking, author=therapist, text=text, status=NoteStatus.SIGNED,
            created_at=now, updated_at=now, signed_at=now,
        )  # fmt: skip
    # Like save_draft, only a draft matches: a signed note is never written again.
    elif not SessionNote.objects.filter(pk=note.pk, status=NoteStatus.DRAFT).update(
        text=text, status=NoteStatus.SIGNED, signed_at=now, updated_at=now
    ):
        raise SignedNoteError("This note is already signed.")
    log_read(
        therapist=therapist, client=client, action="sign_note", target=f"note:{note.pk}",
        request=request,
    )  # fmt: skip
    return SessionNote.objects.get(pk=note.pk)


@transaction.atomic
def amend_note(
    *,
    therapist: User,
    client: ConsultationRequest,
    note: SessionNote,
    text: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> NoteAmendment:
    """Add to a signed note; the original stays as it was, shown beside the amendment."""
    if not SessionNote.objects.filter(pk=note.pk, status=NoteStatus.SIGNED).exists():
        raise NoteError("Only a signed note is amended; a draft can still be edited.")
    amendment = NoteAmendment.objects.create(
        note=note, author=therapist, text=_clean(text), created_at=now or timezone.now()
    )
    log_read(
        therapist=therapist, client=client, action="amend_note", target=f"note:{note.pk}",
        request=request,
    )  # fmt: skip
    return amendment


@transaction.atomic
def acknowledge_flag(
    *,
    therapist: User,
    client: ConsultationRequest,
    checkin: CheckIn,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> RiskAcknowledgement:
    """Record who acknowledged a self-harm check-in and when. Acknowledging twice keeps the
    first record."""
    existing = RiskAcknowledgement.objects.filter(request=client, checkin=checkin).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = RiskAcknowledgement.objects.create(
                request=client, checkin=checkin, by=therapist, at=now or timezone.now()
            )
    except IntegrityError:
        return RiskAcknowledgement.objects.get(request=client, checkin=checkin)
    log_read(
        therapist=therapist, client=client, action="acknowledge_risk",
        target=f"checkin:{checkin.pk}", request=request,
    )  # fmt: skip
    return ack


# --- measurement plans -----------------------------------------------------------------------


@transaction.atomic
def start_plan(
    *,
    therapist: User,
    client: ConsultationRequest,
    instrument: str,
    cadence: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> MeasurementPlan:
    """Ask the client for ``instrument`` on ``cadence``. A check-in already due (a periodic
    plan's first, or a session within the lead time) is created and e-mailed at once."""
    if instrument not in Instrument.values:
        raise PlanError("Choose one of the check-ins listed.")
    if cadence not in Cadence.values:
        raise PlanError("Choose how often to ask.")
    if client.status != Status.ACCEPTED:
        raise PlanError("This person is no longer your client.")
    if not client.seeker.is_active:
        raise PlanError("This person closed their account, so no check-ins can be asked for.")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            plan = MeasurementPlan.objects.create(
                request=client,
                instrument=instrument,
                cadence=cadence,
                created_by=therapist,
                created_at=now,
            )
    except IntegrityError:
        name = content.INSTRUMENTS[instrument].short_name
        raise PlanError(
            f"There is already an active {name} plan for this client. Stop it first to change "
            "how often it is asked."
        ) from None
    log_read(
        therapist=therapist, client=client, action="start_plan", target=f"plan:{plan.pk}",
        request=request,
    )  # fmt: skip
    invite_due(plan=plan, now=now)
    return plan


@transaction.atomic
def stop_plan(
    *,
    therapist: User,
    client: ConsultationRequest,
    plan: MeasurementPlan,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> MeasurementPlan:
    """Stop asking. Check-ins already asked for and not done are no longer shown to the
    client; completed ones stay on the chart."""
    if not MeasurementPlan.objects.filter(
        pk=plan.pk, request=client, status=PlanStatus.ACTIVE
    ).update(status=PlanStatus.STOPPED, stopped_at=now or timezone.now()):
        raise PlanError("This plan is already stopped.")
    log_read(
        therapist=therapist, client=client, action="stop_plan", target=f"plan:{plan.pk}",
        request=request,
    )  # fmt: skip
    return MeasurementPlan.objects.get(pk=plan.pk)


def _after_commit(enqueue: Callable[[], object]) -> None:
    enqueue_after_commit(enqueue, what="a check-in e-mail")


def _create_invitation(
    *,
    plan: MeasurementPlan,
    due_on: dt.date,
    expires_at: dt.datetime,
    now: dt.datetime,
    booking: Booking | None = None,
) -> CheckInInvitation | None:
    """One invitation, or None when the same due item exists already (the unique
    constraints decide, so two runs at once never send twice)."""
    from holdspace.practice import tasks  # tasks import this module

    try:
        with transaction.atomic():
            invitation = CheckInInvitation.objects.create(
                plan=plan, booking=booking, due_on=due_on, created_at=now, expires_at=expires_at
            )
    except IntegrityError:
        return None
    _after_commit(partial(tasks.send_checkin_invitation.enqueue, invitation_id=invitation.pk))
    return invitation


@transaction.atomic
def invite_due(*, plan: MeasurementPlan, now: dt.datetime | None = None) -> int:
    """Create the plan's invitations that are due now; returns how many were created."""
    now = now or timezone.now()
    if not selectors.active_plans().filter(pk=plan.pk).exists():
        return 0
    created = 0
    if plan.cadence == Cadence.BEFORE_SESSION:
        for booking in selectors.sessions_needing_invitation(plan, now=now):
            invitation = _create_invitation(
                plan=plan, booking=booking, due_on=timezone.localdate(booking.start, dt.UTC),
                expires_at=booking.end, now=now,
            )  # fmt: skip
            created += invitation is not None
        return created
    today = timezone.localdate(now, dt.UTC)  # UTC days, as periodic_due_on counts them
    if selectors.periodic_due_on(plan) > today:
        return 0
    # Asked until the next one is due; a missed one is not carried over.
    expires_at = now + (cadences.next_due(plan.cadence, today) - today)
    invitation = _create_invitation(plan=plan, due_on=today, expires_at=expires_at, now=now)
    return int(invitation is not None)


def send_due_checkins(*, now: dt.datetime | None = None) -> int:
    """Every plan's due invitations (cron and the background task call this); running it
    again at once creates nothing. Invitations whose e-mail could not be queued earlier are
    queued again. Returns how many invitations were created."""
    now = now or timezone.now()
    created = sum(invite_due(plan=plan, now=now) for plan in list(selectors.active_plans()))
    for invitation_id in selectors.unsent_invitation_ids(now=now):
        _requeue(invitation_id)
    return created


def _requeue(invitation_id: int) -> None:
    from holdspace.practice import tasks

    try:
        tasks.send_checkin_invitation.enqueue(invitation_id=invitation_id)
    except Exception:
        logger.exception("Could not queue a check-in e-mail")


def claim_for_sending(*, invitation: CheckInInvitation, now: dt.datetime | None = None) -> bool:
    """Mark an open invitation as sent, once; False if it was sent already or is no longer
    asked for. Claimed before the e-mail goes, so a retried task never sends twice."""
    now = now or timezone.now()
    if not selectors.is_open(invitation, now=now):
        return False
    return bool(
        CheckInInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=now)
    )


@transaction.atomic
def complete_invitation(
    *,
    seeker: User,
    invitation: CheckInInvitation,
    submission: Submission,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Save the client's check-in to their account (through the check-ins app, scored by the
    core) and link it to the invitation, both or neither."""
    now = now or timezone.now()
    locked = (
        CheckInInvitation.objects.select_for_update()
        .select_related("plan")
        .get(pk=invitation.pk, plan__request__seeker=seeker)
    )
    if locked.is_completed:
        raise PlanError("You have already done this check-in.")
    if not selectors.is_open(locked, now=now):
        raise PlanError("This check-in is no longer needed.")
    if submission.instrument_id != locked.plan.instrument:
        raise PlanError("These answers are for a different check-in.")
    checkin = checkins.save_checkin(user=seeker, submission=submission, taken_at=now)
    CheckInInvitation.objects.filter(pk=locked.pk).update(checkin=checkin, completed_at=now)
    record_access(
        actor=seeker, action="complete_checkin", subject=seeker,
        target=f"invitation:{locked.pk}", request=request,
    )  # fmt: skip
    return checkin
