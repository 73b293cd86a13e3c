"""Reads for the practice. Every read of a client goes through ``get_client_for``: only the
therapist of an accepted request gets it, anyone else a 404. Callers that show the data to
the therapist log the read (see services.log_read) in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.checkins import charts, content, forms
from holdspace.checkins.models import CheckIn
from holdspace.checkins.presenters import summary_text
from holdspace.checkins.selectors import Trend
from holdspace.core.instruments import INSTRUMENT_IDS, instrument
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from holdspace.practice import cadence
from holdspace.practice.models import (
    CheckInInvitation,
    MeasurementPlan,
    NoteAmendment,
    NoteStatus,
    PlanStatus,
    RiskAcknowledgement,
    SessionNote,
)
from holdspace.scheduling.models import Booking, BookingStatus, SessionKind


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
    asked: bool = False  # completed through one of this therapist's measurement plans


def checkin_rows(client: ConsultationRequest) -> list[Row]:
    """Scores and bands only: the answers themselves are never shown to a therapist."""
    asked = asked_checkin_ids(client)
    return [
        Row(
            c,
            content.INSTRUMENTS[c.instrument].short_name,
            summary_text(c.instrument, c.scales),
            asked=c.pk in asked,
        )
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
    """The client's sessions: those not cancelled, and a cancelled one that has a note. What
    was written stays part of the record the therapist must keep, even after the session was
    cancelled (as deleting an account cancels every upcoming one)."""
    return (
        Booking.objects.filter(profile=client.profile, seeker=client.seeker)
        .filter(~Q(status=BookingStatus.CANCELLED) | Q(note__isnull=False))
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
        SessionNote.objects.filter(booking__in=sessions(client), status=NoteStatus.SIGNED)
        .select_related("booking")
        .prefetch_related("amendments")
        .order_by("booking__start")
    )


# --- measurement plans -----------------------------------------------------------------------


def plans_for(client: ConsultationRequest) -> QuerySet[MeasurementPlan]:
    """The client's plans, active first, each with when it last sent and was last completed."""
    return (
        MeasurementPlan.objects.filter(request=client)
        .annotate(
            last_sent=Max("invitations__sent_at"),
            last_completed=Max("invitations__completed_at"),
        )
        .order_by("status", "-created_at", "-pk")  # "active" sorts before "stopped"
    )


def get_plan_for(client: ConsultationRequest, plan_id: int) -> MeasurementPlan:
    try:
        return MeasurementPlan.objects.get(request=client, pk=plan_id)
    except MeasurementPlan.DoesNotExist:
        raise Http404("No such plan") from None


def asked_checkin_ids(client: ConsultationRequest) -> set[int]:
    return set(
        CheckInInvitation.objects.filter(plan__request=client, checkin__isnull=False).values_list(
            "checkin_id", flat=True
        )
    )


def _open(now: dt.datetime) -> Q:
    """Still asked for: not done, not past its time, its plan running, care still going on,
    and its session (if any) not cancelled."""
    return Q(
        completed_at__isnull=True,
        expires_at__gt=now,
        plan__status=PlanStatus.ACTIVE,
        plan__request__status=Status.ACCEPTED,
    ) & (Q(booking__isnull=True) | ~Q(booking__status=BookingStatus.CANCELLED))


def invitations_for(seeker: User) -> QuerySet[CheckInInvitation]:
    """Every check-in this seeker was asked for, by any of their therapists."""
    if not seeker.is_authenticated or not seeker.is_seeker:
        return CheckInInvitation.objects.none()
    return CheckInInvitation.objects.filter(plan__request__seeker=seeker).select_related(
        "plan", "plan__request", "booking"
    )


def open_invitations_for(seeker: User, *, now: dt.datetime) -> QuerySet[CheckInInvitation]:
    return invitations_for(seeker).filter(_open(now)).order_by("expires_at", "pk")


def recently_completed_for(seeker: User, *, limit: int = 5) -> QuerySet[CheckInInvitation]:
    return (
        invitations_for(seeker).filter(completed_at__isnull=False).order_by("-completed_at")[:limit]
    )


@dataclass(frozen=True)
class Attention:
    client: ConsultationRequest
    name: str
    flags: int  # self-harm check-ins the therapist has not acknowledged yet
    asked: int  # check-ins asked for through a plan that the client hasn't done yet


def _count(rows: QuerySet[Any], by: str) -> Coalesce:
    return Coalesce(Subquery(rows.order_by().values(by).annotate(n=Count("pk")).values("n")), 0)


def needing_attention(therapist: User, *, now: dt.datetime) -> list[Attention]:
    """The therapist's clients with a risk flag to acknowledge or a check-in still to do, flags
    first: counts only, as on the caseload (callers log it with services.log_read_caseload).
    The same rules as ``open_flags`` and ``open_invitations_for``, for the whole caseload in
    one query."""
    flags = CheckIn.objects.filter(
        user=OuterRef("seeker_id"), taken_at__gte=OuterRef("answered_at"), self_harm=True
    ).exclude(
        pk__in=RiskAcknowledgement.objects.filter(request=OuterRef(OuterRef("pk"))).values(
            "checkin_id"
        )
    )
    asked = CheckInInvitation.objects.filter(_open(now), plan__request=OuterRef("pk"))
    rows = (
        clients_for(therapist)
        .select_related("reveal")
        .annotate(flags=_count(flags, "user"), asked=_count(asked, "plan__request"))
        .filter(Q(flags__gt=0) | Q(asked__gt=0))
        .order_by("-flags", "-asked", "-answered_at", "-pk")
    )
    return [Attention(c, display_name(c), c.flags, c.asked) for c in rows]


# Invitations whose e-mail was never claimed this long after creation are queued again (the
# first queueing failed, or the worker lost the task).
REQUEUE_AFTER = dt.timedelta(minutes=15)


def unsent_invitation_ids(*, now: dt.datetime) -> list[int]:
    return list(
        CheckInInvitation.objects.filter(
            _open(now), sent_at__isnull=True, created_at__lte=now - REQUEUE_AFTER
        ).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class AskedRow:
    invitation: CheckInInvitation
    name: str  # the check-in's short name
    minutes: int
    therapist: str
    before: dt.datetime | None  # the start of the session it comes before


def asked_rows(seeker: User, *, now: dt.datetime) -> list[AskedRow]:
    """The seeker's open invitations, soonest to close first, for their own page."""
    rows = []
    for invitation in open_invitations_for(seeker, now=now).select_related(
        "plan__request__profile"
    ):
        booking = invitation.booking
        rows.append(
            AskedRow(
                invitation=invitation,
                name=content.INSTRUMENTS[invitation.plan.instrument].short_name,
                minutes=forms.minutes(instrument(invitation.plan.instrument)),
                therapist=invitation.plan.request.profile.display_name,
                before=booking.start if booking else None,
            )
        )
    return rows


def get_invitation_for(seeker: User, invitation_id: int) -> CheckInInvitation:
    """One of the seeker's own invitations; anyone else's (or anyone else asking) is a 404."""
    try:
        return invitations_for(seeker).get(pk=invitation_id)
    except CheckInInvitation.DoesNotExist:
        raise Http404("No such check-in") from None


def is_open(invitation: CheckInInvitation, *, now: dt.datetime) -> bool:
    return CheckInInvitation.objects.filter(_open(now), pk=invitation.pk).exists()


# --- what falls due --------------------------------------------------------------------------


def active_plans() -> QuerySet[MeasurementPlan]:
    """Plans that may send: running, for a client whose care is still going on."""
    return MeasurementPlan.objects.filter(
        status=PlanStatus.ACTIVE, request__status=Status.ACCEPTED
    ).select_related("request")


def sessions_needing_invitation(plan: MeasurementPlan, *, now: dt.datetime) -> QuerySet[Booking]:
    """Confirmed sessions starting within the lead time that this plan has not asked about.
    The free 15-minute consultation is not a session and gets no check-in."""
    asked = CheckInInvitation.objects.filter(plan=plan, booking__isnull=False).values("booking_id")
    return (
        Booking.objects.filter(
            profile_id=plan.request.profile_id,
            seeker_id=plan.request.seeker_id,
            status=BookingStatus.CONFIRMED,
            start__gt=now,
            start__lte=now + cadence.SESSION_LEAD,
        )
        .exclude(session_type__kind=SessionKind.CONSULTATION)
        .exclude(pk__in=asked)
        .order_by("start")
    )


def periodic_due_on(plan: MeasurementPlan) -> dt.date:
    """The day a periodic plan is next due: the day it started, then one interval after the
    day of its last invitation."""
    last = plan.invitations.aggregate(last=Max("created_at"))["last"]
    # UTC days, whoever's page is open: the nightly run and a run from a page must agree on
    # the day (one invitation a day per plan).
    if last is None:
        return timezone.localdate(plan.created_at, dt.UTC)
    return cadence.next_due(plan.cadence, timezone.localdate(last, dt.UTC))
