"""Queueing background tasks from inside a transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(enqueue: Callable[[], object], *, what: str) -> None:
    """Queue a task once the surrounding transaction commits, so it never sees a rolled-back
    row. The change stands even if queueing fails; the failure is logged (``what`` names it)."""

    def run() -> None:
        try:
            enqueue()
        except Exception:
            logger.exception("Could not queue %s", what)

    transaction.on_commit(run)
