"""Every error page is a Holdspace page: the crisis line and the site's styles, plain words about
what happened, and a way forward. When the request carried a risk answer (``holdspace.crisis``),
the crisis response comes first, before anything about the error.

Wired in ``holdspace/urls.py`` (``handler400``/``403``/``404``/``500``, and ``handler429``,
which allauth uses for its rate limits), ``settings.CSRF_FAILURE_VIEW`` and
``settings.AXES_LOCKOUT_CALLABLE``; ``MethodNotAllowedPage`` gives the empty 405 responses of
``require_http_methods`` a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

from holdspace.accounts.access import SignedOutWithRiskAnswer, WrongRole
from holdspace.accounts.models import Role, User
from holdspace.crisis import Signal, signal_in

# Who a page is for, in the words of the 403 page ("This page is for therapists.").
ROLE_PEOPLE = {
    Role.SEEKER: "clinicians looking for support",
    Role.THERAPIST: "therapists",
    Role.COORDINATOR: "program coordinators",
    Role.STAFF: "Holdspace staff",
}


def _back_url(request: HttpRequest) -> str | None:
    """The page the person came from, if it was one of ours (for a "Go back" link)."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a request to a host we don't serve
        return None
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return None


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    if not hasattr(request, "user"):  # refused before the auth middleware ran (a bad host)
        request.user = AnonymousUser()
    crisis = signal_in(request, tolerant=True)
    context.update(
        crisis=crisis,
        # With the crisis response first, it owns the h1 and the error's own heading is an h2.
        heading=2 if crisis else 1,
        back_url=_back_url(request),
    )
    return render(request, template, context, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    roles = exception.roles if isinstance(exception, WrongRole) else ()
    return _page(
        request,
        "403.html",
        403,
        signed_out=user is None or isinstance(exception, SignedOutWithRiskAnswer),
        page_for=[ROLE_PEOPLE[Role(role)] for role in roles],
        account_for=ROLE_PEOPLE[Role(user.role)] if user is not None else None,
        next_path=request.get_full_path(),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE

    return _page(request, "403_csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's rate limits (sign-in, sign-up, password reset, ...)."""
    return _page(request, "429.html", 429)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes: too many failed sign-ins for this account from this address."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = round(float(cool_off) * 60) if isinstance(cool_off, int | float) else None
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    return _page(request, "accounts/locked_out.html", status, minutes=minutes)


def _static_url(path: str) -> str:
    """The hashed URL of a static file (production), or its plain URL if that can't be had: the
    500 page must render even when the static manifest is missing or broken."""
    try:
        return staticfiles_storage.url(path)
    except Exception:
        return f"{settings.STATIC_URL}{path}"


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered with no request context (like Django's own): whatever broke (the database, a
    context processor) must not break this page too."""
    try:
        crisis = signal_in(request, tolerant=True)
    except Exception:  # nothing may stop this page
        crisis = None
    context = {
        "stylesheet": _static_url("holdspace/site.css"),
        "favicon": _static_url("holdspace/favicon.svg"),
        "crisis": crisis,
        "check_in": crisis == Signal.CHECK_IN,
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))


GetResponse = Callable[[HttpRequest], HttpResponse]


class MethodNotAllowedPage:
    """``require_http_methods`` answers a wrong method (a GET of a form's address) with an empty
    405. A person who lands there gets a page instead; the ``Allow`` header is kept."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False):
            return response
        if response.content:
            return response
        page = _page(request, "405.html", 405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
