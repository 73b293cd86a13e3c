"""Times for people, in templates: ``{% load times %}``.

- ``{{ booking.start|moment }}`` "Tue 9 Mar 2027, 1:00 PM MST" in the reader's zone (active
  for the request by ``TimeZoneMiddleware``, or by ``timezone.override`` in e-mails);
  ``|moment:"long"`` "Tuesday 9 March 2027, 1:00 PM MST"; ``|moment:"time"`` "1:00 PM MST".
- ``{{ request.due_at|time_left }}`` "2 days, 5 hours left".
- ``{% moment_now %}`` this moment, like ``|moment``; ``{% zone_label %}`` "Mountain time (Denver)".
- ``{% zone_note %}`` "Times are in Mountain time (Denver). Change", near a page's times.
- ``{% zone_footer %}`` the same line for the footer, and the script that asks the browser for
  its zone when a signed-in person has chosen none.

Dates without a time keep Django's ``date`` filter, which uses the same active zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from holdspace.accounts import time_zones
from holdspace.core import zones

register = template.Library()
STYLES = ("short", "long", "time")


@register.filter(needs_autoescape=True)
def moment(value: Any, style: str = "short", autoescape: bool = True) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if style not in STYLES:
        raise template.TemplateSyntaxError(f"moment: unknown style {style!r}")
    if timezone.is_naive(value):  # stored times are aware; a naive one is read as UTC
        value = timezone.make_aware(value, dt.UTC)
    local = timezone.localtime(value)
    text = zones.write(local, cast(zones.Style, style))
    if not autoescape:  # plain-text e-mails
        return text
    # In a page: a <time> element, and the clock kept on one line with its zone
    # ("1:00 PM MST" never breaks before "MST").
    day, comma, clock = text.rpartition(", ")
    return format_html(
        '<time datetime="{}">{}{}{}</time>',
        local.isoformat(timespec="seconds"),
        day,
        comma,
        clock.replace(" ", "\N{NO-BREAK SPACE}"),
    )


@register.filter
def time_left(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return zones.time_left(value, timezone.now())


@register.simple_tag(takes_context=True)
def moment_now(context: template.Context, style: str = "short") -> str:
    """This moment, like ``|moment`` ("Printed Tue 9 Mar 2027, 1:00 PM MST")."""
    return moment(timezone.now(), style, autoescape=context.autoescape)


@register.simple_tag
def zone_label() -> str:
    """The reader's zone in words: "Mountain time (Denver)"."""
    return zones.label(timezone.get_current_timezone_name())


def _zone_context(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if not isinstance(request, HttpRequest) or not request.user.is_authenticated:
        return {"show": False}
    resolved = time_zones.for_request(request)
    return {
        "show": True,
        "label": zones.label(timezone.get_current_timezone_name()),
        "next": request.get_full_path(),
        "resolved": resolved,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accounts/includes/zone_note.html", takes_context=True)
def zone_note(context: template.Context) -> dict[str, Any]:
    return _zone_context(context)


@register.inclusion_tag("accounts/includes/zone_footer.html", takes_context=True)
def zone_footer(context: template.Context) -> dict[str, Any]:
    return _zone_context(context)
