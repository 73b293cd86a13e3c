"""Run daily (cron or a scheduler): ask therapists to confirm profiles before they are hidden."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from holdspace.directory.services import send_confirmation_reminders


class Command(BaseCommand):
    help = "Email therapists whose profiles need re-confirming (no ghost listings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, today: dt.date | None, **options: Any) -> None:
        sent = send_confirmation_reminders(
            today=today or timezone.localdate(), site_url=settings.SITE_URL
        )
        self.stdout.write(f"Sent {sent} reminder(s).")
