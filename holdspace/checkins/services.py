"""Writes for check-ins. Keyword-only, typed; scores are always recomputed here by the core."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.checkins.forms import Submission
from holdspace.checkins.models import CheckIn
from holdspace.checkins.selectors import PENDING_KEY, peek_pending
from holdspace.core.instruments import SELF_HARM


def save_checkin(
    *, user: User, submission: Submission, taken_at: dt.datetime | None = None
) -> CheckIn:
    """Store a check-in the person chose to save: raw answers, scores, flags, the word shown."""
    if not user.is_seeker:
        raise PermissionError("Only a seeker's own account keeps check-ins.")
    result = submission.score
    return CheckIn.objects.create(
        user=user,
        instrument=submission.instrument_id,
        answers=dict(submission.answers),
        scales=dict(result.scales),
        bands=dict(result.bands),
        self_harm=SELF_HARM in result.flags,
        profession_word=submission.profession_word,
        taken_at=taken_at or timezone.now(),
    )


def delete_checkin(*, checkin: CheckIn) -> None:
    checkin.delete()


def hold_pending(*, session: SessionBase, submission: Submission) -> None:
    """Keep answers in the session while an anonymous person signs in or signs up.

    Only ever called after the person explicitly asked for it; the session row is the one thing
    an anonymous check-in may write, and only by that choice.
    """
    session[PENDING_KEY] = {
        "instrument": submission.instrument_id,
        "answers": dict(submission.answers),
        "word": submission.profession_word,
        "held_at": timezone.now().isoformat(),
    }


def clear_pending(*, session: SessionBase) -> None:
    session.pop(PENDING_KEY, None)


@transaction.atomic
def save_pending(*, user: User, session: SessionBase) -> CheckIn | None:
    """Move a held check-in into the user's account and drop it from the session."""
    pending = peek_pending(session)
    clear_pending(session=session)
    if pending is None:
        return None
    taken_at = _parse_time(pending.held_at)
    return save_checkin(user=user, submission=pending.submission, taken_at=taken_at)


def _parse_time(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None
