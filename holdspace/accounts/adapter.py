from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from holdspace.accounts.models import Role, User


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Therapists land on their listing (it says what still needs doing); others go home.
        user = request.user
        if isinstance(user, User) and user.role == Role.THERAPIST:
            return reverse("directory:dashboard")
        return str(super().get_login_redirect_url(request))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        # The role and pseudonym must be in place before the first save: the database
        # refuses a seeker without a pseudonym.
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.role = data.get("role") or Role.SEEKER
        user.pseudonym = data.get("pseudonym", "")
        user.legal_name = data.get("legal_name", "")
        user.profession = data.get("profession", "")
        if commit:
            user.save()
        assert isinstance(user, User)
        return user
