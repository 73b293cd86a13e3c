"""Template helpers for the homes and the navigation: times in the viewer's zone, the name the
navigation shows, and the next step after signing up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from holdspace.accounts.models import Role, User
from holdspace.directory.selectors import own_display_name
from holdspace.home import selectors, times

register = template.Library()


@register.filter
def in_zone(moment: dt.datetime | None, zone: str) -> str:
    """ "Monday 9 March 2026, 9:00 AM MDT" (every day-and-time on the homes)."""
    return times.when(moment, zone) if moment else ""


@register.filter
def short_in_zone(moment: dt.datetime | None, zone: str) -> str:
    """ "Mon 9 Mar, 9:00 AM MDT" (lists of the coming days)."""
    return times.short_when(moment, zone) if moment else ""


@register.filter
def day_in_zone(moment: dt.datetime | None, zone: str) -> str:
    """ "2 December 2026" (when only the day matters)."""
    return times.day(moment, zone) if moment else ""


@register.filter
def clock_in_zone(moment: dt.datetime | None, zone: str) -> str:
    """ "9:00 AM" (lists whose heading names the zone)."""
    return times.clock(moment, zone) if moment else ""


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


@register.filter
def zone_name(zone: str) -> str:
    """ "Mountain (Denver)"."""
    return times.zone_name(zone)
