"""Identity keys follow email, names and license numbers, so avoid entries and ties find people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from holdspace.accounts.models import Role
from holdspace.directory import services as directory
from holdspace.network.keys import person_key
from holdspace.network.models import IdentityKey
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db


def keys_of(user_id: int) -> set[str]:
    return set(IdentityKey.objects.filter(user_id=user_id).values_list("digest", flat=True))


def test_keys_follow_changes_to_email_names_and_licenses() -> None:
    profile = make_profile(display_name="Dana Reyes")
    user = profile.user
    assert person_key("name", "dana reyes") in keys_of(user.pk)
    user.email = "new.address@example.test"
    user.legal_name = "Dana M. Reyes"
    user.save()
    assert person_key("email", "NEW.address@example.test") in keys_of(user.pk)
    assert person_key("name", "Dana M. Reyes") in keys_of(user.pk)
    license = directory.add_license(profile=profile, profession="social_worker",
                                    jurisdiction="US-WY", number="LCSW-3318",
                                    expires=dt.date(2030, 1, 1))  # fmt: skip
    assert person_key("license", "lcsw 3318") in keys_of(user.pk)
    directory.remove_license(license=license)
    assert person_key("license", "LCSW-3318") not in keys_of(user.pk)


def test_rebuild_identity_keys_command_restores_missing_keys() -> None:
    user = make_user(Role.SEEKER, email="lost@example.test")
    IdentityKey.objects.all().delete()
    call_command("rebuild_identity_keys", verbosity=0)
    assert keys_of(user.pk) == {person_key("email", "lost@example.test")}
