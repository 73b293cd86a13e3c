"""Encryption at rest: round trip, key rotation, a wrong key raises, no plaintext in the DB."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from pytest_django.fixtures import Settings

from holdspace import crypto
from holdspace.accounts.models import User
from holdspace.directory.models import TherapistProfile
from holdspace.outreach.models import ConsultationRequest, Message
from tests.factories import make_profile, make_request

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
CANARY = "canary-message-91b2"


def raw_bodies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM outreach_message")
        return [row[0] for row in cursor.fetchall()]


def test_round_trip(settings: Settings) -> None:
    settings.ENCRYPTION_KEYS = [NEW]
    token = crypto.encrypt("héllo")
    assert token != "héllo"
    assert crypto.decrypt(token) == "héllo"


def test_wrong_key_raises(settings: Settings) -> None:
    settings.ENCRYPTION_KEYS = [OLD]
    token = crypto.encrypt("secret")
    settings.ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.DecryptionError, match="HOLDSPACE_ENCRYPTION_KEYS"):
        crypto.decrypt(token)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("not a token")


def test_no_keys_raise(settings: Settings) -> None:
    settings.ENCRYPTION_KEYS = []
    with pytest.raises(crypto.DecryptionError):
        crypto.encrypt("x")


@pytest.fixture
def message(seeker: User, therapist: User) -> Message:
    profile: TherapistProfile = make_profile(user=therapist)
    request: ConsultationRequest = make_request(seeker, profile)
    return Message.objects.create(
        request=request, sender=seeker, body=CANARY, created_at=request.created_at
    )


def test_database_holds_no_plaintext(message: Message) -> None:
    (raw,) = raw_bodies()
    assert CANARY not in raw
    assert Message.objects.get().body == CANARY


def test_loading_with_a_wrong_key_raises_and_never_returns_ciphertext(
    settings: Settings, message: Message
) -> None:
    settings.ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.DecryptionError):
        Message.objects.get(pk=message.pk)


def test_rotation(settings: Settings, seeker: User, therapist: User) -> None:
    settings.ENCRYPTION_KEYS = [OLD]
    request = make_request(seeker, make_profile(user=therapist), situation="old-key text")
    Message.objects.create(
        request=request, sender=seeker, body=CANARY, created_at=request.created_at
    )
    (before,) = raw_bodies()

    settings.ENCRYPTION_KEYS = [NEW, OLD]  # new key first: old data still opens
    assert Message.objects.get().body == CANARY
    call_command("rotate_keys", verbosity=0)
    (after,) = raw_bodies()
    assert after != before

    settings.ENCRYPTION_KEYS = [NEW]  # the old key dropped: everything opens with the new one
    assert Message.objects.get().body == CANARY
    assert ConsultationRequest.objects.get().situation == "old-key text"
    settings.ENCRYPTION_KEYS = [OLD]
    with pytest.raises(crypto.DecryptionError):
        Message.objects.get()
