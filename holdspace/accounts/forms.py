from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from holdspace.accounts.models import Role, User
from holdspace.accounts.pseudonyms import suggest_pseudonym
from holdspace.core import zones
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


class TimeZoneForm(forms.Form):
    """The zone a person reads times in: any IANA name, offered as a select. ``everywhere``
    lists every place (the account page); otherwise the common zones, the person's own and
    ``also`` (the booking pages, where a short list keeps the page light on a phone)."""

    time_zone = forms.CharField(label="Show times in", max_length=64, widget=forms.Select)

    def __init__(
        self,
        *args: Any,
        current: str = "",
        everywhere: bool = True,
        also: tuple[str, ...] = (),
        next_path: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Where to go back to, sent as a hidden "next" input. Not a field: the view checks it
        # is a path of ours and ignores anything else, so it can never fail the form.
        self.next_path = next_path
        if everywhere:
            choices: list[Any] = list(zones.grouped_choices(current))
            self.fields["time_zone"].help_text = (
                "The common ones come first, then every place by region and city: "
                "pick a city in your zone."
            )
        else:
            choices = list(zones.COMMON)
            for name in (current, *also):
                if name and zones.is_known(name) and name not in dict(choices):
                    choices.append((name, zones.label(name)))
        widget = self.fields["time_zone"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = choices

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"].strip()
        if not zones.is_known(name):
            raise forms.ValidationError(
                f"“{name}” is not a time zone we know. Choose one from the list."
            )
        return name
