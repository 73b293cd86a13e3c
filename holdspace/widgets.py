"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A plain <select> built in Python instead of one template render per <option>.

    The directory's filter form has about 130 options; rendering them through Django's widget
    templates was the slowest part of the browse page. Flat choices only (no option groups).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) in chosen else "", label)
                for code, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


# The attribute static/holdspace/unsaved-text.js looks for; "restored" marks text that is on
# screen but not saved, which counts as unsaved from the start.
WARN_UNSAVED = "data-warn-unsaved"


class DraftTextarea(forms.Textarea):
    """A textarea for something a person writes at length (a note, a message): with the
    page's unsaved-text script, leaving the page after changing it, without sending it,
    asks first. Without JavaScript it is a plain textarea."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({WARN_UNSAVED: "", **(attrs or {})})


class WarnsUnsaved(forms.BaseForm):
    """Form mixin: a bound form shown again was not saved (an error, a refusal), so its draft
    text counts as unsaved from the start; ``mark_restored`` does the same for text put back
    by the server (a draft kept across a sign-out)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.mark_restored()

    def mark_restored(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, DraftTextarea):
                field.widget.attrs[WARN_UNSAVED] = "restored"
