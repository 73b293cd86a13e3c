"""Model fields that keep their values encrypted in the database (see ``holdspace.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from holdspace import crypto


class EncryptedTextField(models.TextField[str, str]):
    """Text stored as a Fernet token. It cannot be searched or sorted by value in SQL; a value
    no configured key opens raises ``crypto.DecryptionError`` when the row is loaded."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(str(value))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        return None if value is None else crypto.decrypt(value)
