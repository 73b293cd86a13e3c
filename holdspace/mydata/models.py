"""A record that a seeker asked for their data to be deleted, and when it was done.

It holds no personal data: only the id of the account, which is itself anonymised when the
deletion runs, so staff can see that deletions happened and that none is stuck.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeletionStatus(models.TextChoices):
    PENDING = "pending", "Waiting to run"
    DONE = "done", "Done"


class DeletionRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeletionStatus.values), name="deletion_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(completed_at__isnull=True))
                | (Q(status="done") & Q(completed_at__isnull=False)),
                name="deletion_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion request {self.pk} ({self.status})"
