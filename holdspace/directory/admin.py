from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.directory import services
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


def _decide_each(
    request: HttpRequest, credentials: Iterable[License | Authorization], decision: str
) -> int:
    """Record one staff decision per credential through the services (who and when)."""
    staff = request.user
    assert isinstance(staff, User)
    count = 0
    for credential in credentials:
        if isinstance(credential, License):
            services.decide_license(license=credential, decision=decision, staff=staff)
        else:
            services.decide_authorization(authorization=credential, decision=decision, staff=staff)
        count += 1
    return count


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin[License]):
    list_display = ("profile", "profession", "jurisdiction", "number", "expires", "status")
    list_filter = ("status", "jurisdiction", "profession")
    search_fields = ("number", "profile__display_name")
    readonly_fields = ("status", "verified_by", "verified_at")
    actions = ["verify", "reject"]

    @admin.action(description="Verify selected licenses (checked with the licensing board)")
    def verify(self, request: HttpRequest, queryset: QuerySet[License]) -> None:
        count = _decide_each(request, queryset.select_related("profile"), VERIFIED)
        self.message_user(request, f"Verified {count} license(s).")

    @admin.action(description="Mark selected licenses as not verifiable")
    def reject(self, request: HttpRequest, queryset: QuerySet[License]) -> None:
        count = _decide_each(request, queryset.select_related("profile"), REJECTED)
        self.message_user(request, f"Rejected {count} license(s).")


@admin.register(Authorization)
class AuthorizationAdmin(admin.ModelAdmin[Authorization]):
    list_display = ("profile", "kind", "jurisdiction", "expires", "status")
    list_filter = ("status", "kind")
    readonly_fields = ("status", "verified_by", "verified_at")
    actions = ["verify", "reject"]

    @admin.action(description="Verify selected compact authorisations")
    def verify(self, request: HttpRequest, queryset: QuerySet[Authorization]) -> None:
        count = _decide_each(request, queryset.select_related("profile"), VERIFIED)
        self.message_user(request, f"Verified {count} authorisation(s).")

    @admin.action(description="Mark selected authorisations as not verifiable")
    def reject(self, request: HttpRequest, queryset: QuerySet[Authorization]) -> None:
        count = _decide_each(request, queryset.select_related("profile"), REJECTED)
        self.message_user(request, f"Rejected {count} authorisation(s).")


@admin.register(VerificationEvent)
class VerificationEventAdmin(ReadOnlyAdmin[VerificationEvent]):
    """Read-only: the record of verification decisions is never edited."""

    list_display = ("decided_at", "description", "decision", "decided_by")
    list_filter = ("decision",)
