"""Saved Find answers, for signed-in seekers who choose to keep them.

Places, people close to the seeker, avoid entries and how strictly to keep them apart live in
the network app's tables (the same private rows a therapist keeps), saved as the seeker makes
each change; this model holds the rest of the answers, saved when the seeker chooses. Anonymous
answers are never written here: they live in the session only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FindProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="find_profile"
    )
    location = models.CharField(max_length=8)
    zip = models.CharField(max_length=5, blank=True)
    formats = models.JSONField(default=list)
    max_km = models.FloatField(null=True, blank=True)
    concerns = models.JSONField(default=list)
    modalities = models.JSONField(default=list)
    max_fee = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    profession = models.CharField(max_length=32, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(max_km__isnull=True) | Q(max_km__gt=0), name="find_max_km_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"saved answers {self.pk}"
