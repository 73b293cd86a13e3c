"""Reads for "Your data": what is held about a seeker, and the full download.

Everything comes from the seeker's own rows (``user=``/``seeker=`` the signed-in user), so a
download can never carry another person's data beyond what was said to them in their own
threads. ``coverage.USER_LINKS`` lists every link to a user and how it is handled here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from holdspace.accounts.models import KeptDraft, Role, User
from holdspace.accounts.time_zones import zone_for
from holdspace.audit.models import AccessLog
from holdspace.checkins.models import CheckIn
from holdspace.directory.models import SavedTherapist
from holdspace.matching.models import FindProfile
from holdspace.mydata.models import DeletionRequest
from holdspace.network.models import (
    Affiliation,
    AvoidEntry,
    Entity,
    IdentityKey,
    PersonTie,
    Separation,
)
from holdspace.outreach.models import ConsultationRequest, Message, Reveal
from holdspace.practice.models import MeasurementPlan, SessionNote
from holdspace.programs.models import Enrollment
from holdspace.scheduling.models import Booking, CalendarFeed

FORMAT_VERSION = 1
HASHED = (
    "We never stored these people's names, emails or license numbers. Each is kept only as a "
    "keyed hash (HMAC-SHA256 with a secret key held outside the database), which lets us "
    "match them but cannot be turned back into the name. The hashes below are all we hold, "
    "with the initials you were shown (like “D… R…”), kept encrypted."
)
NOTES = (
    "Your therapist's session notes are their clinical record and are not part of this "
    "download; we show only which sessions have one. Ask your therapist for a copy."
)


def _when(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; a moment in the zone ``export_for`` makes active, with its UTC offset."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Holdings:
    """Counts for the "Your data" page, in plain words."""

    checkins: int
    saved_answers: bool
    saved_therapists: int
    places: int
    people: int
    avoid: int
    requests: int
    bookings: int
    reads: int


def holdings_for(user: User) -> Holdings:
    return Holdings(
        checkins=CheckIn.objects.filter(user=user).count(),
        saved_answers=FindProfile.objects.filter(user=user).exists(),
        saved_therapists=SavedTherapist.objects.filter(user=user).count(),
        places=Affiliation.objects.filter(user=user).count(),
        people=PersonTie.objects.filter(user=user).count(),
        avoid=AvoidEntry.objects.filter(user=user).count(),
        requests=ConsultationRequest.objects.filter(seeker=user).count(),
        bookings=Booking.objects.filter(seeker=user).count(),
        reads=AccessLog.objects.filter(subject=user).count(),
    )


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "pseudonym": user.pseudonym,
        "legal_name": user.legal_name or None,
        "profession": user.profession or None,
        "time_zone": user.time_zone or None,
        "role": user.role,
        "joined": _when(user.date_joined),
        "last_sign_in": _when(user.last_login),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # The kinds and dates only: secrets stay secret, even from their owner's download.
        "sign_in_steps": [
            {"kind": a.type, "added": _when(a.created_at), "last_used": _when(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }


def _find_answers(user: User) -> dict[str, Any] | None:
    saved = FindProfile.objects.filter(user=user).first()
    if saved is None:
        return None
    return {
        "location": saved.location,
        "zip": saved.zip or None,
        "formats": saved.formats,
        "max_km": saved.max_km,
        "concerns": saved.concerns,
        "approaches": saved.modalities,
        "max_fee": saved.max_fee,
        "language": saved.language or None,
        "therapist_profession": saved.profession or None,
        "updated": _when(saved.updated),
    }


def _saved_therapists(user: User) -> list[dict[str, Any]]:
    saved = SavedTherapist.objects.filter(user=user).select_related("profile")
    return [
        {"therapist": s.profile.display_name, "saved": _when(s.saved_at)}
        for s in saved.order_by("saved_at", "pk")
    ]


def _places(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": a.entity.name,
            "kind": a.entity.kind,
            "from": _when(a.start),
            "to": _when(a.end),
            "exclude_anyone_there": a.exclude_all,
        }
        for a in Affiliation.objects.filter(user=user).select_related("entity").order_by("pk")
    ]


def _hashed(user: User) -> dict[str, Any]:
    return {
        "about": HASHED,
        "people_close_to_you": [
            {
                "tie": t.kind,
                "identified_by": t.identifier_kind,
                "shown_as": t.label,
                "hash": t.digest,
                "added": _when(t.created),
            }
            for t in PersonTie.objects.filter(user=user).order_by("pk")
        ],
        "avoid_list": [
            {
                "identified_by": a.identifier_kind,
                "shown_as": a.label,
                "hash": a.digest,
                "added": _when(a.created),
            }
            for a in AvoidEntry.objects.filter(user=user).order_by("pk")
        ],
        "your_own_identifiers": [
            {"made_from": k.source, "hash": k.digest}
            for k in IdentityKey.objects.filter(user=user).order_by("pk")
        ],
    }


def _checkins(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": str(c.uuid),
            "instrument": c.instrument,
            "taken_at": _when(c.taken_at),
            "answers": c.answers,
            "scores": c.scales,
            "bands": c.bands,
            "self_harm_answer": c.self_harm,
            "word_used_for_your_work": c.profession_word or None,
        }
        for c in CheckIn.objects.filter(user=user).order_by("taken_at", "pk")
    ]


def _reveal(request: ConsultationRequest) -> dict[str, Any] | None:
    reveal = Reveal.objects.filter(request=request).first()  # only the seeker ever reveals
    if reveal is None:
        return None
    return {
        "at": _when(reveal.revealed_at),
        "legal_name": reveal.legal_name,
        "email": reveal.email or None,
        "phone": reveal.phone or None,
    }


def _requests(user: User) -> list[dict[str, Any]]:
    requests = ConsultationRequest.objects.filter(seeker=user).select_related("profile")
    result = []
    for request in requests.order_by("created_at", "pk"):
        messages = Message.objects.filter(request=request).order_by("created_at", "pk")
        plans = MeasurementPlan.objects.filter(request=request).order_by("created_at", "pk")
        result.append(
            {
                "therapist": request.profile.display_name,
                "status": request.status,
                "sent": _when(request.created_at),
                "answered": _when(request.answered_at),
                "closed": _when(request.closed_at),
                "you_last_read": _when(request.seeker_read_at),  # never the therapist's
                "you_shared": {
                    "profession": request.profession or None,
                    "setting": request.setting or None,
                    "situation": request.situation or None,
                    "preferred_times": request.preferred_times or None,
                },
                "decline_reason": request.decline_reason or None,
                "decline_note": request.decline_note or None,
                "messages": [
                    {
                        "from": "you" if m.sender_id == user.pk else "therapist",
                        "at": _when(m.created_at),
                        "text": m.body,
                    }
                    for m in messages
                ],
                "you_revealed": _reveal(request),
                "check_ins_asked_for": [
                    {
                        "instrument": p.instrument,
                        "how_often": p.cadence,
                        "status": p.status,
                        "from": _when(p.created_at),
                        "until": _when(p.stopped_at),
                    }
                    for p in plans
                ],
            }
        )
    return result


def _bookings(user: User) -> list[dict[str, Any]]:
    bookings = Booking.objects.filter(seeker=user).select_related("profile", "session_type")
    with_notes = set(
        SessionNote.objects.filter(booking__seeker=user).values_list("booking_id", flat=True)
    )
    return [
        {
            "therapist": b.profile.display_name,
            "session": b.session_type.label,
            "start": _when(b.start),
            "end": _when(b.end),
            "status": b.status,
            "your_time_zone": b.seeker_time_zone,
            "cancelled_by": b.cancelled_by or None,
            "cancellation_reason": b.cancellation_reason or None,
            "late_cancellation": b.late_cancellation,
            "therapist_keeps_a_note": b.pk in with_notes,
        }
        for b in bookings.order_by("start", "pk")
    ]


def _programs(user: User) -> list[dict[str, Any]]:
    enrollments = Enrollment.objects.filter(seeker=user).select_related("program__organisation")
    return [
        {
            "program": e.program.name,
            "organisation": e.program.organisation.name,
            "status": e.status,
            "how_soon": e.need,
            "joined": _when(e.enrolled_at),
            "left": _when(e.left_at),
            "share_outcome_scores_in_reports": e.share_outcomes,
            "offers": [
                {
                    "therapist": p.place.profile.display_name,
                    "status": p.status,
                    "offered": _when(p.offered_at),
                    "accepted": _when(p.accepted_at),
                    "closed": _when(p.closed_at),
                }
                for p in e.placements.select_related("place__profile").order_by("pk")
            ],
        }
        for e in enrollments.order_by("enrolled_at", "pk")
    ]


def _reader(entry: AccessLog) -> str:
    """Who looked, as the seeker knows them: a therapist by their listed name."""
    actor = entry.actor
    if actor is None:
        return "A closed account"
    profile = getattr(actor, "therapist_profile", None)
    if profile is not None:
        return f"{profile.display_name} (therapist)"
    if actor.role == Role.STAFF or actor.is_staff:
        return f"Holdspace staff member #{actor.pk}"
    return f"{actor.get_role_display()} #{actor.pk}"


def _reads(user: User) -> list[dict[str, Any]]:
    entries = AccessLog.objects.filter(subject=user).select_related("actor__therapist_profile")
    return [
        {"at": _when(e.at), "who": _reader(e), "what": e.action, "record": e.target}
        for e in entries.order_by("pk")
    ]


def export_for(user: User) -> dict[str, Any]:
    """Everything held about ``user``, as one JSON-ready mapping, times in their zone."""
    zone = zone_for(user)
    with timezone.override(zone):
        return _export(user, zone)


def _export(user: User, zone: str) -> dict[str, Any]:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "format": "holdspace-your-data",
        "version": FORMAT_VERSION,
        "times": f"ISO 8601, in your time zone ({zone}) with its offset from UTC",
        "made_at": _when(timezone.now()),
        "account": _account(user),
        "saved_find_answers": _find_answers(user),
        "therapists_saved_to_compare": _saved_therapists(user),
        "places": _places(user),
        "how_far_apart": Separation.objects.filter(user=user)
        .values_list("strictness", flat=True)
        .first()
        or "standard",
        "places_you_added": sorted(
            Entity.objects.filter(created_by=user).values_list("name", flat=True)
        ),
        "people_and_avoid_list": _hashed(user),
        "check_ins": _checkins(user),
        "consultation_requests": _requests(user),
        "bookings": _bookings(user),
        "programs": _programs(user),
        "session_notes": NOTES,
        "calendar_feed": {"active": feed is not None, "renewed": _when(feed.renewed)}
        if feed
        else {"active": False},
        "who_looked_at_your_record": _reads(user),
        "kept_while_signed_out": [
            {"page": d.path, "kept": _when(d.kept_at), "text": d.text}
            for d in KeptDraft.objects.filter(user=user).order_by("kept_at", "pk")
        ],
        "deletion_requests": [
            {"requested": _when(d.requested_at), "status": d.status}
            for d in DeletionRequest.objects.filter(user=user)
        ],
    }
