from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from holdspace.accounts.models import Role, User
from holdspace.accounts.pseudonyms import suggest_pseudonym
from holdspace.core.taxonomy import PROFESSIONS

SIGNUP_ROLES = [
    (Role.SEEKER.value, "I'm a clinician looking for support"),
    (Role.THERAPIST.value, "I'm a therapist who wants to offer support"),
]


class SignupDetailsForm(forms.Form):
    """Extra sign-up fields (allauth adds email and password). Only email, password and a
    pseudonym are needed; everything else is optional and private."""

    role = forms.ChoiceField(
        label="Which describes you?",
        choices=SIGNUP_ROLES,
        widget=forms.RadioSelect,
        initial=Role.SEEKER.value,
    )
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=40,
        required=False,
        help_text="The name therapists see until you choose to share more. "
        "We suggested one; change it if you like. Not needed for therapists.",
    )
    legal_name = forms.CharField(
        label="Your name (optional, private)",
        max_length=150,
        required=False,
        help_text="Never shown to anyone unless you choose to reveal it.",
    )
    profession = forms.ChoiceField(
        label="Your profession (optional, private)",
        choices=[("", "Prefer not to say"), *PROFESSIONS.items()],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("pseudonym", suggest_pseudonym())

    def clean_pseudonym(self) -> str:
        pseudonym = " ".join(self.cleaned_data.get("pseudonym", "").split())
        if "@" in pseudonym:
            raise forms.ValidationError("A pseudonym can’t be an email address.")
        return pseudonym

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Role.SEEKER and not cleaned.get("pseudonym"):
            self.add_error("pseudonym", "Choose a pseudonym (or keep the one we suggested).")
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        """allauth calls this after saving; the adapter already stored these fields."""
