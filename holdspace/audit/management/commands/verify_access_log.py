"""Check the access log's hash chain; exits non-zero and lists the breaks if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from holdspace.audit.models import AccessLog
from holdspace.audit.services import chain_problems


class Command(BaseCommand):
    help = "Verify that no access-log row was changed or deleted."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = chain_problems()
        if problems:
            raise CommandError("The access log was tampered with:\n" + "\n".join(problems))
        self.stdout.write(f"The access log is intact ({AccessLog.objects.count()} rows).")
