"""Every new therapist profile starts with the default session types."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from holdspace.directory.models import TherapistProfile
from holdspace.scheduling import services


@receiver(post_save, sender=TherapistProfile, dispatch_uid="scheduling_default_session_types")
def give_default_session_types(
    sender: type[TherapistProfile], instance: TherapistProfile, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        services.ensure_scheduling_defaults(profile=instance)
