from __future__ import annotations

from django import forms

NOTE_MAX = 20_000


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Session note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Encrypted at rest. Once signed, a note can only be amended.",
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label="Amendment",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Kept beside the signed note, with its time; the note itself stays as signed.",
    )
