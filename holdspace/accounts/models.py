from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

from holdspace.core import zones
from holdspace.fields import EncryptedTextField


class Role(models.TextChoices):
    SEEKER = "seeker", "Clinician looking for support"
    THERAPIST = "therapist", "Therapist"
    COORDINATOR = "coordinator", "Program coordinator"
    STAFF = "staff", "Holdspace staff"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.STAFF)
        return self._create(email, password, **fields)


def validate_time_zone(name: str) -> None:
    if name and not zones.is_known(name):
        raise ValidationError(f"“{name}” is not a time zone we know. Choose one from the list.")


class User(AbstractUser):
    """Signs in with email. Seekers are known to others only by their pseudonym."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SEEKER)
    pseudonym = models.CharField(
        max_length=40,
        blank=True,
        help_text="The name therapists see until you choose to share more.",
    )
    legal_name = models.CharField(
        max_length=150, blank=True, help_text="Optional and private; shared only if you choose."
    )
    profession = models.CharField(max_length=32, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name (America/Denver). Blank: not chosen yet, so a guess is used "
        "(holdspace.accounts.time_zones.zone_for).",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="seeker") | ~models.Q(pseudonym=""),
                name="seeker_has_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym or self.email

    @property
    def is_seeker(self) -> bool:
        return self.role == Role.SEEKER

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST


class KeptDraft(models.Model):
    """What someone was sending when their session timed out (a session note, a message),
    kept encrypted for them alone. Put back into the same form on the same page once they
    sign in again, and deleted then, or after ``holdspace.accounts.drafts.KEEP_FOR``."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)  # the page the form is on, where they return
    form = models.CharField(max_length=32)  # which form on that page
    text = EncryptedTextField()
    kept_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A second time-out on the same form keeps the newer text.
            models.UniqueConstraint(fields=["user", "path", "form"], name="one_kept_draft_per_form")
        ]

    def __str__(self) -> str:
        return f"Kept draft {self.pk}"
