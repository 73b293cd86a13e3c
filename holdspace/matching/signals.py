"""Carry an anonymous seeker's Find answers and world into their account when they sign up or
sign in mid-flow.

The Find screen tells anonymous seekers that what they add lasts only this visit and offers an
account to keep it; this is the keeping. Nothing is removed from the account, and the session
copy stays (the flow goes on where it was)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.matching import answers as store
from holdspace.matching.answers import World


def carry_over(request: HttpRequest | None, user: Any) -> int:
    """Save this session's world in ``user``'s account (seekers only); how many were new."""
    from holdspace.matching.services import keep_world, save_search

    if request is None or not hasattr(request, "session"):
        return 0
    if not isinstance(user, User) or not user.is_seeker:
        return 0
    answers = store.load(request.session)
    if answers.where is not None and answers.needs is not None:
        save_search(user=user, answers=answers)
    world = answers.world
    if not (world.places or world.avoid or world.ties or world.strictness == "strict"):
        return 0
    added = keep_world(user=user, world=world)
    if added:
        messages.success(
            request,
            f"Saved in your account: {_counted(world)}. It now applies every time, also "
            "after you sign out. Only you can see it.",
            fail_silently=True,  # a sign-in without a full request (tests, scripts)
        )
    return added


def _counted(world: World) -> str:
    parts = [
        (len(world.avoid), "person to avoid", "people to avoid"),
        (len(world.places), "place", "places"),
        (len(world.ties), "person close to you", "people close to you"),
    ]
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


def _signed_up(sender: Any, request: HttpRequest | None = None, user: Any = None,
               **kwargs: Any) -> None:  # fmt: skip
    carry_over(request, user)


def _logged_in(sender: Any, request: HttpRequest | None = None, user: Any = None,
               **kwargs: Any) -> None:  # fmt: skip
    carry_over(request, user)


def connect() -> None:
    user_signed_up.connect(_signed_up, dispatch_uid="matching_world_signed_up")
    user_logged_in.connect(_logged_in, dispatch_uid="matching_world_logged_in")
