"""Per-user hourly limits on the endpoints that reach other people (requests, messages,
bookings), counted in Django's cache. Only POSTs by signed-in users count; over the limit the
view is not run and a calm 429 page says when to try again."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

View = Callable[..., HttpResponse]
WINDOW_SECONDS = 60 * 60


def allow(action: str, user_id: int) -> bool:
    """Count one attempt; False once ``action`` went over its hourly limit for this user."""
    limit = int(settings.HOLDSPACE_RATE_LIMITS[action])
    window = int(timezone.now().timestamp() // WINDOW_SECONDS)
    key = f"holdspace:ratelimit:{action}:{user_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= limit


def rate_limited(action: str) -> Callable[[View], View]:
    if action not in settings.HOLDSPACE_RATE_LIMITS:
        raise ValueError(f"No rate limit configured for {action!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if (
                request.method == "POST"
                and user.is_authenticated
                and not allow(action, int(user.pk))
            ):
                return render(request, "accounts/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
