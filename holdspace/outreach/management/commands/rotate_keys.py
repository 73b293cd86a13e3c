from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from holdspace.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in HOLDSPACE_ENCRYPTION_KEYS. "
        "Run after putting a new key first; drop the old key once this has finished."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            names = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not names:
                continue
            manager = model._base_manager
            # Loading decrypts with whichever key opens each value; saving encrypts with the
            # newest. A row no key opens raises and stops the command, changing nothing more.
            for pk in manager.values_list("pk", flat=True).iterator():
                with transaction.atomic():
                    values = manager.filter(pk=pk).values(*names).first()
                    if values is not None:
                        manager.filter(pk=pk).update(**values)
                        total += 1
            self.stdout.write(f"{model._meta.label}: re-encrypted {', '.join(names)}")
        self.stdout.write(f"Done: {total} row(s).")
