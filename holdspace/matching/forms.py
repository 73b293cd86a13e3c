"""The Find flow's forms. Each screen is a plain form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from holdspace.core.geo import is_zip_format, zip_centroid
from holdspace.core.taxonomy import FOCUS_AREAS, FORMATS, IN_PERSON_FORMATS, MODALITIES, PROFESSIONS
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.languages import LANGUAGES
from holdspace.matching.answers import CRISIS_CHOICE

KM_PER_MILE = 1.609344
TRAVEL_CHOICES = [
    ("", "Anywhere in my state"),
    ("5", "Up to 5 miles"),
    ("10", "Up to 10 miles"),
    ("25", "Up to 25 miles"),
    ("50", "Up to 50 miles"),
]
STRICTNESS_CHOICES = [
    (
        "standard",
        "Standard: keep away anyone who shares a workplace unit, practice, training cohort or "
        "group with me (now or in the last five years), anyone I'm tied to, and anyone at a "
        "place I mark.",
    ),
    (
        "strict",
        "Strict: all of that, and also anyone tied to the people I list, and anyone from the "
        "same hospital system, university or association. You may see fewer therapists.",
    ),
]


class WhereForm(forms.Form):
    location = forms.ChoiceField(
        label="Where will you be during sessions?",
        choices=[("", "Choose a state or territory"), *US_JURISDICTIONS.items()],
        help_text="Where you physically are, even for video: therapists need a license there.",
    )
    formats = forms.MultipleChoiceField(
        label="How would you like to meet?",
        choices=list(FORMATS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way to meet."},
    )
    zip = forms.CharField(
        label="Your ZIP code (optional)",
        required=False,
        max_length=10,
        help_text="Only for meeting in person, to find offices near you.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    max_miles = forms.ChoiceField(
        label="How far can you travel to meet in person?",
        choices=TRAVEL_CHOICES,
        required=False,
    )

    def clean_zip(self) -> str:
        value: str = self.cleaned_data.get("zip", "").strip()
        if value and (not is_zip_format(value) or zip_centroid(value) is None):
            raise forms.ValidationError("Enter a 5-digit US ZIP code, like 80302.")
        return value[:5]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        in_person = IN_PERSON_FORMATS.intersection(cleaned.get("formats") or ())
        zip_code, location = cleaned.get("zip"), cleaned.get("location")
        if in_person and cleaned.get("max_miles") and not zip_code and "zip" not in self.errors:
            self.add_error("zip", "Add your ZIP code so we can measure the distance.")
        if zip_code and location:
            centroid = zip_centroid(zip_code)
            if centroid is not None and f"US-{centroid.state}" != location:
                self.add_error("zip", "This ZIP code is in another state than the one you chose.")
        return cleaned

    def max_km(self) -> float | None:
        miles = self.cleaned_data.get("max_miles")
        return round(int(miles) * KM_PER_MILE, 3) if miles else None


class NeedsForm(forms.Form):
    concerns = forms.MultipleChoiceField(
        label="What's weighing on you?",
        choices=[*FOCUS_AREAS.items(), (CRISIS_CHOICE, "Thoughts of ending my life")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose any that fit. You can leave this empty.",
    )
    modalities = forms.MultipleChoiceField(
        label="Approaches you're curious about",
        choices=list(MODALITIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Not sure? Leave these empty: that's fine, and common.",
    )
    max_fee = forms.IntegerField(
        label="Most you'd like to pay per session (US dollars, optional)",
        required=False,
        min_value=0,
        max_value=2000,
        error_messages={"min_value": "The budget can't be negative."},
    )
    language = forms.ChoiceField(
        label="Language for sessions",
        choices=[("", "Any language"), *LANGUAGES.items()],
        required=False,
        initial="en",
    )
    profession = forms.ChoiceField(
        label="Your profession (optional)",
        choices=[("", "Prefer not to say"), *PROFESSIONS.items()],
        required=False,
        help_text="Some therapists know particular professions well.",
    )


class StrictnessForm(forms.Form):
    strictness = forms.ChoiceField(
        label="How far apart should we keep you?",
        choices=STRICTNESS_CHOICES,
        widget=forms.RadioSelect,
        initial="standard",
    )
