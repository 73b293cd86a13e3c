from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from holdspace.core import zones
from holdspace.core.taxonomy import AUTHORIZATION_KINDS, PROFESSIONS


class TermKind(models.TextChoices):
    MODALITY = "modality", "Approach"
    FOCUS = "focus", "Focus area"
    FORMAT = "format", "Format"
    LANGUAGE = "language", "Language"
    PROFESSION = "profession", "Profession"


class Term(models.Model):
    """One taxonomy id with its label; rows are kept in step with holdspace.core.taxonomy."""

    kind = models.CharField(max_length=16, choices=TermKind.choices)
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="term_kind_code")]

    def __str__(self) -> str:
        return self.label


class TherapistProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile"
    )
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=30, blank=True)
    credentials = models.CharField(max_length=60, blank=True, help_text='For example "LCSW, PhD".')
    profession = models.CharField(max_length=32, choices=list(PROFESSIONS.items()))
    bio = models.TextField(max_length=2000, blank=True)
    photo = models.ImageField(upload_to="therapists/", blank=True)

    modalities = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to={"kind": TermKind.MODALITY}
    )
    focus_areas = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to={"kind": TermKind.FOCUS}
    )
    formats = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to={"kind": TermKind.FORMAT}
    )
    languages = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to={"kind": TermKind.LANGUAGE}
    )
    professions_served = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to={"kind": TermKind.PROFESSION}
    )
    clinician_experience_years = models.PositiveSmallIntegerField(
        default=0, help_text="Years of working with clinicians as clients."
    )

    fee = models.PositiveIntegerField(null=True, help_text="US dollars for a standard session.")
    sliding_scale = models.BooleanField(default=False)
    accepting = models.BooleanField(default=True)
    capacity = models.PositiveSmallIntegerField(default=0, help_text="New clients you can take.")
    office_zip = models.CharField(max_length=5, blank=True)
    office_jurisdiction = models.CharField(max_length=8, blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York")

    wizard_step = models.PositiveSmallIntegerField(default=1)
    published = models.BooleanField(default=False)
    last_confirmed = models.DateField(null=True, blank=True)
    confirm_reminder_sent = models.DateField(null=True, blank=True, editable=False)
    # Denormalised so that browsing 100,000 profiles is one indexed comparison: the last day
    # this profile may be listed (last confirmation + 30 days, capped by the latest verified
    # license's expiry), or null when it may not be listed at all. Both bounds are known when
    # something changes, so this stays true without a nightly job. See services.refresh_listing.
    listed_until = models.DateField(null=True, blank=True, editable=False)
    # Search columns kept by services.refresh_listing; see holdspace/directory/search.py.
    term_bits = models.BigIntegerField(default=0, editable=False)
    language_bits = models.BigIntegerField(default=0, editable=False)
    reach_bits = models.BigIntegerField(default=0, editable=False)
    reach_until = models.DateField(null=True, blank=True, editable=False)
    # When the row last changed (search.next_search_version): processes that keep the search
    # columns in memory (matching.search_index) re-read only rows changed since their last look.
    search_version = models.BigIntegerField(default=0, editable=False, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # Covering index: a browse or shortlist query reads only these entries, newest first.
            models.Index(
                fields=[
                    "listed_until",
                    "last_confirmed",
                    "term_bits",
                    "language_bits",
                    "reach_bits",
                    "reach_until",
                    "office_jurisdiction",
                    "fee",
                    "sliding_scale",
                    # read when ranking shortlist candidates (matching.selectors)
                    "clinician_experience_years",
                    "user",
                ],
                name="profile_browse",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(office_zip="", office_jurisdiction="")
                | (~Q(office_zip="") & ~Q(office_jurisdiction="")),
                name="office_zip_and_jurisdiction_together",
            ),
            models.CheckConstraint(
                condition=Q(profession__in=list(PROFESSIONS)), name="profile_profession_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def initials(self) -> str:
        """ "Dana Reyes" -> "DR", for the avatar shown when there is no photo."""
        words = self.display_name.split()
        picked = [words[0], words[-1]] if len(words) > 1 else words
        return "".join(word[0].upper() for word in picked)


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Could not be verified"


class License(models.Model):
    profile = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="licenses")
    profession = models.CharField(max_length=32, choices=list(PROFESSIONS.items()))
    jurisdiction = models.CharField(max_length=8)
    number = models.CharField(max_length=40)
    expires = models.DateField()
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["jurisdiction", "status", "expires", "profile"], name="license_lookup"
            ),
            # A profile's own licenses (listing refresh, loading match candidates).
            models.Index(fields=["profile", "status", "expires"], name="license_by_profile"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "profession", "number"], name="license_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VerificationStatus.values), name="license_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_profession_display()} license {self.number} ({self.jurisdiction})"


class Authorization(models.Model):
    """A compact authorisation: PSYPACT APIT (jurisdiction = home state) or a Counseling
    Compact privilege (jurisdiction = the state the privilege is for)."""

    profile = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="authorizations"
    )
    kind = models.CharField(max_length=40, choices=list(AUTHORIZATION_KINDS.items()))
    jurisdiction = models.CharField(max_length=8)
    expires = models.DateField()
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "status", "jurisdiction", "expires"], name="authz_lookup")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind", "jurisdiction"], name="authorization_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.jurisdiction})"


class VerificationEvent(models.Model):
    """Append-only record of every verification decision: who decided what, and when."""

    license = models.ForeignKey(License, null=True, blank=True, on_delete=models.SET_NULL)
    authorization = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.CharField(max_length=200)
    decision = models.CharField(max_length=16, choices=VerificationStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        when = zones.write(timezone.localtime(self.decided_at))  # the reader's zone, named
        return f"{self.description}: {self.decision} by {self.decided_by} at {when}"


class SavedTherapist(models.Model):
    """A therapist a seeker keeps on their compare list. The seeker's private data: listed in
    the "Your data" download and deleted with the account (mydata.coverage)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_therapists"
    )
    profile = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["saved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "profile"], name="saved_therapist_once")
        ]

    def __str__(self) -> str:
        return f"saved therapist {self.pk}"
