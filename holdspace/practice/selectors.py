"""Reads for the practice. Every read of a client goes through ``get_client_for``: only the
therapist of an accepted request gets it, anyone else a 404. Callers that show the data to
the therapist log the read (see services.log_read) in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.checkins import charts, content
from holdspace.checkins.models import CheckIn
from holdspace.checkins.presenters import summary_text
from holdspace.checkins.selectors import Trend
from holdspace.core.instruments import INSTRUMENT_IDS, instrument
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from holdspace.practice.models import NoteAmendment, RiskAcknowledgement, SessionNote
from holdspace.scheduling.models import Booking, BookingStatus


def clients_for(therapist: User) -> QuerySet[ConsultationRequest]:
    """The therapist's caseload: their accepted requests, most recently accepted first."""
    if not therapist.is_authenticated or not therapist.is_therapist:
        return ConsultationRequest.objects.none()
    return (
        ConsultationRequest.objects.filter(profile__user=therapist, status=Status.ACCEPTED)
        .select_related("seeker", "profile")
        .order_by("-answered_at", "-pk")
    )


def get_client_for(therapist: User, request_id: int) -> ConsultationRequest:
    """One client of this therapist; anyone else (the seeker, staff, other therapists) 404s."""
    try:
        return clients_for(therapist).get(pk=request_id)
    except ConsultationRequest.DoesNotExist:
        raise Http404("No such client") from None


def display_name(client: ConsultationRequest) -> str:
    """The pseudonym, and the legal name only once the client revealed it."""
    try:
        reveal = client.reveal
    except Reveal.DoesNotExist:
        return client.seeker.pseudonym
    return f"{reveal.legal_name} ({client.seeker.pseudonym})"


# --- check-ins -----------------------------------------------------------------------------


def shared_checkins(client: ConsultationRequest) -> QuerySet[CheckIn]:
    """Check-ins the client saved after accepting care, while it stays accepted. Earlier ones
    were private when taken and stay private."""
    if client.status != Status.ACCEPTED or client.answered_at is None:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(user=client.seeker, taken_at__gte=client.answered_at).order_by(
        "-taken_at", "-pk"
    )


@dataclass(frozen=True)
class Row:
    checkin: CheckIn
    name: str
    summary: str


def checkin_rows(client: ConsultationRequest) -> list[Row]:
    """Scores and bands only: the answers themselves are never shown to a therapist."""
    return [
        Row(c, content.INSTRUMENTS[c.instrument].short_name, summary_text(c.instrument, c.scales))
        for c in shared_checkins(client)
    ]


def _band_label(instrument_id: str, scale_id: str, band_id: str | None) -> str | None:
    scale = instrument(instrument_id).scale(scale_id)
    return next((b.label for b in scale.bands if b.id == band_id), None)


def trends(client: ConsultationRequest) -> list[Trend]:
    saved = list(shared_checkins(client).order_by("taken_at", "pk"))
    result = []
    for instrument_id in INSTRUMENT_IDS:
        rows = [c for c in saved if c.instrument == instrument_id]
        if not rows:
            continue
        scale_charts = [
            charts.trend_chart(
                instrument_id,
                scale.id,
                [
                    charts.Entry(
                        taken_at=timezone.localtime(c.taken_at),
                        value=c.scales.get(scale.id),
                        band_label=_band_label(instrument_id, scale.id, c.bands.get(scale.id)),
                    )
                    for c in rows
                ],
            )
            for scale in instrument(instrument_id).scales
        ]
        result.append(
            Trend(instrument_id, content.INSTRUMENTS[instrument_id].short_name, scale_charts)
        )
    return result


def open_flags(client: ConsultationRequest) -> QuerySet[CheckIn]:
    """Visible self-harm check-ins the therapist has not acknowledged yet."""
    acknowledged = RiskAcknowledgement.objects.filter(request=client).values("checkin_id")
    return shared_checkins(client).filter(self_harm=True).exclude(pk__in=acknowledged)


def acknowledgements(client: ConsultationRequest) -> QuerySet[RiskAcknowledgement]:
    return RiskAcknowledgement.objects.filter(request=client).select_related("checkin", "by")


def get_flag_for(client: ConsultationRequest, checkin_id: int) -> CheckIn:
    try:
        return shared_checkins(client).filter(self_harm=True).get(pk=checkin_id)
    except CheckIn.DoesNotExist:
        raise Http404("No such flag") from None


# --- sessions and notes ----------------------------------------------------------------------


def sessions(client: ConsultationRequest) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(profile=client.profile, seeker=client.seeker)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session_type")
        .order_by("start")
    )


def upcoming_and_past(
    client: ConsultationRequest, *, now: dt.datetime
) -> tuple[list[Booking], list[Booking]]:
    rows = list(sessions(client).select_related("note"))
    upcoming = [b for b in rows if b.end > now]
    past = [b for b in reversed(rows) if b.end <= now]
    return upcoming, past


def get_session_for(client: ConsultationRequest, booking_id: int) -> Booking:
    try:
        return sessions(client).get(pk=booking_id)
    except Booking.DoesNotExist:
        raise Http404("No such session") from None


def note_for(booking: Booking) -> SessionNote | None:
    return SessionNote.objects.filter(booking=booking).first()


def amendments(note: SessionNote) -> QuerySet[NoteAmendment]:
    return note.amendments.select_related("author")


def signed_notes(client: ConsultationRequest) -> list[SessionNote]:
    """Signed notes of the client's sessions, oldest first, amendments prefetched."""
    return list(
        SessionNote.objects.filter(booking__in=sessions(client), status="signed")
        .select_related("booking")
        .prefetch_related("amendments")
        .order_by("booking__start")
    )
