from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

import zipcodes
from django import forms
from django.utils import timezone

from holdspace.core.taxonomy import AUTHORIZATION_KINDS, PROFESSIONS
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import Term, TermKind, TherapistProfile
from holdspace.widgets import QuickSelect

JURISDICTION_CHOICES = [("", "Choose a state or territory"), *US_JURISDICTIONS.items()]
US_TIME_ZONES = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Arizona (no daylight saving)"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico, Virgin Islands)"),
    ("Pacific/Guam", "Chamorro (Guam, Northern Mariana Islands)"),
    ("Pacific/Pago_Pago", "Samoa"),
]
MAX_PHOTO_BYTES = 2 * 1024 * 1024
# zipcodes has no type information; this is the one call we make.
_zip_matches: Callable[[str], list[dict[str, Any]]] = zipcodes.matching


class TermChoiceField(forms.ModelMultipleChoiceField[Term]):
    """Checkboxes for taxonomy terms, submitted and validated by their ids ("emdr")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, kind: str, noun: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=Term.objects.filter(kind=kind),
            to_field_name="code",
            error_messages={
                "invalid_choice": f"“%(value)s” is not {noun} we know. Choose from the list.",
                "invalid_pk_value": f"“%(pk)s” is not {noun} we know. Choose from the list.",
            },
            **kwargs,
        )

    def label_from_instance(self, obj: Term) -> str:
        return obj.label


@functools.cache
def _known_time_zones() -> frozenset[str]:
    # Listing the zone database reads the disk each time; it doesn't change while we run.
    return frozenset(zoneinfo.available_timezones())


class AboutForm(forms.ModelForm[TherapistProfile]):
    class Meta:
        model = TherapistProfile
        fields = ["display_name", "pronouns", "credentials", "profession", "bio", "photo"]
        labels = {"display_name": "Name shown to clients", "bio": "About you and your work"}
        help_texts = {
            "bio": "A few warm sentences: who you see, how you work, what a first session is "
            "like. Up to 2,000 characters.",
            "photo": "Optional. Without one we show your initials.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise forms.ValidationError("Please choose a photo smaller than 2 MB.")
        return photo


class PracticeForm(forms.ModelForm[TherapistProfile]):
    modalities = TermChoiceField(TermKind.MODALITY, "an approach", label="Approaches you use")
    focus_areas = TermChoiceField(TermKind.FOCUS, "a focus area", label="What you help with")
    formats = TermChoiceField(TermKind.FORMAT, "a format", label="How you meet", required=True)
    languages = TermChoiceField(
        TermKind.LANGUAGE, "a language", label="Languages you offer sessions in", required=True
    )
    professions_served = TermChoiceField(
        TermKind.PROFESSION, "a profession", label="Clinicians you have worked with"
    )

    class Meta:
        model = TherapistProfile
        fields = [
            "modalities",
            "focus_areas",
            "formats",
            "languages",
            "clinician_experience_years",
            "professions_served",
        ]
        labels = {"clinician_experience_years": "Years working with clinicians as clients"}


class FeesForm(forms.ModelForm[TherapistProfile]):
    fee = forms.IntegerField(
        label="Fee for a standard session (US dollars)",
        min_value=0,
        max_value=2000,
        error_messages={
            "min_value": "The fee can't be negative. Enter 0 if you offer sessions free.",
            "max_value": "Please enter a fee of $2,000 or less.",
            "invalid": "Enter the fee as a whole number of dollars, like 150.",
        },
    )
    capacity = forms.IntegerField(
        label="New clients you can take now",
        min_value=0,
        max_value=50,
        error_messages={"min_value": "Capacity can't be negative."},
    )
    office_jurisdiction = forms.ChoiceField(
        label="Office state", choices=JURISDICTION_CHOICES, required=False
    )
    office_zip = forms.CharField(
        label="Office ZIP code",
        required=False,
        max_length=10,
        help_text="Leave both office fields empty if you only meet by video or phone.",
    )
    time_zone = forms.ChoiceField(label="Your time zone", choices=US_TIME_ZONES)

    class Meta:
        model = TherapistProfile
        fields = [
            "fee",
            "sliding_scale",
            "accepting",
            "capacity",
            "office_jurisdiction",
            "office_zip",
            "time_zone",
        ]
        labels = {
            "sliding_scale": "I offer a sliding scale",
            "accepting": "I am accepting new clients",
        }

    def clean_office_zip(self) -> str:
        zip_code: str = self.cleaned_data.get("office_zip", "").strip()
        if not zip_code:
            return ""
        if not (len(zip_code) == 5 and zip_code.isdigit()):
            raise forms.ValidationError("Enter a 5-digit US ZIP code, like 80302.")
        if not _zip_matches(zip_code):
            raise forms.ValidationError(f"We can't find the ZIP code {zip_code}.")
        return zip_code

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"]
        if name not in _known_time_zones():
            raise forms.ValidationError("Choose a time zone from the list.")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zip_code, state = cleaned.get("office_zip"), cleaned.get("office_jurisdiction")
        if "office_zip" in self.errors:
            return cleaned
        if bool(zip_code) != bool(state):
            self.add_error(
                "office_zip" if state else "office_jurisdiction",
                "Give both the office state and ZIP code, or neither.",
            )
        elif zip_code and state:
            zip_state = "US-" + str(_zip_matches(zip_code)[0]["state"])
            if zip_state != state:
                self.add_error(
                    "office_zip",
                    f"ZIP code {zip_code} is in {US_JURISDICTIONS.get(zip_state, zip_state)}, "
                    f"not {US_JURISDICTIONS[state]}.",
                )
        return cleaned


def _future_date(value: dt.date) -> dt.date:
    if value < timezone.localdate():
        raise forms.ValidationError(
            "This date has passed. Renew the license first, then add it with the new date."
        )
    return value


class LicenseForm(forms.Form):
    profession = forms.ChoiceField(choices=list(PROFESSIONS.items()))
    jurisdiction = forms.ChoiceField(label="State or territory", choices=JURISDICTION_CHOICES)
    number = forms.CharField(label="License number", max_length=40)
    expires = forms.DateField(
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split()).upper()
        if not any(character.isalnum() for character in number):
            raise forms.ValidationError("Enter the license number as printed on your license.")
        return number

    def clean_expires(self) -> dt.date:
        return _future_date(self.cleaned_data["expires"])


class AuthorizationForm(forms.Form):
    kind = forms.ChoiceField(label="Compact", choices=list(AUTHORIZATION_KINDS.items()))
    jurisdiction = forms.ChoiceField(
        label="State",
        choices=JURISDICTION_CHOICES,
        help_text="For PSYPACT, your home state. For a Counseling Compact privilege, "
        "the state the privilege is for.",
    )
    expires = forms.DateField(
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )

    def clean_expires(self) -> dt.date:
        return _future_date(self.cleaned_data["expires"])


class BrowseForm(forms.Form):
    """Directory filters (GET). Everything optional; bad values get a message, not a crash."""

    location = forms.ChoiceField(
        label="Where you'll be during sessions",
        choices=[("", "Anywhere in the US"), *US_JURISDICTIONS.items()],
        required=False,
        widget=QuickSelect,
        help_text="For video and phone sessions, what counts is where you are at the time.",
    )
    format = forms.ChoiceField(label="How you'd like to meet", required=False, widget=QuickSelect)
    modality = forms.ChoiceField(label="Approach", required=False, widget=QuickSelect)
    focus = forms.ChoiceField(label="What's weighing on you", required=False, widget=QuickSelect)
    language = forms.ChoiceField(label="Language", required=False, widget=QuickSelect)
    max_fee = forms.IntegerField(
        label="Most you can pay per session ($)",
        required=False,
        min_value=0,
        error_messages={
            "min_value": "Enter an amount of $0 or more.",
            "invalid": "Enter a whole number of dollars, like 120.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.order_by("position").values_list("kind", "code", "label")
        grouped: dict[str, list[tuple[str, str]]] = {}
        for kind, code, label in terms:
            grouped.setdefault(kind, []).append((code, label))
        for name, kind in (
            ("format", TermKind.FORMAT),
            ("modality", TermKind.MODALITY),
            ("focus", TermKind.FOCUS),
            ("language", TermKind.LANGUAGE),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Any"), *grouped.get(kind, [])]
