"""allauth's fields in Holdspace's voice: its title-case placeholders ("New Password (again)")
repeat the label, so they are dropped; the label says it once, in our words."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def without_placeholder(field: BoundField) -> BoundField:
    # Each form instance has its own deep copy of its fields and widgets: safe to change.
    field.field.widget.attrs.pop("placeholder", None)
    return field
