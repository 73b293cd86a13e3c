"""Review, then confirm: the two-step pattern for actions that can't be taken back.

The first step shows a review page with exactly what will happen. Its confirm form posts the
same values again with a signed ``review`` token of them, bound to the person, the action and
the object. The confirm step acts only when the values posted are the values that were
reviewed, recently: a changed value, a token for another object or person, or an old review is
refused and nothing is written. No state is stored; the token is the proof.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core import signing
from django.http import HttpRequest

REVIEW_FIELD = "review"
# Long enough to read a page slowly (or take a call) before confirming; short enough that a
# review left open overnight isn't confirmed against a world that has moved on.
MAX_AGE_SECONDS = 30 * 60

CHANGED = (
    "What you confirmed isn't what you reviewed, so nothing was changed. "
    "Please check the details below and confirm again."
)
EXPIRED = (
    "This review is more than 30 minutes old, so nothing was changed. "
    "Please check the details below and confirm again."
)


@dataclass(frozen=True)
class Review:
    """One person's review of one action on one object, with the values it shows."""

    purpose: str
    user_id: int
    object_id: int
    values: Mapping[str, str] = field(default_factory=dict)

    def _signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(
            salt=f"holdspace.review:{self.purpose}:{self.user_id}:{self.object_id}"
        )

    def _digest(self) -> str:
        canonical = json.dumps(dict(self.values), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def token(self) -> str:
        """For the review page's confirm form: a signed digest of the values (the values
        themselves travel as the form's own fields)."""
        return self._signer().sign(self._digest())

    def problem(self, token: str) -> str | None:
        """None when ``token`` is this review's, from the last half hour; otherwise the
        reason to show (CHANGED or EXPIRED)."""
        try:
            signed = self._signer().unsign(token, max_age=MAX_AGE_SECONDS)
        except signing.SignatureExpired:
            return EXPIRED
        except signing.BadSignature:
            return CHANGED
        return None if signed == self._digest() else CHANGED

    def problem_in(self, request: HttpRequest) -> str | None:
        """``problem`` for the token posted with ``request``."""
        return self.problem(request.POST.get(REVIEW_FIELD, ""))
