"""Encryption at rest: round trip, key rotation, a wrong key raises, no plaintext in the DB."""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone
from pytest_django.fixtures import Settings

from holdspace import crypto
from holdspace.accounts.models import KeptDraft, Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.fields import EncryptedTextField
from holdspace.network import services as network
from holdspace.network.keys import person_key
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest, Message
from holdspace.practice import services as practice
from tests.factories import (
    make_client,
    make_profile,
    make_request,
    make_session,
    make_user,
    with_mfa,
)

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
CANARY = "canary-message-91b2"
TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"  # a canary secret of its own


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


# Every encrypted value, walked from the models ------------------------------------------------


def encrypted_fields() -> dict[type[models.Model], list[str]]:
    """Every model with an EncryptedTextField, and those fields: new ones are found here."""
    found: dict[type[models.Model], list[str]] = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found[model] = names
    return found


def canary(model: type[models.Model], field: str, pk: object) -> str:
    return f"canary-{model._meta.model_name}-{field}-{pk}"


@dataclass
class Secrets:
    totp: str
    recovery_seed: str
    recovery_codes: list[str]
    canaries: list[str]
    plain: str  # stored as it is: proves the search below can find a string at all


def fill_every_encrypted_field() -> Secrets:
    """A client with a message, a reveal, a signed note and an amendment, a tie and an avoid
    entry; a therapist with an authenticator app and recovery codes; then a canary written into
    every encrypted field of every row, through the ORM (so encrypted with the newest key)."""
    therapist = make_user(Role.THERAPIST)
    client = make_client(therapist)
    seeker = client.seeker
    outreach.post_message(sender=seeker, request=client, body="hello")
    outreach.reveal_identity(seeker=seeker, request=client, legal_name="A Name", phone="555")
    booking = make_session(client, start=timezone.now() - dt.timedelta(days=1))
    note = practice.save_draft(therapist=therapist, client=client, booking=booking, text="x")
    note = practice.sign_note(therapist=therapist, client=client, booking=booking, text="x")
    practice.amend_note(therapist=therapist, client=client, note=note, text="y")
    network.add_tie(user=seeker, kind="friend", identifier_kind="name", value="A Friend")
    network.add_avoid_digest(
        user=seeker, identifier_kind="name", digest=person_key("name", "An Avoided"), label="A… A…"
    )
    KeptDraft.objects.create(  # what the time-out keeps (holdspace.accounts.drafts)
        user=therapist, path="/", form="note", text="z", kept_at=timezone.now()
    )
    secret = with_mfa(therapist, TOTP_SECRET)
    codes = RecoveryCodes.activate(therapist)
    canaries: list[str] = []
    for model, names in encrypted_fields().items():
        pks = list(model._base_manager.values_list("pk", flat=True))
        assert pks, f"add a {model._meta.label} row to fill_every_encrypted_field()"
        for pk in pks:
            values = {name: canary(model, name, pk) for name in names}
            model._base_manager.filter(pk=pk).update(**values)
            canaries += values.values()
    seed = crypto.decrypt(codes.instance.data["seed"])
    return Secrets(secret, seed, codes.generate_codes(), canaries, seeker.pseudonym)


def assert_every_value_opens(secrets: Secrets) -> None:
    for model, names in encrypted_fields().items():
        for row in model._base_manager.values("pk", *names):
            for name in names:
                assert row[name] == canary(model, name, row["pk"])
    totp = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    assert crypto.decrypt(totp.data["secret"]) == secrets.totp
    recovery = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES)
    assert crypto.decrypt(recovery.data["seed"]) == secrets.recovery_seed
    assert RecoveryCodes(recovery).generate_codes() == secrets.recovery_codes


@pytest.mark.django_db
def test_rotation_reencrypts_every_field_and_mfa_secret(settings: Settings) -> None:
    settings.ENCRYPTION_KEYS = [OLD]
    secrets = fill_every_encrypted_field()
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_keys", verbosity=0)

    settings.ENCRYPTION_KEYS = [NEW]  # the old key dropped: every value opens with the new one
    assert_every_value_opens(secrets)

    settings.ENCRYPTION_KEYS = [OLD]  # and none with the old one alone
    for model, names in encrypted_fields().items():
        with pytest.raises(crypto.DecryptionError):
            list(model._base_manager.values(*names))
    for authenticator in Authenticator.objects.all():
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(next(iter(authenticator.data.values())))


@pytest.mark.django_db
def test_rotation_with_no_key_that_opens_the_data_raises(settings: Settings) -> None:
    settings.ENCRYPTION_KEYS = [OLD]
    fill_every_encrypted_field()
    settings.ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.DecryptionError):
        call_command("rotate_keys", verbosity=0)


def database_contents() -> bytes:
    """The whole database as stored: the SQLite image (what the file holds), or a pg_dump."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return bytes(connection.connection.serialize())
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)), None
    )
    assert found, "pg_dump not found (see scripts/with-postgres.sh)"
    db = connection.settings_dict
    command = [found, "--data-only", "--no-owner", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    environment = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return subprocess.run(command, check=True, capture_output=True, env=environment).stdout


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump's own connection sees it
def test_canaries_are_absent_from_the_stored_database() -> None:
    """Canaries in every encrypted field (found by walking the models: notes, amendments,
    messages, requests, reveals and any new one) and the MFA secrets are nowhere in the
    database as stored: the SQLite image, or a ``pg_dump`` when running on PostgreSQL.

    Avoid entries and ties are not encrypted but stronger: only a keyed hash (HMAC with a key
    outside the database) is ever stored, so the identifier itself is never written at all;
    it is checked here too."""
    secrets = fill_every_encrypted_field()
    avoided = "canary-avoided-person@example.test"
    seeker = User.objects.get(pseudonym=secrets.plain)
    network.add_avoid_digest(
        user=seeker, identifier_kind="email", digest=person_key("email", avoided)
    )
    network.add_tie(user=seeker, kind="friend", identifier_kind="name", value="Canary Tiename")
    stored = database_contents()
    assert secrets.plain.encode() in stored  # the search finds what is stored as plain text
    for value in (*secrets.canaries, secrets.totp, secrets.recovery_seed, avoided,
                  "Canary Tiename"):  # fmt: skip
        assert value.encode() not in stored, value
