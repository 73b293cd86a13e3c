"""A pointer to the check-ins a seeker's therapist asked for, for pages of other apps (the
check-in history) that should not need to know about measurement plans."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.practice import selectors

register = template.Library()


@register.inclusion_tag("practice/includes/asked_notice.html", takes_context=True)
def asked_checkins_notice(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_seeker:
        return {"count": 0}
    return {"count": selectors.open_invitations_for(user, now=timezone.now()).count()}
