"""Print the current two-factor code of the demo accounts (their published demo secret)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from holdspace.directory.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "The demo therapist/coordinator/staff accounts' current authenticator code."

    def handle(self, *args: Any, **options: Any) -> None:
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // 30))
        self.stdout.write(f"{code}  (valid for {30 - now % 30} more seconds)")
