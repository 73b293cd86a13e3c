from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach import selectors
from holdspace.outreach.models import ConsultationRequest

register = template.Library()

# Under this much time left, a waiting request is shown as urgent.
SOON = dt.timedelta(hours=24)


@register.simple_tag
def response_record(profile: TherapistProfile) -> str:
    """The therapist's response-time record in words, e.g. "Usually answers within a day."."""
    return selectors.response_record(profile)


@register.simple_tag
def unread_count(user: User) -> int:
    """Conversations with something new for ``user`` (the navigation's count)."""
    return selectors.unread_count(user)


@register.filter
def due_soon(request: ConsultationRequest) -> bool:
    """An open request with less than a day left to answer."""
    return request.is_open and selectors.time_left(request, now=timezone.now()) < SOON
