from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from holdspace.mydata.models import DeletionRequest


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin[DeletionRequest]):
    """Read-only: staff see that deletions were asked for and done (or are stuck)."""

    list_display = ("pk", "user_id", "status", "requested_at", "completed_at")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
