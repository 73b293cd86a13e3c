"""Append-only access log: who read or changed which client's data, when and from where.

Rows are chained by hash (each row's hash covers its own fields and the previous row's hash),
so ``manage.py verify_access_log`` detects any change or deletion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from holdspace.core import zones


class AccessLog(models.Model):
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254)  # kept if the account is later deleted
    action = models.CharField(max_length=40)  # e.g. "view_chart", "view_note", "export"
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_label = models.CharField(max_length=254, blank=True)
    target = models.CharField(max_length=200, blank=True)  # "checkin:42", "note:7"
    address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        when = zones.write(timezone.localtime(self.at))  # the staff reader's zone, named
        return f"{when} {self.actor_label} {self.action} {self.target}"
