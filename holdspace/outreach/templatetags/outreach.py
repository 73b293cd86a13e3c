from __future__ import annotations

from django import template

from holdspace.directory.models import TherapistProfile
from holdspace.outreach import selectors

register = template.Library()


@register.simple_tag
def response_record(profile: TherapistProfile) -> str:
    """The therapist's response-time record in words, e.g. "Usually answers within a day."."""
    return selectors.response_record(profile)
