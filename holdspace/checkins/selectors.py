"""Reads for check-ins. A person only ever reads their own: every read goes through a function
here that takes the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.checkins import charts, content
from holdspace.checkins.forms import Submission, submission_from
from holdspace.checkins.models import CheckIn
from holdspace.checkins.presenters import number, summary_text
from holdspace.core.instruments import INSTRUMENT_IDS, InstrumentError, instrument

PENDING_KEY = "checkins_pending"


def checkins_for(user: User) -> QuerySet[CheckIn]:
    """The user's own saved check-ins, newest first; nobody else's, ever."""
    if not user.is_authenticated or not user.is_seeker:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(user=user).order_by("-taken_at", "-pk")


def get_checkin_for(user: User, checkin_id: int) -> CheckIn:
    """One of the user's own check-ins; anyone else's is a 404, so nobody learns it exists."""
    try:
        return checkins_for(user).get(pk=checkin_id)
    except CheckIn.DoesNotExist:
        raise Http404("No such check-in") from None


@dataclass(frozen=True)
class Recent:
    checkin: CheckIn
    short_name: str
    summary: str  # "Burnout 24 · Secondary traumatic stress 20"


def _banded_summary(checkin: CheckIn) -> str:
    """ "Burnout: moderate (24) · ..." where a scale has bands, else the plain summary."""
    inst = instrument(checkin.instrument)
    if not any(scale.bands for scale in inst.scales):
        return summary_text(checkin.instrument, checkin.scales)
    parts = []
    for scale in inst.scales:
        name = content.SCALES[(checkin.instrument, scale.id)].name
        value = checkin.scales.get(scale.id)
        band = _band_label(checkin.instrument, scale.id, checkin.bands.get(scale.id))
        if value is None:
            parts.append(f"{name}: no score")
        elif band:
            parts.append(f"{name}: {band.lower()} ({number(value)})")
        else:
            parts.append(f"{name} {number(value)}")
    return " · ".join(parts)


def recent_for(user: User, *, limit: int = 3) -> list[Recent]:
    """The user's latest saved check-ins, newest first, each summed up in a line."""
    return [
        Recent(c, content.INSTRUMENTS[c.instrument].short_name, _banded_summary(c))
        for c in checkins_for(user)[:limit]
    ]


def latest_phq9_self_harm(user: User) -> bool:
    """Their latest PHQ-9 said they had thoughts of being better off dead or of hurting
    themselves: pages summing up their check-ins show crisis resources too."""
    latest = checkins_for(user).filter(instrument="phq9").first()
    return bool(latest and latest.self_harm)


@dataclass(frozen=True)
class Trend:
    instrument_id: str
    short_name: str
    charts: list[charts.Chart]


def trends_for(user: User) -> list[Trend]:
    """One chart per scale for every instrument the user has saved, oldest point first."""
    saved = list(checkins_for(user).order_by("taken_at", "pk"))
    trends = []
    for instrument_id in INSTRUMENT_IDS:
        rows = [c for c in saved if c.instrument == instrument_id]
        if not rows:
            continue
        inst = instrument(instrument_id)
        scale_charts = []
        for scale in inst.scales:
            entries = [
                charts.Entry(
                    taken_at=timezone.localtime(c.taken_at),
                    value=c.scales.get(scale.id),
                    band_label=_band_label(instrument_id, scale.id, c.bands.get(scale.id)),
                )
                for c in rows
            ]
            scale_charts.append(charts.trend_chart(instrument_id, scale.id, entries))
        trends.append(
            Trend(instrument_id, content.INSTRUMENTS[instrument_id].short_name, scale_charts)
        )
    return trends


def _band_label(instrument_id: str, scale_id: str, band_id: Any) -> str | None:
    scale = instrument(instrument_id).scale(scale_id)
    return next((b.label for b in scale.bands if b.id == band_id), None)


@dataclass(frozen=True)
class Pending:
    submission: Submission
    held_at: str  # ISO time the person chose to hold it

    @property
    def short_name(self) -> str:
        return content.INSTRUMENTS[self.submission.instrument_id].short_name


def peek_pending(session: SessionBase) -> Pending | None:
    """A check-in the person asked us to hold while they signed in, re-scored (never trusted)."""
    raw = session.get(PENDING_KEY)
    if not isinstance(raw, dict):
        return None
    try:
        submission = submission_from(raw["instrument"], raw["answers"], raw.get("word"))
    except (InstrumentError, KeyError, TypeError):
        return None
    return Pending(submission=submission, held_at=str(raw.get("held_at", "")))
