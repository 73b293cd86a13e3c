from __future__ import annotations

from django.contrib import admin

from holdspace.mydata.models import DeletionRequest
from holdspace.readonly_admin import ReadOnlyAdmin


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdmin[DeletionRequest]):
    """Read-only: staff see that deletions were asked for and done (or are stuck)."""

    list_display = ("pk", "user_id", "status", "requested_at", "completed_at")
    list_filter = ("status",)
