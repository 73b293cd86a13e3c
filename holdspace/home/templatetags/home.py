"""Template helpers for the homes and the navigation: the name the navigation shows, and the
next step after signing up. (Times: ``{% load times %}``.)"""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.accounts.models import Role, User
from holdspace.directory.selectors import own_display_name
from holdspace.home import selectors

register = template.Library()


@register.simple_tag
def nav_name(user: User) -> str:
    """The name the navigation shows: a seeker's pseudonym; a therapist's profile name (never a
    pseudonym); anyone else's own name; the email when there is nothing else."""
    if user.role == Role.SEEKER:
        return user.pseudonym or user.email
    if user.role == Role.THERAPIST:
        return own_display_name(user)
    return user.legal_name or user.email


@register.inclusion_tag("home/includes/next_step.html", takes_context=True)
def next_step(context: template.Context) -> dict[str, Any]:
    """ "Next: …", the way on once an account is set up (the recovery codes page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"step": None}
    return {"step": selectors.next_step(user)}
