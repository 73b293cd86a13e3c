from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from holdspace.accounts.homes import home_url
from holdspace.accounts.models import Role, User

SITE_NAME = "Holdspace"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's own words where they reach people, in Holdspace's voice.
    error_messages = DefaultAccountAdapter.error_messages | {
        "email_password_mismatch": (
            "That email and password don't match an account. Check both and try again."
        ),
        "email_taken": "There's already an account with this email address. Try signing in.",
        "incorrect_password": "That password isn't right. Please try again.",
        "invalid_or_expired_key": "This link doesn't work any more. Please ask for a new one.",
        "invalid_password_reset": "This link doesn't work any more. Please ask for a new one.",
        "too_many_login_attempts": "Too many tries. Please wait a few minutes and try again.",
        "unknown_email": "No account uses this email address.",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth email names Holdspace and its address from settings, never the host
        name the request came in on (allauth's ``current_site`` is that host)."""
        site_url = settings.SITE_URL.rstrip("/")
        context = {
            "site_name": SITE_NAME,
            "site_url": site_url,
            "reset_url": site_url + reverse("account_reset_password"),
            **context,
        }
        super().send_mail(template_prefix, email, context)

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
