"""Does this request carry a risk signal? The core's rule (``holdspace.core.safety``), fed from
the posted form fields of every form that can carry one.

Asked before anything else about a submission is checked, by the views that take check-ins and
Find answers and by every error page (403, 404, CSRF failure, ...), so that crisis resources are
in the response to a risk answer whatever else is wrong: answers missing, the session gone, the
check-in no longer asked for.

The fields it reads: a check-in's answers (``item-<id>``, with the instrument named by the URL
or by the ``instrument`` field every check-in form carries), and the Find concerns (``concerns``,
or ``<prefix>-concerns`` where a page holds several forms).
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import parse_qsl

from django.http import HttpRequest, QueryDict

from holdspace.checkins.forms import FIELD_PREFIX, INSTRUMENT_FIELD
from holdspace.core.safety import check_in_risk, concerns_risk

CONCERNS_FIELD = "concerns"


class Signal(StrEnum):
    """Which answer carried the risk: the wording of the crisis block follows it."""

    CHECK_IN = "check_in"  # a check-in's safety item (PHQ-9 item 9) above "Not at all"
    CONCERNS = "concerns"  # the Find concern "thoughts of ending my life"


def _posted(request: HttpRequest, *, tolerant: bool) -> QueryDict | None:
    if request.method != "POST":
        return None
    if not tolerant:
        return request.POST  # a body Django refuses raises here, as in any view: a 400
    try:
        data = request.POST
    except Exception:  # the error pages read what they can
        data = QueryDict()
    if data or request.content_type != "application/x-www-form-urlencoded":
        return data
    # Django refused the form (too many fields, say) and left it empty: read a plain form body
    # once more, only to look for a risk answer. Too big or unreadable: nothing to read.
    try:
        body = request.body.decode(request.encoding or "utf-8", "replace")
    except Exception:
        return None
    refused = QueryDict(mutable=True)
    for key, value in parse_qsl(body, keep_blank_values=True):
        refused.appendlist(key, value)
    return refused


def signal_in(
    request: HttpRequest, *, instrument_id: str | None = None, tolerant: bool = False
) -> Signal | None:
    """The risk signal this request's posted data carries, if any. ``instrument_id``: the
    check-in the URL names (it wins over the posted field). ``tolerant``: for error pages, which
    must render whatever is wrong with the request (an unreadable body holds no signal)."""
    data = _posted(request, tolerant=tolerant)
    if data is None:
        return None
    instrument = instrument_id or data.get(INSTRUMENT_FIELD, "")
    answers = {
        key.removeprefix(FIELD_PREFIX): data.getlist(key)
        for key in data
        if key.startswith(FIELD_PREFIX)
    }
    if check_in_risk(instrument, answers):
        return Signal.CHECK_IN
    concerns = [
        value
        for key in data
        if key == CONCERNS_FIELD or key.endswith(f"-{CONCERNS_FIELD}")
        for value in data.getlist(key)
    ]
    if concerns_risk(concerns):
        return Signal.CONCERNS
    return None
