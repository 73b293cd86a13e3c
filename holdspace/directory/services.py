"""Writes for the therapist directory. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.forms import ModelForm
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.core.compacts import load_compacts
from holdspace.core.taxonomy import FOCUS_AREAS, FORMATS, MODALITIES, PROFESSIONS
from holdspace.directory import search, selectors, tasks
from holdspace.directory.languages import LANGUAGES
from holdspace.directory.models import (
    Authorization,
    License,
    SavedTherapist,
    Term,
    TermKind,
    TherapistProfile,
    VerificationEvent,
    VerificationStatus,
)
from holdspace.queueing import enqueue_after_commit


class CompareListFull(ValueError):
    """The compare list already holds ``selectors.MAX_SAVED`` therapists."""


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


def refresh_listing(profile: TherapistProfile, *, today: dt.date | None = None) -> None:
    """Recompute ``listed_until`` and the search columns after anything that affects them."""
    today = today or timezone.localdate()
    verified = Q(status=VerificationStatus.VERIFIED)
    licenses = list(profile.licenses.filter(verified).values_list("jurisdiction", "expires"))
    authorizations = list(
        profile.authorizations.filter(verified).values_list("kind", "jurisdiction", "expires")
    )
    latest_license = max((expires for _, expires in licenses), default=None)
    listable = profile.published and profile.accepting and profile.capacity > 0
    if listable and profile.last_confirmed is not None and latest_license is not None:
        confirmed_until = profile.last_confirmed + dt.timedelta(days=settings.PROFILE_CONFIRM_DAYS)
        profile.listed_until = min(confirmed_until, latest_license)
    else:
        profile.listed_until = None

    codes = _codes_by_kind(profile)
    profile.term_bits = search.term_bits(
        modalities=codes.get(TermKind.MODALITY, []),
        focus=codes.get(TermKind.FOCUS, []),
        formats=codes.get(TermKind.FORMAT, []),
        professions_served=codes.get(TermKind.PROFESSION, []),
    )
    profile.language_bits = search.language_bits(codes.get(TermKind.LANGUAGE, []))
    reach = search.telehealth_reach(
        profession=profile.profession,
        licenses=licenses,
        authorizations=authorizations,
        today=today,
        compacts=load_compacts(),
    )
    profile.reach_bits, profile.reach_until = reach.bits, reach.until
    TherapistProfile.objects.filter(pk=profile.pk).update(
        listed_until=profile.listed_until,
        term_bits=profile.term_bits,
        language_bits=profile.language_bits,
        reach_bits=profile.reach_bits,
        reach_until=profile.reach_until,
        search_version=search.next_search_version(),
    )


def _codes_by_kind(profile: TherapistProfile) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for relation in ("modalities", "focus_areas", "formats", "languages", "professions_served"):
        for kind, code in getattr(profile, relation).values_list("kind", "code"):
            found.setdefault(kind, []).append(code)
    return found


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
    authorization = Authorization.objects.create(
        profile=profile, kind=kind, jurisdiction=jurisdiction, expires=expires
    )
    refresh_listing(profile)
    return authorization


@transaction.atomic
def remove_authorization(*, authorization: Authorization) -> None:
    profile = authorization.profile
    authorization.delete()
    refresh_listing(profile)


def _described(credential: License | Authorization, reason: str) -> str:
    """The record's description: what was decided on and, for a rejection, why (as told)."""
    text = f"{credential}; reason: {reason}" if reason else str(credential)
    return text[: VerificationEvent._meta.get_field("description").max_length]


def _tell_therapist(credential: License | Authorization, decision: str, reason: str) -> None:
    kind = "license" if isinstance(credential, License) else "authorization"
    enqueue_after_commit(
        partial(
            tasks.send_verification_email.enqueue,
            kind=kind,
            credential_id=credential.pk,
            decision=decision,
            reason=reason,
        ),
        what="a verification email",
    )


@transaction.atomic
def decide_license(
    *,
    license: License,
    decision: str,
    staff: User,
    reason: str = "",
    tell_therapist: bool = False,
) -> None:
    """Staff verify (or reject) a license; the decision is recorded with who and when (and
    why, for a rejection). ``tell_therapist`` emails them the decision, in plain words."""
    _decide(license, decision=decision, staff=staff)
    VerificationEvent.objects.create(
        license=license, description=_described(license, reason), decision=decision,
        decided_by=staff,
    )  # fmt: skip
    refresh_listing(license.profile)
    if tell_therapist:
        _tell_therapist(license, decision, reason)


@transaction.atomic
def decide_authorization(
    *,
    authorization: Authorization,
    decision: str,
    staff: User,
    reason: str = "",
    tell_therapist: bool = False,
) -> None:
    """Staff verify (or reject) a compact authorisation, recorded (and told) like licenses."""
    _decide(authorization, decision=decision, staff=staff)
    VerificationEvent.objects.create(
        authorization=authorization, description=_described(authorization, reason),
        decision=decision, decided_by=staff,
    )  # fmt: skip
    refresh_listing(authorization.profile)
    if tell_therapist:
        _tell_therapist(authorization, decision, reason)


def _decide(credential: License | Authorization, *, decision: str, staff: User) -> None:
    credential.status = decision
    credential.verified_by = staff
    credential.verified_at = timezone.now()
    credential.save(update_fields=["status", "verified_by", "verified_at"])


@transaction.atomic
def save_profile_form(
    *, form: ModelForm[TherapistProfile], next_step: int | None = None
) -> TherapistProfile:
    """Save a wizard step (fields and taxonomy choices) and keep the listing in step."""
    profile = form.save(commit=False)
    if next_step is not None and next_step > profile.wizard_step:
        profile.wizard_step = next_step
    profile.save()
    form.save_m2m()
    refresh_listing(profile)
    return profile


# --- the compare list -------------------------------------------------------------------------


def save_therapist(
    *, user: User, profile: TherapistProfile, now: dt.datetime | None = None
) -> SavedTherapist:
    """Keep ``profile`` on the seeker's compare list; saving it twice changes nothing.
    Raises CompareListFull when the list is full."""
    with transaction.atomic():
        existing = SavedTherapist.objects.filter(user=user, profile=profile).first()
        if existing is not None:
            return existing
        if SavedTherapist.objects.filter(user=user).count() >= selectors.MAX_SAVED:
            raise CompareListFull(selectors.MAX_SAVED)
        saved, _ = SavedTherapist.objects.get_or_create(
            user=user, profile=profile, defaults={"saved_at": now or timezone.now()}
        )
        return saved


def remove_saved_therapist(*, user: User, profile_id: int) -> bool:
    """Take a therapist off the seeker's own list; False when they were not on it."""
    removed, _ = SavedTherapist.objects.filter(user=user, profile_id=profile_id).delete()
    return bool(removed)


def keep_visit_list(*, user: User, profile_ids: list[int], now: dt.datetime | None = None) -> int:
    """After signing in or up: the therapists saved during the visit join the account's list
    (as far as it has room). Returns how many were added."""
    now = now or timezone.now()
    added = 0
    existing = TherapistProfile.objects.filter(pk__in=profile_ids).values_list("pk", flat=True)
    for profile_id in [pk for pk in profile_ids if pk in set(existing)]:
        with transaction.atomic():
            if SavedTherapist.objects.filter(user=user, profile_id=profile_id).exists():
                continue
            if SavedTherapist.objects.filter(user=user).count() >= selectors.MAX_SAVED:
                break
            SavedTherapist.objects.create(user=user, profile_id=profile_id, saved_at=now)
            added += 1
    return added
