"""Writing the access log. Call ``record_access`` inside the same transaction as the read or
write it describes, so a log row exists exactly when the access happened."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.audit.models import AccessLog

GENESIS = "0" * 64


def row_hash(*, previous_hash: str, fields: dict[str, str]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


def hashed_fields(entry: AccessLog) -> dict[str, str]:
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "action": entry.action,
        "subject": entry.subject_label,
        "target": entry.target,
        "address": entry.address or "",
    }


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


@transaction.atomic
def record_access(
    *,
    actor: User,
    action: str,
    subject: User | None = None,
    target: str = "",
    request: HttpRequest | None = None,
) -> AccessLog:
    # Lock the chain's tail so concurrent writers append one after another.
    last = AccessLog.objects.select_for_update().order_by("-pk").first()
    entry = AccessLog(
        at=timezone.now(),
        actor=actor,
        actor_label=f"{actor.pk}:{actor.email}",
        action=action,
        subject=subject,
        subject_label=f"{subject.pk}" if subject is not None else "",
        target=target,
        address=client_address(request),
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = row_hash(previous_hash=entry.previous_hash, fields=hashed_fields(entry))
    entry.save()
    return entry


def chain_problems() -> list[str]:
    """Every break in the chain: a changed row, a deleted row, or rows out of order."""
    problems = []
    previous = GENESIS
    for entry in AccessLog.objects.order_by("pk").iterator():
        if entry.previous_hash != previous:
            problems.append(f"row {entry.pk}: the row before it was changed or deleted")
        expected = row_hash(previous_hash=entry.previous_hash, fields=hashed_fields(entry))
        if entry.hash != expected:
            problems.append(f"row {entry.pk}: its contents were changed")
        previous = entry.hash
    return problems
