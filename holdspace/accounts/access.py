"""Access helpers shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from holdspace.accounts.models import User
from holdspace.crisis import signal_in

View = Callable[..., HttpResponse]


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views already behind a sign-in check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Please sign in.")
    return user


class WrongRole(PermissionDenied):
    """Signed in, but with a kind of account the page is not for: the 403 page says which."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        super().__init__("This page is not part of your account.")
        self.roles = roles


class SignedOutWithRiskAnswer(PermissionDenied):
    """Signed out (the session ended) while sending a risk answer. A redirect to the sign-in
    page could not carry the crisis response, so the 403 page shows it first instead."""

    def __init__(self) -> None:
        super().__init__("Please sign in.")


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed-in users with one of ``roles`` only: others are sent to sign in, or refused."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if signal_in(request) is not None:
                    raise SignedOutWithRiskAnswer
                return redirect_to_login(request.get_full_path())
            if signed_in_user(request).role not in roles:
                raise WrongRole(roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
