"""Staff set up organisations and link coordinator accounts to them. Enrollments, offers and
runs are not registered: they are person-level or only ever read as aggregates."""

from __future__ import annotations

from django.contrib import admin

from holdspace.programs.models import CoordinatorMembership, Organisation


class MembershipInline(admin.TabularInline[CoordinatorMembership, Organisation]):
    model = CoordinatorMembership
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "entity", "created")
    search_fields = ("name",)
    raw_id_fields = ("entity",)
    inlines = (MembershipInline,)
