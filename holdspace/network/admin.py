"""Only shared entities are in the admin (to rename or tidy near-duplicates). Affiliations,
ties, avoid entries and identity keys are private and deliberately not registered."""

from __future__ import annotations

from django.contrib import admin

from holdspace.network.models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin[Entity]):
    list_display = ["name", "kind", "size"]
    list_filter = ["kind"]
    search_fields = ["name", "normalised_name"]
    readonly_fields = ["normalised_name", "created"]
    exclude = ["created_by"]  # who added a place would hint at who works there
