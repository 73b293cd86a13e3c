from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from holdspace.outreach import services


class Command(BaseCommand):
    help = "Expire consultation requests not answered within 72 hours (a safety net for cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.expire_overdue()
        self.stdout.write(f"Expired {count} request(s).")
