"""Request-wide account safeguards: session timeouts, mandatory MFA, no caching of private pages;
and the reader's time zone.

Listed in ``settings.MIDDLEWARE`` after Django's and allauth's authentication middleware, in the
order they appear here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from holdspace.accounts import drafts, time_zones
from holdspace.accounts.mfa import has_second_factor, mfa_required
from holdspace.accounts.models import User

GetResponse = Callable[[HttpRequest], HttpResponse]

# Session keys (seconds since the epoch).
SIGNED_IN_AT = "holdspace.signed_in_at"
LAST_SEEN_AT = "holdspace.last_seen_at"


def now_seconds() -> float:
    return timezone.now().timestamp()


class SessionTimeoutMiddleware:
    """Every session ends 12 hours after signing in, whatever the person does; therapists,
    coordinators and staff are also signed out after 30 idle minutes. The session is flushed
    on the server.

    The stored session (row and cookie) lasts until 30 minutes after the 12-hour limit, and
    this middleware ends it (deleting the row) at the first request past either limit. Kept
    that long so that a note or message sent after the limit is still known to be theirs:
    its text is kept for them (``holdspace.accounts.drafts``) and they return to that page
    after signing in."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):
            return self.get_response(request)
        now = now_seconds()
        session = request.session
        watch_idle = mfa_required(user)
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        idle = settings.HOLDSPACE_SESSION_IDLE_SECONDS
        absolute = settings.HOLDSPACE_SESSION_ABSOLUTE_SECONDS
        if (signed_in_at is not None and now - signed_in_at > absolute) or (
            watch_idle and last_seen_at is not None and now - last_seen_at > idle
        ):
            kept = drafts.keep_posted(request=request, user=user)
            logout(request)  # flushes the session row and cookie
            why = (
                "For your clients' privacy we signed you out after a while without activity."
                if watch_idle
                else "For your privacy we sign everyone out 12 hours after they sign in."
            )
            messages.info(
                request,
                f"{why} Please sign in again."
                + (" What you were writing is kept for you." if kept and kept.kept else ""),
            )
            return redirect_to_login(kept.page if kept else request.get_full_path())
        if signed_in_at is None or watch_idle:
            if signed_in_at is None:
                signed_in_at = session[SIGNED_IN_AT] = now
            if watch_idle:
                session[LAST_SEEN_AT] = now
            # The stored session expires on the server one idle time after the 12-hour limit,
            # so this middleware, not the row's expiry, decides when a session ends (and a form
            # sent just after either limit is still kept). Seekers' sessions are written only
            # when this is first set, not on every request.
            session.set_expiry(max(1, int(signed_in_at + absolute + idle - now)))
        return self.get_response(request)


def _mfa_allowed_prefixes() -> tuple[str, ...]:
    """Paths a signed-in user without MFA may still open: every allauth page (sign out, MFA
    setup, email and password), the crisis and privacy pages, static files."""
    return (
        "/accounts/",
        reverse("crisis"),
        reverse("privacy"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class RequireMFAMiddleware:
    """Therapists, coordinators and staff without an authenticator app or passkey are sent to
    set one up before anything else (client or program data, the Django admin)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            mfa_required(user)
            and not request.path_info.startswith(_mfa_allowed_prefixes())
            and not has_second_factor(user)
        ):
            if request.method == "GET":
                messages.info(
                    request,
                    "Before you see client or program information, please add a second step "
                    "to your sign-in: an authenticator app or a passkey. It takes a minute and "
                    "protects the people whose records you hold.",
                )
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages shown to a signed-in user may hold health data: no browser or proxy keeps them.
    Views that set their own ``Cache-Control`` (calendar feeds) keep it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


class TimeZoneMiddleware:
    """Times on every page are written in the reader's zone (holdspace.accounts.time_zones):
    it is active while the view runs and its template renders, so Django's ``date`` filter,
    ``{% now %}`` and ``timezone.localtime`` use it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(time_zones.for_request(request).name):
            return self.get_response(request)
