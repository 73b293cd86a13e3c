"""The check-in held in this browser's session while its person signs in or signs up, for the
account pages to mention (they are allauth's views, with no check-in context of their own)."""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.checkins.selectors import Pending, peek_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def held_checkin(context: dict[str, Any]) -> Pending | None:
    request = context.get("request")
    return peek_pending(request.session) if request is not None else None
