"""The access log in the Django admin: read-only. (Every admin page a staff member opens is
logged by ``holdspace.audit.sites.LoggedAdminSite``.)"""

from __future__ import annotations

from django.contrib import admin

from holdspace.audit.models import AccessLog
from holdspace.readonly_admin import ReadOnlyAdmin


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin[AccessLog]):
    """For staff to review who read what. Read-only: the log is append-only and hash-chained
    (``manage.py verify_access_log``), so nothing here may add, change or delete a row."""

    list_display = ("at", "actor_label", "action", "subject_label", "target", "address")
    list_filter = ("action",)
    search_fields = ("actor_label", "subject_label", "target", "action")
    date_hierarchy = "at"
    fields = (*list_display, "previous_hash", "hash")
    readonly_fields = fields
