"""Keyed hashes: one function, normalised input, nothing readable stored."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from holdspace.accounts.models import Role
from holdspace.network import services
from holdspace.network.keys import person_key
from holdspace.network.models import AvoidEntry, IdentityKey, PersonTie
from tests.factories import make_profile, make_user


def test_the_same_email_typed_differently_has_the_same_key() -> None:
    assert person_key("email", " Dana@Example.TEST ") == person_key("email", "dana@example.test")


def test_license_numbers_ignore_spaces_dashes_and_case() -> None:
    assert person_key("license", "csw-0099 12") == person_key("license", "CSW009912")


def test_the_kind_is_part_of_the_key() -> None:
    assert person_key("name", "ab12") != person_key("license", "AB12")


def test_the_key_depends_on_the_secret(settings: pytest.FixtureRequest) -> None:
    before = person_key("email", "a@b.test")
    settings.HMAC_KEY = "another-key"  # type: ignore[attr-defined]
    assert person_key("email", "a@b.test") != before


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_identifiers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        person_key("email", value)


@pytest.mark.django_db
def test_no_plaintext_reaches_the_network_tables() -> None:
    therapist = make_profile(display_name="Robin Example").user
    seeker = make_user(Role.SEEKER, legal_name="Jordan Privatename")
    services.add_tie(user=seeker, kind="friend", identifier_kind="email",
                     value="Secret.Friend@Example.test")  # fmt: skip
    services.add_avoid_digest(
        user=seeker, identifier_kind="name", digest=person_key("name", "Avoided Person")
    )
    assert IdentityKey.objects.filter(user=therapist).count() == 3  # email, name, license
    with connection.cursor() as cursor:
        text = ""
        for model in (PersonTie, AvoidEntry, IdentityKey):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            text += repr(cursor.fetchall()).casefold()
    for plain in ("secret.friend", "avoided person", "robin example", "jordan privatename",
                  therapist.email.casefold(), seeker.email.casefold()):  # fmt: skip
        assert plain not in text


@pytest.mark.django_db
def test_the_database_refuses_a_raw_value_in_a_digest_column() -> None:
    seeker = make_user(Role.SEEKER)
    with pytest.raises(IntegrityError):
        AvoidEntry.objects.create(user=seeker, identifier_kind="email", digest="a@b.test")
