"""Program forms. Plain forms that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.programs.models import Need, Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(label="Program name", max_length=120)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Enrollees see this. Say who the program is for and what it offers.",
    )
    starts = forms.DateField(
        label="Starts",
        widget=DateInput,
        help_text="The first day anyone can be offered a therapist.",
    )
    ends = forms.DateField(
        label="Ends (optional)",
        required=False,
        widget=DateInput,
        help_text="Leave empty if open-ended.",
    )
    jurisdictions = forms.MultipleChoiceField(
        label="States and territories where enrollees may be during sessions",
        choices=list(US_JURISDICTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one state or territory."},
    )
    session_allowance = forms.IntegerField(
        label="Sessions each person may have through the program",
        min_value=1,
        max_value=100,
        initial=6,
    )
    sponsor_paid = forms.BooleanField(
        label="The organisation pays for the sessions", required=False
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        if organisations is not None:
            organisation.queryset = organisations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", "The end date must be on or after the start date.")
        return cleaned


class EditProgramForm(ProgramForm):
    active = forms.BooleanField(label="Open: people can enroll and allocation runs", required=False)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Therapist's email (optional)",
        required=False,
        help_text="We'll email the link. Or leave this empty and copy the link yourself.",
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label="How many new clients can you take through this program?",
        min_value=1,
        max_value=50,
        initial=2,
        error_messages={"min_value": "Take at least one new client."},
    )


class EnrollForm(forms.Form):
    code = forms.CharField(
        label="Program code",
        max_length=40,
        help_text=(
            "The code your organisation gave you, like ABCD-EFGH-JKMN. Capitals don't matter."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    need = forms.ChoiceField(
        label="How soon would you like support?",
        choices=Need.choices,
        initial=Need.WEEKS,
        widget=forms.RadioSelect,
        help_text="When places are short, those who need support soonest are placed first.",
    )
    share_outcomes = forms.BooleanField(
        label="Count my check-in scores in the program's anonymous figures",
        required=False,
        help_text=(
            "Optional, and off unless you tick it. Only group averages of 11 or more people "
            "are ever shown; nobody sees your scores."
        ),
    )


class SharingForm(forms.Form):
    share_outcomes = EnrollForm.base_fields["share_outcomes"]
