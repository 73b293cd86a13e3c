"""Writes for outreach: keyword-only and typed. State changes are conditional updates
(``status=open`` in the WHERE clause), so an answer racing the 72-hour expiry has one winner on
either database. Emails are queued only after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.matching.answers import Answers
from holdspace.outreach import selectors, tasks
from holdspace.outreach.models import (
    ANSWER_WITHIN,
    ConsultationRequest,
    DeclineReason,
    Message,
    Reveal,
    Status,
)
from holdspace.queueing import enqueue_after_commit

# Never says why: a conflict must not be learned by trying (DESIGN.md, "Conflict rules").
NOT_AVAILABLE = "This therapist can't take your request right now. Here are others who can."
CANNOT_ACCEPT = "This request can't go ahead, so it was closed. They're offered other therapists."
ALREADY_OPEN = "You already have a request waiting with this therapist."
MESSAGE_LIMIT = 30
MESSAGE_WINDOW = dt.timedelta(hours=1)
TOO_MANY = (
    "You've sent a lot of messages in the last hour. Please take a breather and try again a "
    "little later."
)


class OutreachError(Exception):
    """A change that cannot happen; ``message`` is safe to show as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAvailable(OutreachError):
    def __init__(self, message: str = NOT_AVAILABLE) -> None:
        super().__init__(message)


def _after_commit(enqueue: Callable[[], object]) -> None:
    enqueue_after_commit(enqueue, what="an outreach task")


def _email(request: ConsultationRequest, event: str, recipient: int | None = None) -> None:
    _after_commit(
        partial(
            tasks.send_request_email.enqueue,
            request_id=request.pk,
            event=event,
            recipient_id=recipient,
        )
    )


def _close(request_id: int, *, status: str, now: dt.datetime, **fields: object) -> bool:
    """Move an OPEN request to ``status``; False when it was no longer open."""
    changes: dict[str, object] = {"status": status, **fields}
    if status != Status.ACCEPTED:
        changes["closed_at"] = now
    return bool(
        ConsultationRequest.objects.filter(pk=request_id, status=Status.OPEN).update(**changes)
    )


# --- requests -----------------------------------------------------------------------------


@transaction.atomic
def send_request(
    *,
    seeker: User,
    profile: TherapistProfile,
    answers: Answers,
    profession: str = "",
    setting: str = "",
    situation: str = "",
    preferred_times: str = "",
    now: dt.datetime | None = None,
) -> ConsultationRequest:
    """Send a request under the seeker's pseudonym, after checking the matching rules for this
    pair again (and that the therapist keeps up with their answers)."""
    now = now or timezone.now()
    if not seeker.is_seeker:
        raise OutreachError("Only seekers can send consultation requests.")
    if not selectors.request_possible(seeker=seeker, profile=profile, answers=answers, now=now):
        raise NotAvailable()
    request = ConsultationRequest(
        seeker=seeker,
        profile=profile,
        profession=profession,
        setting=setting,
        situation=situation.strip(),
        preferred_times=preferred_times.strip(),
        created_at=now,
        answers=selectors.dump_answers(answers),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise OutreachError(ALREADY_OPEN) from None
    _email(request, "received")
    _after_commit(
        partial(
            tasks.expire_if_unanswered.using(run_after=request.due_at).enqueue,
            request_id=request.pk,
        )
    )
    return request


def _theirs(request: ConsultationRequest, therapist: User) -> None:
    if request.profile.user_id != therapist.pk:
        raise OutreachError("Only the therapist asked can answer this request.")


def _still_open(request: ConsultationRequest, now: dt.datetime) -> None:
    if request.status != Status.OPEN:
        raise OutreachError("This request has already been answered or closed.")
    if now >= request.due_at:  # the expiry task is about to close it
        raise OutreachError("This request wasn't answered within 72 hours, so it has expired.")


def accept_request(
    *, therapist: User, request: ConsultationRequest, now: dt.datetime | None = None
) -> ConsultationRequest:
    """Accept, once the matching rules still hold for the pair. If they no longer do, the
    request is closed and the seeker offered others; nobody is told why."""
    now = now or timezone.now()
    _theirs(request, therapist)
    _still_open(request, now)
    answers = selectors.load_answers(request.answers)
    allowed = answers is not None and selectors.pair_allowed(
        seeker=request.seeker,
        profile=request.profile,
        answers=answers,
        today=timezone.localdate(now),
        already_agreed=True,
    )
    with transaction.atomic():
        if not allowed:
            if _close(request.pk, status=Status.DECLINED, now=now, answered_at=now):
                _email(request, "declined")
            raise_after = True
        else:
            # Answers are needed no longer: nothing is kept beyond what's needed.
            if not _close(request.pk, status=Status.ACCEPTED, now=now, answered_at=now, answers=""):
                raise OutreachError("This request has already been answered or closed.")
            _email(request, "accepted")
            raise_after = False
    if raise_after:
        raise NotAvailable(CANNOT_ACCEPT)
    request.refresh_from_db()
    return request


@transaction.atomic
def decline_request(
    *,
    therapist: User,
    request: ConsultationRequest,
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ConsultationRequest:
    now = now or timezone.now()
    _theirs(request, therapist)
    if reason not in DeclineReason.values:
        raise OutreachError("Choose a reason.")
    _still_open(request, now)
    if not _close(
        request.pk,
        status=Status.DECLINED,
        now=now,
        answered_at=now,
        decline_reason=reason,
        decline_note=note.strip(),
    ):
        raise OutreachError("This request has already been answered or closed.")
    _email(request, "declined")
    request.refresh_from_db()
    return request


@transaction.atomic
def withdraw_request(
    *, seeker: User, request: ConsultationRequest, now: dt.datetime | None = None
) -> None:
    if request.seeker_id != seeker.pk:
        raise OutreachError("Only the person who sent a request can withdraw it.")
    if not _close(request.pk, status=Status.WITHDRAWN, now=now or timezone.now(), answers=""):
        raise OutreachError("This request has already been answered or closed.")


def expire_request(*, request_id: int, now: dt.datetime | None = None) -> bool:
    """Expire one request if it is still open 72 hours after it was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = ConsultationRequest.objects.filter(
            pk=request_id, status=Status.OPEN, created_at__lte=now - ANSWER_WITHIN
        ).update(status=Status.EXPIRED, closed_at=now)
        if expired:
            _email(ConsultationRequest(pk=request_id), "expired")
    return bool(expired)


def expire_overdue(*, now: dt.datetime | None = None) -> int:
    """Expire every request past the guarantee (the cron safety net beside the tasks)."""
    now = now or timezone.now()
    due = ConsultationRequest.objects.filter(
        status=Status.OPEN, created_at__lte=now - ANSWER_WITHIN
    ).values_list("pk", flat=True)
    return sum(expire_request(request_id=pk, now=now) for pk in list(due))


# --- messages and reveal ------------------------------------------------------------------


def _party(request: ConsultationRequest, user: User) -> None:
    if user.pk not in (request.seeker_id, request.profile.user_id):
        raise OutreachError("Only the two people in a conversation can write in it.")


@transaction.atomic
def post_message(
    *, sender: User, request: ConsultationRequest, body: str, now: dt.datetime | None = None
) -> Message:
    now = now or timezone.now()
    _party(request, sender)
    refusal = selectors.message_refusal(request, sender)
    if refusal is not None:
        raise OutreachError(refusal)
    body = body.strip()
    if not body:
        raise OutreachError("Write a message first.")
    recent = Message.objects.filter(sender=sender, created_at__gt=now - MESSAGE_WINDOW).count()
    if recent >= MESSAGE_LIMIT:
        raise OutreachError(TOO_MANY)
    message = Message.objects.create(request=request, sender=sender, body=body, created_at=now)
    mark_read(user=sender, request=request, now=now)  # they wrote from the conversation
    recipient = request.profile.user_id if sender.pk == request.seeker_id else request.seeker_id
    _email(request, "message", recipient)
    return message


def reveal_identity(
    *,
    seeker: User,
    request: ConsultationRequest,
    legal_name: str,
    share_email: bool = False,
    phone: str = "",
    now: dt.datetime | None = None,
) -> Reveal:
    """The seeker shows who they are to this request's therapist. Recorded, and final."""
    if request.seeker_id != seeker.pk:
        raise OutreachError("Only you can decide to share who you are.")
    if not legal_name.strip():
        raise OutreachError("Enter the name you'd like to share.")
    try:
        with transaction.atomic():
            return Reveal.objects.create(
                request=request,
                by=seeker,
                revealed_at=now or timezone.now(),
                legal_name=legal_name.strip(),
                email=seeker.email if share_email else "",
                phone=phone.strip(),
            )
    except IntegrityError:
        raise OutreachError("You have already shared who you are with this therapist.") from None


# --- read state ---------------------------------------------------------------------------


def _read_field(request: ConsultationRequest, user: User) -> str:
    if user.pk == request.seeker_id:
        return "seeker_read_at"
    if user.pk == request.profile.user_id:
        return "therapist_read_at"
    raise OutreachError("Only the two people in a conversation can read it.")


def mark_read(*, user: User, request: ConsultationRequest, now: dt.datetime | None = None) -> None:
    """``user`` has read the whole conversation (the thread page is open): every message so far
    stops counting as unread for them. Only moves forward; the other party never learns of it."""
    now = now or timezone.now()
    field = _read_field(request, user)
    ConsultationRequest.objects.filter(
        Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now}), pk=request.pk
    ).update(**{field: now})
    setattr(request, field, now)


def mark_opened(*, user: User, request: ConsultationRequest) -> None:
    """``user`` opened the request itself (its detail page, which shows no messages): a new
    request stops being new, while messages written since it was sent stay unread."""
    field = _read_field(request, user)
    unopened = ConsultationRequest.objects.filter(pk=request.pk, **{f"{field}__isnull": True})
    if unopened.update(**{field: request.created_at}):
        setattr(request, field, request.created_at)
