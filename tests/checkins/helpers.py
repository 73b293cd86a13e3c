"""Shared builders for the check-in tests: answers, posted forms, saved check-ins, row counts."""

from __future__ import annotations

import datetime as dt

from django.apps import apps

from holdspace.accounts.models import User
from holdspace.checkins import services
from holdspace.checkins.forms import submission_from
from holdspace.checkins.models import CheckIn
from holdspace.core.instruments import instrument

ITEMS = {
    "proqol5": [str(i) for i in range(1, 31)],
    "phq9": [str(i) for i in range(1, 10)],
    "gad7": [str(i) for i in range(1, 8)],
    "cbi": [str(i) for i in range(1, 20)],
}


def answers(instrument_id: str, value: int, **overrides: int) -> dict[str, int]:
    """Every scored item answered with ``value``; ``overrides`` by item id (``_9=1``)."""
    chosen = dict.fromkeys(ITEMS[instrument_id], value)
    chosen.update({key.lstrip("_"): v for key, v in overrides.items()})
    return chosen


def form(answers: dict[str, int], **extra: str) -> dict[str, str]:
    data = {f"item-{item_id}": str(value) for item_id, value in answers.items()}
    data.update(extra)
    return data


def save(
    user: User,
    instrument_id: str,
    chosen: dict[str, int],
    *,
    word: str | None = None,
    taken_at: dt.datetime | None = None,
) -> CheckIn:
    if word is None and instrument(instrument_id).placeholders:
        word = "nurse"
    submission = submission_from(instrument_id, chosen, word)
    return services.save_checkin(user=user, submission=submission, taken_at=taken_at)


def row_counts() -> dict[str, int]:
    """Rows in every table Django knows about (sessions, users, axes, allauth, ours...)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }
