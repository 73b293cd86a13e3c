"""Multi-factor authentication (django-allauth MFA) as Holdspace uses it.

Therapists, coordinators and staff must have an authenticator (an app or a passkey) before they
see any client or program data; seekers may add one. The adapter keeps TOTP secrets and
recovery-code seeds encrypted at rest with ``settings.ENCRYPTION_KEYS`` (``holdspace.crypto``).
"""

from __future__ import annotations

from typing import Any, TypeGuard

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from holdspace import crypto
from holdspace.accounts.models import Role, User

# Where allauth keeps values it encrypted through ``MFAAdapter.encrypt`` in an
# authenticator's ``data`` (a string, or a list of strings for migrated recovery codes).
# Passkeys (WebAuthn) hold only public keys and are not encrypted.
ENCRYPTED_DATA: dict[str, tuple[str, ...]] = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed", "migrated_codes"),
}
MFA_REQUIRED_ROLES = frozenset({Role.THERAPIST, Role.COORDINATOR, Role.STAFF})
# Recovery codes back up a real factor; on their own they are not one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def mfa_required(user: AbstractBaseUser | AnonymousUser) -> TypeGuard[User]:
    """Whether this account must have MFA: staff-like roles, and any Django staff account."""
    if not isinstance(user, User):
        return False
    return user.role in MFA_REQUIRED_ROLES or user.is_staff or user.is_superuser


def has_second_factor(user: AbstractBaseUser) -> bool:
    return bool(Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists())


def rotated_data(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """An authenticator's ``data`` with every encrypted value under the newest key
    (``manage.py rotate_keys``). Raises ``crypto.DecryptionError`` if no key opens one."""
    result = dict(data)
    for key in ENCRYPTED_DATA.get(kind, ()):
        value = result.get(key)
        if isinstance(value, str):
            result[key] = crypto.rotate(value)
        elif isinstance(value, list):
            result[key] = [crypto.rotate(item) for item in value]
    return result


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth.mfa is untyped
    error_messages = DefaultMFAAdapter.error_messages | {
        "incorrect_code": (
            "That code didn't work. Type the newest code your app shows for Holdspace, "
            "or one of your recovery codes."
        ),
        "unverified_email": (
            "Please confirm your email address first (we've emailed you a link), "
            "then add a second step."
        ),
        "cannot_delete_authenticator": (
            "Your account needs a second step, so this one can't be removed until you add another."
        ),
        "add_email_blocked": ("An email address can't be added while two-step sign-in is on."),
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Someone who must use MFA can swap factors (add a passkey, then remove the app) but
        # cannot remove their last one.
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not mfa_required(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return bool(others.exists())
