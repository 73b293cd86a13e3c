"""Writes for the therapist directory. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.core.taxonomy import FOCUS_AREAS, FORMATS, MODALITIES, PROFESSIONS
from holdspace.directory.languages import LANGUAGES
from holdspace.directory.models import (
    Authorization,
    License,
    Term,
    TermKind,
    TherapistProfile,
    VerificationEvent,
    VerificationStatus,
)

_TERM_SOURCES: dict[str, dict[str, str]] = {
    TermKind.MODALITY: MODALITIES,
    TermKind.FOCUS: FOCUS_AREAS,
    TermKind.FORMAT: FORMATS,
    TermKind.LANGUAGE: LANGUAGES,
    TermKind.PROFESSION: PROFESSIONS,
}


def sync_terms() -> None:
    """Make the Term table match the taxonomy (labels and order); never deletes rows in use."""
    for kind, source in _TERM_SOURCES.items():
        for position, (code, label) in enumerate(source.items()):
            Term.objects.update_or_create(
                kind=kind, code=code, defaults={"label": label, "position": position}
            )


def refresh_listing(profile: TherapistProfile) -> None:
    """Recompute ``listed_until`` after anything that affects whether the profile is listed."""
    latest_license = profile.licenses.filter(status=VerificationStatus.VERIFIED).aggregate(
        latest=Max("expires")
    )["latest"]
    listable = profile.published and profile.accepting and profile.capacity > 0
    if listable and profile.last_confirmed is not None and latest_license is not None:
        confirmed_until = profile.last_confirmed + dt.timedelta(days=settings.PROFILE_CONFIRM_DAYS)
        profile.listed_until = min(confirmed_until, latest_license)
    else:
        profile.listed_until = None
    TherapistProfile.objects.filter(pk=profile.pk).update(listed_until=profile.listed_until)


def start_profile(*, user: User, display_name: str, profession: str) -> TherapistProfile:
    return TherapistProfile.objects.create(
        user=user, display_name=display_name, profession=profession
    )


@transaction.atomic
def confirm_profile(*, profile: TherapistProfile, today: dt.date | None = None) -> None:
    """The therapist says the profile is still accurate; it stays listed for 30 more days."""
    profile.last_confirmed = today or timezone.localdate()
    profile.save(update_fields=["last_confirmed", "updated"])
    refresh_listing(profile)


REMIND_AFTER_DAYS = 23


def send_confirmation_reminders(*, today: dt.date, site_url: str) -> int:
    """Email therapists whose profile will be hidden within a week (or already is) unless they
    confirm it; at most one reminder a week. Returns how many were sent."""
    due = (
        TherapistProfile.objects.filter(
            published=True, last_confirmed__lte=today - dt.timedelta(days=REMIND_AFTER_DAYS)
        )
        .filter(
            Q(confirm_reminder_sent__isnull=True)
            | Q(confirm_reminder_sent__lte=today - dt.timedelta(days=7))
        )
        .select_related("user")
    )
    sent = 0
    for profile in due:
        assert profile.last_confirmed is not None
        hidden_on = profile.last_confirmed + dt.timedelta(days=settings.PROFILE_CONFIRM_DAYS + 1)
        when = "is now hidden" if hidden_on <= today else f"will be hidden on {hidden_on:%-d %B}"
        send_mail(
            subject="Holdspace: please confirm your profile",
            message=(
                f"Hello {profile.display_name},\n\n"
                f"Your Holdspace profile {when} because it hasn't been confirmed for a while. "
                "We hide unconfirmed profiles so that nobody writes to a therapist who isn't "
                "there.\n\nIf your details are still right, one click confirms them:\n"
                f"{site_url.rstrip('/')}{reverse('directory:dashboard')}\n"
            ),
            from_email=None,
            recipient_list=[profile.user.email],
        )
        TherapistProfile.objects.filter(pk=profile.pk).update(confirm_reminder_sent=today)
        sent += 1
    return sent


@transaction.atomic
def publish_profile(*, profile: TherapistProfile, today: dt.date | None = None) -> None:
    profile.published = True
    profile.last_confirmed = today or timezone.localdate()
    profile.save(update_fields=["published", "last_confirmed", "updated"])
    refresh_listing(profile)


@transaction.atomic
def unpublish_profile(*, profile: TherapistProfile) -> None:
    profile.published = False
    profile.save(update_fields=["published", "updated"])
    refresh_listing(profile)


@transaction.atomic
def add_license(
    *, profile: TherapistProfile, profession: str, jurisdiction: str, number: str, expires: dt.date
) -> License:
    license = License.objects.create(
        profile=profile,
        profession=profession,
        jurisdiction=jurisdiction,
        number=number,
        expires=expires,
    )
    refresh_listing(profile)
    return license


@transaction.atomic
def remove_license(*, license: License) -> None:
    profile = license.profile
    license.delete()
    refresh_listing(profile)


@transaction.atomic
def add_authorization(
    *, profile: TherapistProfile, kind: str, jurisdiction: str, expires: dt.date
) -> Authorization:
    return Authorization.objects.create(
        profile=profile, kind=kind, jurisdiction=jurisdiction, expires=expires
    )


@transaction.atomic
def remove_authorization(*, authorization: Authorization) -> None:
    authorization.delete()


@transaction.atomic
def decide_license(*, license: License, decision: str, staff: User) -> None:
    """Staff verify (or reject) a license; the decision is recorded with who and when."""
    license.status = decision
    license.verified_by = staff
    license.verified_at = timezone.now()
    license.save(update_fields=["status", "verified_by", "verified_at"])
    VerificationEvent.objects.create(
        license=license, description=str(license), decision=decision, decided_by=staff
    )
    refresh_listing(license.profile)


@transaction.atomic
def decide_authorization(*, authorization: Authorization, decision: str, staff: User) -> None:
    authorization.status = decision
    authorization.verified_by = staff
    authorization.verified_at = timezone.now()
    authorization.save(update_fields=["status", "verified_by", "verified_at"])
    VerificationEvent.objects.create(
        authorization=authorization,
        description=str(authorization),
        decision=decision,
        decided_by=staff,
    )


@transaction.atomic
def save_profile_changes(*, profile: TherapistProfile, next_step: int | None = None) -> None:
    """Save a wizard step (the caller has applied the form) and keep the listing in step."""
    if next_step is not None and next_step > profile.wizard_step:
        profile.wizard_step = next_step
    profile.save()
    refresh_listing(profile)
