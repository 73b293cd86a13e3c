from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from holdspace.accounts.models import User
from holdspace.directory import services
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import (
    Authorization,
    License,
    TherapistProfile,
    VerificationEvent,
    VerificationStatus,
)
from holdspace.readonly_admin import ReadOnlyAdmin


class LicenseInline(admin.TabularInline[License, TherapistProfile]):
    model = License
    extra = 0
    readonly_fields = ("status", "verified_by", "verified_at")


class AuthorizationInline(admin.TabularInline[Authorization, TherapistProfile]):
    model = Authorization
    extra = 0
    readonly_fields = ("status", "verified_by", "verified_at")


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin[TherapistProfile]):
    list_display = ("display_name", "profession", "published", "last_confirmed", "listed_until")
    list_filter = ("profession", "published", "accepting")
    search_fields = ("display_name", "user__email")
    readonly_fields = ("listed_until", "created", "updated")
    inlines = [LicenseInline, AuthorizationInline]


VERIFIED, REJECTED = VerificationStatus.VERIFIED, VerificationStatus.REJECTED

# Where staff check a credential. National lookups where one exists; otherwise the state
# board's own license lookup (there is one per board; staff search for it by name).
NATIONAL_LOOKUPS = {
    "nurse": ("Nursys QuickConfirm (national nurse license lookup)", "https://www.nursys.com/"),
    "nurse_practitioner": (
        "Nursys QuickConfirm (national nurse license lookup)",
        "https://www.nursys.com/",
    ),
    "physician": ("DocInfo, by the Federation of State Medical Boards", "https://www.docinfo.org/"),
    "psychiatrist": (
        "DocInfo, by the Federation of State Medical Boards",
        "https://www.docinfo.org/",
    ),
}
COMPACT_LOOKUPS = {
    "psypact_apit": (
        "The PSYPACT Commission's list of authorisation holders",
        "https://psypact.gov/",
    ),
    "counseling_compact_privilege": (
        "The Counseling Compact Commission's privilege lookup",
        "https://counselingcompact.gov/",
    ),
}


def source_to_check(credential: License | Authorization) -> tuple[str, str]:
    """(what to check, a link or "") for one credential."""
    place = US_JURISDICTIONS.get(credential.jurisdiction, credential.jurisdiction)
    if isinstance(credential, Authorization):
        return COMPACT_LOOKUPS.get(credential.kind, (f"The compact's records for {place}", ""))
    if credential.profession in NATIONAL_LOOKUPS:
        return NATIONAL_LOOKUPS[credential.profession]
    profession = credential.get_profession_display().lower()
    return (f"The {place} board that licenses {profession}s: its online license lookup", "")


class RejectReason(forms.Form):
    """Why a credential couldn't be verified, in words the therapist is sent as they are."""

    REASONS = {
        "not_found": "We couldn't find this number on the licensing board's register.",
        "mismatch": (
            "The board's record doesn't match what you entered (the name, profession or state)."
        ),
        "not_active": "The board lists it as expired, inactive or restricted.",
        "other": "",
    }
    reason = forms.ChoiceField(
        label="Reason (sent to the therapist)",
        choices=[
            ("not_found", "Not on the board's register"),
            ("mismatch", "Details don't match the board's record"),
            ("not_active", "Expired, inactive or restricted"),
            ("other", "Something else (say what below)"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note to the therapist (optional; needed for “something else”)",
        required=False,
        max_length=150,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain words, no jargon. It's sent to them by email as you write it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "other" and not data.get("note", "").strip():
            self.add_error("note", "Say what the problem is; the therapist will read it.")
        return data

    def plain_words(self) -> str:
        said = self.REASONS[self.cleaned_data["reason"]]
        note = self.cleaned_data["note"].strip()
        return f"{said} {note}".strip()


def _title(decision: str, noun: str, count: int) -> str:
    verb = "Verify" if decision == VERIFIED else "Reject"
    return f"{verb} this {noun}?" if count == 1 else f"{verb} these {count} {noun}s?"


class DecisionAdmin[Credential: (License, Authorization)](admin.ModelAdmin[Credential]):
    """Verify or reject with Django's intermediate-page pattern: the action shows what is
    being decided (number, place, the therapist's name, where to check) and, for a
    rejection, asks for the reason sent to the therapist; nothing changes before "Yes"."""

    actions = ["verify", "reject"]
    noun = "credential"

    def _decide(
        self, request: HttpRequest, credentials: Iterable[Credential], decision: str, reason: str
    ) -> int:
        staff = request.user
        assert isinstance(staff, User)
        count = 0
        for credential in credentials:
            if isinstance(credential, License):
                services.decide_license(
                    license=credential, decision=decision, staff=staff, reason=reason,
                    tell_therapist=True,
                )  # fmt: skip
            else:
                services.decide_authorization(
                    authorization=credential, decision=decision, staff=staff, reason=reason,
                    tell_therapist=True,
                )  # fmt: skip
            count += 1
        return count

    def _review(
        self,
        request: HttpRequest,
        queryset: QuerySet[Credential],
        decision: str,
    ) -> TemplateResponse | None:
        credentials = list(queryset.select_related("profile", "profile__user"))
        form = RejectReason(request.POST if "post" in request.POST else None)
        confirmed = request.POST.get("post") == "yes"
        if confirmed and (decision == VERIFIED or form.is_valid()):
            reason = form.plain_words() if decision == REJECTED else ""
            count = self._decide(request, credentials, decision, reason)
            verb = "Verified" if decision == VERIFIED else "Marked as not verifiable"
            noun = ngettext(self.noun, f"{self.noun}s", count)
            told = "each therapist" if count > 1 else "the therapist"
            self.message_user(
                request, f"{verb}: {count} {noun}. We've emailed {told}.", messages.SUCCESS
            )
            return None
        opts = self.model._meta
        return TemplateResponse(
            request,
            "directory/admin/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": _title(decision, self.noun, len(credentials)),
                "opts": opts,
                "verifying": decision == VERIFIED,
                "rows": [
                    {
                        "credential": c,
                        "place": US_JURISDICTIONS.get(c.jurisdiction, c.jurisdiction),
                        "source": source_to_check(c),
                    }
                    for c in credentials
                ],
                "form": form,
                "action": request.POST.get("action", ""),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "noun": self.noun,
            },
        )

    @admin.action(description="Verify selected (you'll check each against its source first)")
    def verify(
        self, request: HttpRequest, queryset: QuerySet[Credential]
    ) -> TemplateResponse | None:
        return self._review(request, queryset, VERIFIED)

    @admin.action(description="Reject selected as not verifiable (you'll give a reason)")
    def reject(
        self, request: HttpRequest, queryset: QuerySet[Credential]
    ) -> TemplateResponse | None:
        return self._review(request, queryset, REJECTED)


class StatusFilter(admin.SimpleListFilter):
    """Waiting for verification first: the staff home links to ``?status=pending``."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in VerificationStatus.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(License)
class LicenseAdmin(DecisionAdmin[License]):
    list_display = ("therapist", "profession", "jurisdiction", "number", "expires", "status")
    list_filter = (StatusFilter, "jurisdiction", "profession")
    search_fields = ("number", "profile__display_name")
    readonly_fields = ("status", "verified_by", "verified_at")
    list_select_related = ("profile",)
    noun = "license"

    @admin.display(description="Therapist", ordering="profile__display_name")
    def therapist(self, license: License) -> str:
        return license.profile.display_name


@admin.register(Authorization)
class AuthorizationAdmin(DecisionAdmin[Authorization]):
    list_display = ("therapist", "kind", "jurisdiction", "expires", "status")
    list_filter = (StatusFilter, "kind")
    readonly_fields = ("status", "verified_by", "verified_at")
    list_select_related = ("profile",)
    noun = "authorisation"

    @admin.display(description="Therapist", ordering="profile__display_name")
    def therapist(self, authorization: Authorization) -> str:
        return authorization.profile.display_name


@admin.register(VerificationEvent)
class VerificationEventAdmin(ReadOnlyAdmin[VerificationEvent]):
    """Read-only: the record of verification decisions is never edited."""

    list_display = ("decided_at", "description", "decision", "decided_by")
    list_filter = ("decision",)
