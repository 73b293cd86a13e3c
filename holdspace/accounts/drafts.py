"""Text that survives a session time-out: when a therapist (coordinator, staff) sends a note
or a message after their session timed out, the time-out middleware keeps the text,
encrypted and for them alone, and sends them to sign in with the page as ``next``. Back on
that page, the form shows it again ("We kept what you were writing ...") and the kept copy
is deleted; one not taken back within ``KEEP_FOR`` is deleted unread.

Kept server-side, never in the browser's storage: a shared ward computer must not hold a
client's note. Views say which of their posted fields to keep with ``@keeps_draft``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from holdspace.accounts.models import KeptDraft, User

KEEP_FOR = dt.timedelta(hours=24)
# Longer than any form takes (a note is at most 20,000 characters); anything longer is not
# something a person typed into these forms.
MAX_KEPT = 50_000
KEPT_NOTICE = (
    "We kept what you were writing when you were signed out. Review it, then save or send it."
)
ATTRIBUTE = "holdspace_keeps_draft"

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class DraftForm:
    page: str  # the URL name of the page showing the form (reversed with the view's kwargs)
    form: str  # which form on that page
    field: str  # the posted field with the text


def keeps_draft(*, page: str, form: str, field: str) -> Callable[[View], View]:
    """Mark a view whose posted ``field`` is kept when it arrives after a session time-out.
    Put it outermost, so the attribute is on the function the URL resolves to."""

    def mark(view: View) -> View:
        setattr(view, ATTRIBUTE, DraftForm(page=page, form=form, field=field))
        return view

    return mark


def _passes_csrf(request: HttpRequest, view: Callable[..., Any]) -> bool:
    """The check the view itself would make: a forged post keeps nothing."""
    check = CsrfViewMiddleware(lambda _: HttpResponse())
    return check.process_view(request, view, (), {}) is None


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete kept drafts nobody came back for within ``KEEP_FOR``; returns how many."""
    now = now or timezone.now()
    deleted, _ = KeptDraft.objects.filter(kept_at__lte=now - KEEP_FOR).delete()
    return deleted


@dataclass(frozen=True)
class TimedOutPost:
    page: str  # where the form is: the page to return to after signing in
    spec: DraftForm
    view: Callable[..., Any]


def draft_post(request: HttpRequest) -> TimedOutPost | None:
    """What ``request`` posts to, when it posts to a draft-keeping view."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    spec = getattr(match.func, ATTRIBUTE, None)
    if not isinstance(spec, DraftForm):
        return None
    page = reverse(spec.page, args=match.args, kwargs=match.kwargs)
    return TimedOutPost(page=page, spec=spec, view=match.func)


@dataclass(frozen=True)
class Kept:
    page: str  # where to send them after signing in
    kept: bool  # False when there was no text to keep (or the post was forged)


@transaction.atomic
def keep_posted(*, request: HttpRequest, user: User, now: dt.datetime | None = None) -> Kept | None:
    """Keep the text a timed-out post carried, for ``user``, and say which page to send them
    back to after signing in; None when the post was not to a draft-keeping form."""
    post = draft_post(request)
    if post is None:
        return None
    text = request.POST.get(post.spec.field, "")
    if not (text.strip() and len(text) <= MAX_KEPT and _passes_csrf(request, post.view)):
        return Kept(page=post.page, kept=False)
    now = now or timezone.now()
    purge_expired(now=now)
    KeptDraft.objects.update_or_create(
        user=user, path=post.page, form=post.spec.form, defaults={"text": text, "kept_at": now}
    )
    return Kept(page=post.page, kept=True)


@transaction.atomic
def take_kept(*, user: User, path: str, form: str, now: dt.datetime | None = None) -> str | None:
    """The text kept for ``user``'s ``form`` on the page at ``path``, deleted as it is taken
    (it is in the form on screen from now on); None when there is none (or it expired)."""
    now = now or timezone.now()
    purge_expired(now=now)
    kept = KeptDraft.objects.select_for_update().filter(user=user, path=path, form=form).first()
    if kept is None:
        return None
    kept.delete()
    return kept.text
