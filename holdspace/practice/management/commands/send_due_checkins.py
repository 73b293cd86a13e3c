from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from holdspace.practice import services


class Command(BaseCommand):
    help = (
        "Create the check-ins that measurement plans have due now and queue their e-mails "
        "(sent by the db_worker). Safe to run as often as you like: nothing is sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.send_due_checkins()
        self.stdout.write(f"Queued {count} check-in invitation(s).")
