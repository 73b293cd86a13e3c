"""``{% save_toggle profile %}``: the "Save to compare" / "Saved ✓ Remove" buttons on a card or
profile, for whoever keeps a compare list (visitors and seekers; nobody else sees them)."""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.directory import compare_list, selectors
from holdspace.directory.models import TherapistProfile

register = template.Library()


@register.inclusion_tag("directory/includes/save_toggle.html", takes_context=True)
def save_toggle(context: template.Context, profile: TherapistProfile) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not selectors.keeps_compare_list(request.user):
        return {"show": False}
    return {
        "show": True,
        "profile": profile,
        "saved": profile.pk in compare_list.saved_ids(request),
        # Back to this very card after the button's round trip.
        "next": f"{request.get_full_path()}#therapist-{profile.pk}",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def compare_count(context: template.Context) -> int:
    request = context.get("request")
    if request is None or not selectors.keeps_compare_list(request.user):
        return 0
    return len(compare_list.saved_ids(request))
