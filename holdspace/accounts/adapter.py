from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from holdspace.accounts.homes import home_url
from holdspace.accounts.models import Role, User


class AccountAdapter(DefaultAccountAdapter):
    # allauth prefers a safe ``next`` (checked by ``is_safe_url``) over both of these.
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Everyone lands on their own home (after the second step too), not the landing page."""
        return home_url(request.user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return home_url(request.user)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        # The role and pseudonym must be in place before the first save: the database
        # refuses a seeker without a pseudonym.
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.role = data.get("role") or Role.SEEKER
        # Only seekers are pseudonymous: a therapist is known by their profile's name, so the
        # pseudonym the form suggested is not kept for them.
        user.pseudonym = data.get("pseudonym", "") if user.role == Role.SEEKER else ""
        user.legal_name = data.get("legal_name", "")
        user.profession = data.get("profession", "")
        if commit:
            user.save()
        assert isinstance(user, User)
        return user
