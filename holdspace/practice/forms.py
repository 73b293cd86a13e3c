from __future__ import annotations

from django import forms

from holdspace.checkins.models import Instrument
from holdspace.practice.models import Cadence
from holdspace.widgets import DraftTextarea, WarnsUnsaved

NOTE_MAX = 20_000


class NoteForm(WarnsUnsaved, forms.Form):
    text = forms.CharField(
        label="Session note",
        max_length=NOTE_MAX,
        widget=DraftTextarea(attrs={"rows": 10}),
        help_text="Encrypted at rest. Once signed, a note can only be amended.",
        error_messages={
            "required": "Write the note first: an empty note can't be saved or signed."
        },
    )


class AmendmentForm(WarnsUnsaved, forms.Form):
    text = forms.CharField(
        label="Amendment",
        max_length=NOTE_MAX,
        widget=DraftTextarea(attrs={"rows": 5}),
        help_text="Kept beside the signed note, with its time; the note itself stays as signed.",
        error_messages={"required": "Write the amendment first."},
    )


class PlanForm(forms.Form):
    """Which check-in to ask the client for, and how often. Choices come from the models, so
    a posted value outside them is a clear error, never a saved row."""

    instrument = forms.ChoiceField(
        label="Check-in",
        choices=Instrument.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a check-in.",
            "invalid_choice": "Choose one of the check-ins listed.",
        },
    )
    cadence = forms.ChoiceField(
        label="How often",
        choices=Cadence.choices,
        widget=forms.RadioSelect,
        help_text="Before each session: sent when a confirmed session is 48 hours away.",
        error_messages={
            "required": "Choose how often to ask.",
            "invalid_choice": "Choose one of the options listed.",
        },
    )
