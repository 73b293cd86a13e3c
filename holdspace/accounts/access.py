"""Access helpers shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from holdspace.accounts.models import User

View = Callable[..., HttpResponse]


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views already behind a sign-in check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Please sign in.")
    return user


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed-in users with one of ``roles`` only: others are sent to sign in, or refused."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if signed_in_user(request).role not in roles:
                raise PermissionDenied("This page is not part of your account.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
