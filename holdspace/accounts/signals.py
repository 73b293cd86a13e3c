"""Session bookkeeping: when a session started, and ending every session of a disabled user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from holdspace.accounts import drafts
from holdspace.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT, now_seconds
from holdspace.accounts.models import User


@receiver(user_logged_in)
def stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = now_seconds()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        # The session lasts until the middleware ends it (12 hours, and a grace period in which
        # a form sent late is still kept for its writer).
        request.session.set_expiry(
            settings.HOLDSPACE_SESSION_ABSOLUTE_SECONDS + settings.HOLDSPACE_SESSION_IDLE_SECONDS
        )


@receiver(user_logged_in)
def purge_expired_drafts(sender: Any, **kwargs: Any) -> None:
    """Drafts kept at a time-out and never taken back go after a day; every sign-in (when
    one might be taken back) sweeps them, so none outlives that by much."""
    drafts.purge_expired()


def end_sessions(user: User) -> int:
    """Delete every stored session signed in as ``user``; returns how many."""
    user_id = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            session.delete()
            ended += 1
    return ended


@receiver(post_save, sender=User)
def end_sessions_of_disabled_user(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_active:
        end_sessions(instance)
