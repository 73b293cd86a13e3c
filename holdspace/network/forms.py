"""Forms for places and people, shared by the therapist's network page and the Find flow.

A person is typed once and hashed in ``clean``: views receive only the keyed hash and a masked
reminder ("D… R…", ``core.masks``), so the raw email, name or license number is never stored,
put in the session or logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from holdspace.core.masks import mask_identifier
from holdspace.network.keys import person_key
from holdspace.network.models import EntityKind, IdentifierKind, TieKind
from holdspace.network.names import normalise_entity_name

FIRST_YEAR = 1950


def _this_year() -> int:
    return timezone.localdate().year


class PlaceForm(forms.Form):
    """One place: typed (or picked from suggestions), with optional years."""

    name = forms.CharField(
        label="Name of the place or group",
        max_length=200,
        help_text="For example “St. Mary's Hospital — Emergency Department”. "
        "Start typing to pick one others have added, so you both mean the same place.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    entity = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="What kind of place", choices=EntityKind.choices)
    start_year = forms.IntegerField(label="From (year)", required=False)
    end_year = forms.IntegerField(
        label="To (year)", required=False, help_text="Leave empty if you are still there."
    )
    exclude_all = forms.BooleanField(
        label="Exclude anyone there, whatever the years", required=False
    )
    # "Did you mean": an entity id from the suggestions, or "new" to add the name as typed.
    pick = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, seeker: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": EntityKind.EMPLOYER_UNIT})
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(
            {
                "list": f"{self['name'].auto_id}_options",
                "data-entity-search": reverse("network:entity_search"),
            }
        )
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "min": FIRST_YEAR, "max": _this_year()}
            )
        if not seeker:  # "exclude anyone there" protects seekers; therapists just declare
            del self.fields["exclude_all"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if not normalise_entity_name(name):  # "[]" or "The Hospital" names no place
            raise forms.ValidationError("Enter the name of the place in words.")
        return name

    def _year(self, name: str) -> int | None:
        year: int | None = self.cleaned_data.get(name)
        if year is not None and not FIRST_YEAR <= year <= _this_year():
            raise forms.ValidationError(f"Enter a year between {FIRST_YEAR} and {_this_year()}.")
        return year

    def clean_start_year(self) -> int | None:
        return self._year("start_year")

    def clean_end_year(self) -> int | None:
        return self._year("end_year")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and start > end:
            self.add_error("end_year", "The end year can't be before the start year.")
        return cleaned

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """Whole years: from 1 January of the first to 31 December of the last."""
        start, end = self.cleaned_data.get("start_year"), self.cleaned_data.get("end_year")
        return (
            dt.date(start, 1, 1) if start else None,
            dt.date(end, 12, 31) if end else None,
        )


class _PersonForm(forms.Form):
    identifier_kind = forms.ChoiceField(
        label="I know them by", choices=IdentifierKind.choices, initial=IdentifierKind.EMAIL
    )
    value = forms.CharField(
        label="Their email, full name or license number",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="We keep only a scrambled fingerprint of this and its initials "
        "(like “D… R…”), never the text itself.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, value = cleaned.get("identifier_kind"), cleaned.get("value")
        if kind and value and not any(ch.isalnum() for ch in value):
            # Only spaces, punctuation or invisible characters: that names nobody.
            self.add_error("value", "Please enter an email, a full name or a license number.")
            return cleaned
        if kind and value:
            if kind == IdentifierKind.EMAIL:
                try:
                    validate_email("".join(value.split()))
                except forms.ValidationError:
                    self.add_error("value", "That doesn't look like an email address.")
                    return cleaned
            try:
                cleaned["digest"] = person_key(kind, value)
            except ValueError:
                self.add_error("value", "Please enter an email, a full name or a license number.")
            else:
                cleaned["label"] = mask_identifier(kind, value)
        return cleaned

    @property
    def digest(self) -> str:
        return str(self.cleaned_data["digest"])

    @property
    def label(self) -> str:
        """The masked reminder the owner reads back: "D… R…", "j…@…", "…42"."""
        return str(self.cleaned_data["label"])


class AvoidForm(_PersonForm):
    """Someone you never want to be matched with."""


class TieForm(_PersonForm):
    """Someone close to you: in strict mode, anyone tied to them is kept away too."""

    tie_kind = forms.ChoiceField(
        label="They are your", choices=TieKind.choices, initial=TieKind.COLLEAGUE
    )

    field_order = ["tie_kind", "identifier_kind", "value"]
