from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from holdspace.accounts.mfa import ENCRYPTED_DATA, rotated_data
from holdspace.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the newest key in HOLDSPACE_ENCRYPTION_KEYS: "
        "every EncryptedTextField of every model, and the MFA secrets allauth keeps. "
        "Run after putting a new key first; drop the old key once this has finished."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = self.rotate_fields() + self.rotate_authenticators()
        self.stdout.write(f"Done: {total} row(s).")

    def rotate_fields(self) -> int:
        """Every model is walked, so a new encrypted field is rotated without a change here."""
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
                    values = manager.select_for_update().filter(pk=pk).values(*names).first()
                    if values is not None:
                        manager.filter(pk=pk).update(**values)
                        total += 1
            self.stdout.write(f"{model._meta.label}: re-encrypted {', '.join(names)}")
        return total

    def rotate_authenticators(self) -> int:
        """TOTP secrets and recovery-code seeds live encrypted inside a JSON column."""
        total = 0
        rows = Authenticator.objects.filter(type__in=list(ENCRYPTED_DATA))
        for pk in rows.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
                if authenticator is not None:
                    data = rotated_data(authenticator.type, authenticator.data)
                    Authenticator.objects.filter(pk=pk).update(data=data)
                    total += 1
        self.stdout.write(f"{Authenticator._meta.label}: re-encrypted {total} MFA secret(s)")
        return total
