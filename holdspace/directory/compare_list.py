"""The compare list of the person making a request: in their account when they are a signed-in
seeker (``SavedTherapist`` rows), in their session when they are a visitor (for this visit; it
joins their account when they sign in or up, see ``keep_on_sign_in``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.directory import selectors, services
from holdspace.directory.models import TherapistProfile

SESSION_KEY = "directory_compare"
_CACHE = "_holdspace_compare_ids"


class NoCompareList(PermissionError):
    """Therapists, coordinators and staff have no compare list."""


def _session_ids(request: HttpRequest) -> list[int]:
    stored = request.session.get(SESSION_KEY, [])
    if not isinstance(stored, list):
        return []
    return [pk for pk in stored if isinstance(pk, int)][: selectors.MAX_SAVED]


def saved_ids(request: HttpRequest) -> list[int]:
    """The profile ids on the list, oldest first; read once per request."""
    cached: list[int] | None = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    user = request.user
    if not selectors.keeps_compare_list(user):
        ids: list[int] = []
    elif isinstance(user, User):
        ids = selectors.saved_profile_ids_for(user)
    else:
        ids = _session_ids(request)
    setattr(request, _CACHE, ids)
    return ids


def _forget_cache(request: HttpRequest) -> None:
    if hasattr(request, _CACHE):
        delattr(request, _CACHE)


def add(request: HttpRequest, profile: TherapistProfile) -> None:
    """Raises NoCompareList for roles without one, services.CompareListFull when full."""
    user = request.user
    if not selectors.keeps_compare_list(user):
        raise NoCompareList
    if isinstance(user, User):
        services.save_therapist(user=user, profile=profile)
    else:
        ids = _session_ids(request)
        if profile.pk not in ids:
            if len(ids) >= selectors.MAX_SAVED:
                raise services.CompareListFull(selectors.MAX_SAVED)
            request.session[SESSION_KEY] = [*ids, profile.pk]
    _forget_cache(request)


def remove(request: HttpRequest, profile_id: int) -> bool:
    user = request.user
    if not selectors.keeps_compare_list(user):
        raise NoCompareList
    _forget_cache(request)
    if isinstance(user, User):
        return services.remove_saved_therapist(user=user, profile_id=profile_id)
    ids = _session_ids(request)
    request.session[SESSION_KEY] = [pk for pk in ids if pk != profile_id]
    return profile_id in ids


def keep_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: a seeker's visit list joins their account's list, and the session
    copy goes (the account's list is the one from now on)."""
    if request is None or not hasattr(request, "session") or SESSION_KEY not in request.session:
        return
    ids = _session_ids(request)
    del request.session[SESSION_KEY]
    if isinstance(user, User) and selectors.keeps_compare_list(user) and ids:
        services.keep_visit_list(user=user, profile_ids=ids)
    _forget_cache(request)
