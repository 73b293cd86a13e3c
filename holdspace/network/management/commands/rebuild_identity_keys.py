"""Recompute every user's identity keys (after bulk imports or rotating HOLDSPACE_HMAC_KEY)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from holdspace.network.services import rebuild_identity_keys


class Command(BaseCommand):
    help = "Recompute the keyed hashes of every user's email, names and license numbers."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_identity_keys()
        self.stdout.write(f"Rebuilt identity keys for {count} users.")
