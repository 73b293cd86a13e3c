"""Recompute every profile's listing date and search columns (after changing the taxonomy or
shipping new compact data; normal edits keep them current by themselves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from holdspace.directory.models import TherapistProfile
from holdspace.directory.services import refresh_listing


class Command(BaseCommand):
    help = "Recompute listed_until and the search columns of every therapist profile."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for profile in TherapistProfile.objects.iterator(chunk_size=500):
            refresh_listing(profile)
            count += 1
        self.stdout.write(f"Refreshed {count} profile(s).")
