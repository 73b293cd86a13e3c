from __future__ import annotations

from django import forms

from holdspace.core.taxonomy import PROFESSIONS
from holdspace.outreach.models import DeclineReason, Setting
from holdspace.widgets import DraftTextarea, WarnsUnsaved


class RequestForm(WarnsUnsaved, forms.Form):
    """What the seeker chooses to share; every field is optional."""

    profession = forms.ChoiceField(
        label="Your profession",
        required=False,
        choices=[("", "I'd rather not say"), *PROFESSIONS.items()],
    )
    setting = forms.ChoiceField(
        label="Where you work, roughly",
        required=False,
        choices=[("", "I'd rather not say"), *Setting.choices],
    )
    situation = forms.CharField(
        label="What's going on",
        required=False,
        max_length=2000,
        widget=DraftTextarea(attrs={"rows": 6}),
        help_text="As much or as little as you like. Don't include names or your workplace.",
    )
    preferred_times = forms.CharField(
        label="Times that suit you",
        required=False,
        max_length=200,
        help_text='For example "weekday evenings" or "Tuesday mornings".',
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason", choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="A kind note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They'll see it with your answer. Please don't include clinical advice.",
    )


class MessageForm(WarnsUnsaved, forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=4000,
        widget=DraftTextarea(attrs={"rows": 4}),
        error_messages={"required": "Write a message first."},
    )


class RevealForm(forms.Form):
    legal_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="The name you'd like them to use. Shown to this therapist only.",
    )
    share_email = forms.BooleanField(label="Also share my email address", required=False)
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)
