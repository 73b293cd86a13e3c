from __future__ import annotations

from django import forms


class ConfirmDeletionForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it’s you. Nothing is deleted until you press the button below.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
