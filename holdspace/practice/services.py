"""Writes for the practice, and the access-log rows for reads. Keyword-only; each call that
shows or changes a client's record logs it in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.audit.services import record_access
from holdspace.checkins.models import CheckIn
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice.models import (
    NoteAmendment,
    NoteStatus,
    RiskAcknowledgement,
    SessionNote,
    SignedNoteError,
)
from holdspace.scheduling.models import Booking


class NoteError(ValueError):
    pass


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
    note: SessionNote,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> SessionNote:
    now = now or timezone.now()
    if not SessionNote.objects.filter(pk=note.pk, status=NoteStatus.DRAFT).update(
        status=NoteStatus.SIGNED, signed_at=now, updated_at=now
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
