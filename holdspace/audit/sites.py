"""The admin site that writes an access-log row for every page a staff member opens.

Every admin page, including each ModelAdmin's, is called through ``AdminSite.admin_view``;
``LoggedAdminSite`` wraps it, so all of them are logged, models added later too. It is the
default site (``holdspace.audit.admin_config.LoggedAdminConfig`` in INSTALLED_APPS). The row
is written in the same transaction as the read, after the page has been rendered (the rows a
changelist shows are only read while rendering), so no page is shown unlogged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from holdspace.accounts.models import User
from holdspace.audit.services import record_access

# The staff member's own pages (and a script catalogue): nobody else's data is read.
UNLOGGED = frozenset({"jsi18n", "logout", "password_change", "password_change_done"})
# Where an object's owner is found, first match wins: the person whose data it is.
OWNER_PATHS = (
    ("user",),
    ("seeker",),
    ("profile", "user"),
    ("request", "seeker"),
    ("booking", "seeker"),
    ("license", "profile", "user"),
    ("authorization", "profile", "user"),
    ("subject",),
)
View = Callable[..., HttpResponse]


def owner_of(obj: models.Model | None) -> User | None:
    """The user an admin object belongs to, if any (a user is their own owner)."""
    if obj is None or isinstance(obj, User):
        return obj
    for path in OWNER_PATHS:
        value: Any = obj
        for name in path:
            value = getattr(value, name, None)  # a missing relation is None, not an error
            if value is None:
                break
        if isinstance(value, User):
            return value
    return None


def describe(view: View, request: HttpRequest, kwargs: dict[str, Any]) -> tuple[str, User | None]:
    """(target, subject) for one admin page: ``app.model:pk`` (``:history``, ``:delete``)
    and its owner, or a model's changelist/add page, or ``admin:<page>`` for the site's own."""
    match = request.resolver_match
    name = (match.url_name if match else None) or ""
    model_admin = getattr(view, "__self__", None)
    if isinstance(model_admin, admin.ModelAdmin):
        label, page = model_admin.opts.label_lower, name.rsplit("_", 1)[-1]
        object_id = kwargs.get("object_id")
        if object_id is None:
            return f"{label}:{page}", None  # the changelist or the add page
        object_id = unquote(str(object_id))
        target = f"{label}:{object_id}" + ("" if page == "change" else f":{page}")
        return target, owner_of(model_admin.get_object(request, object_id))
    details = [str(value) for value in kwargs.values()]
    return ":".join(["admin", name, *details]), None


def logged(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        match = request.resolver_match
        name = match.url_name if match else None
        if not name or name in UNLOGGED or not isinstance(request.user, User):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            # Described first: after a deletion the object (and its owner) is gone.
            target, subject = describe(view, request, kwargs)
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            if response.status_code < 400:
                changed = request.method == "POST" and 300 <= response.status_code < 400
                record_access(
                    actor=request.user,
                    action="admin_change" if changed else "admin_view",
                    subject=subject,
                    target=target[:200],
                    request=request,
                )
        return response

    return wrapper


class LoggedAdminSite(admin.AdminSite):
    def admin_view(self, view: View, cacheable: bool = False) -> View:  # type: ignore[override]
        # Inside the site's own wrapper: only staff who passed its checks reach ``logged``.
        return super().admin_view(logged(view), cacheable)
