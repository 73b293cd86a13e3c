"""Deleting a seeker's data, through the page, the real task queue and the real worker.

Transactional tests: the deletion task is queued on commit, as in production."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.checkins.models import CheckIn
from holdspace.directory.models import SavedTherapist
from holdspace.mydata.models import DeletionRequest, DeletionStatus
from holdspace.mydata.tasks import delete_seeker_data
from holdspace.network.keys import person_key
from holdspace.network.models import Entity
from holdspace.outreach.models import ConsultationRequest, Message, Reveal
from holdspace.practice.models import SessionNote
from holdspace.practice.selectors import display_name
from holdspace.programs.models import Enrollment
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.mydata.conftest import (
    AVOID_EMAIL,
    EMAIL,
    KEPT,
    LEGAL_NAME,
    NOTE,
    OTHER,
    OWN,
    PLACE,
    TIE_NAME,
    World,
    build_world,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)


def every_value() -> str:
    """Every value of every row of every table, read through the ORM so encrypted fields are
    searched as their plaintext; signed-in sessions decoded too."""
    rows: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        names = [field.attname for field in model._meta.concrete_fields]
        rows += [repr(row) for row in model._base_manager.values_list(*names)]
    rows += [repr(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(rows)


def ask_for_deletion(world: World) -> Client:
    run_worker()  # the emails queued while the world was built
    client = client_for(world.seeker)
    page = client.get(reverse("mydata:delete")).content.decode()
    assert "Former client" in page
    assert "seven years" in page
    response = client.post(reverse("mydata:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Your account is closed" in response.content.decode()
    return client


def test_a_wrong_password_deletes_nothing() -> None:
    world = build_world()
    before = every_value()
    client = client_for(world.seeker)
    response = client.post(reverse("mydata:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert "Nothing has been deleted" in response.content.decode()
    run_worker()
    assert not DeletionRequest.objects.exists()
    world.seeker.refresh_from_db()
    assert world.seeker.is_active
    assert client.get(reverse("mydata:index")).status_code == 200  # still signed in
    for canary in OWN:
        assert canary in every_value()
    assert before.count(NOTE) == every_value().count(NOTE)


def test_deletion_removes_the_seekers_data_and_anonymises_the_record() -> None:
    world = build_world()
    tie_digest, avoid_digest = person_key("name", TIE_NAME), person_key("email", AVOID_EMAIL)
    pseudonym = world.seeker.pseudonym
    phone = client_for(world.seeker)  # signed in somewhere else too
    client = ask_for_deletion(world)

    # The account closes at once: this browser and every other session are signed out.
    assert client.get(reverse("mydata:index")).status_code == 302
    assert phone.get(reverse("mydata:index")).status_code == 302
    world.seeker.refresh_from_db()
    assert not world.seeker.is_active
    deletion = DeletionRequest.objects.get()
    assert deletion.status == DeletionStatus.PENDING

    mail.outbox.clear()
    run_worker()
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.DONE
    assert deletion.completed_at is not None
    assert deletion.user_id == world.seeker.pk  # the anonymised account's id, nothing more

    # One last email to the address, then no trace of it or anything else of theirs.
    confirmation = [m for m in mail.outbox if m.to == [EMAIL]]
    assert [m.subject for m in confirmation] == ["Holdspace: your account is closed"]
    everything = every_value()
    for canary in (*OWN, tie_digest, avoid_digest, person_key("email", EMAIL),
                   person_key("name", LEGAL_NAME)):  # fmt: skip
        assert canary not in everything, canary
    assert not Entity.objects.filter(name=PLACE).exists()
    assert not ConsultationRequest.objects.filter(pk=world.open_request.pk).exists()
    assert not Reveal.objects.filter(by=world.seeker).exists()
    assert not Enrollment.objects.filter(seeker=world.seeker).exists()
    assert not SavedTherapist.objects.filter(user=world.seeker).exists()
    assert SavedTherapist.objects.filter(user=world.other).exists()  # theirs stays

    # What the therapist must keep is kept, and reads "Former client".
    for canary in KEPT:
        assert canary in everything, canary
    seeker = User.objects.get(pk=world.seeker.pk)
    assert seeker.pseudonym == "Former client"
    assert seeker.legal_name == ""
    assert seeker.email.startswith("deleted-")
    assert seeker.email.endswith("@invalid")
    assert not seeker.has_usable_password()
    assert not seeker.is_active
    client_record = ConsultationRequest.objects.get(pk=world.client.pk)
    assert display_name(client_record) == "Former client"
    assert SessionNote.objects.get(pk=world.note.pk).text == NOTE
    assert Message.objects.filter(request=client_record).count() == 2
    chart = client_for(world.therapist).get(reverse("practice:client", args=[world.client.pk]))
    assert "Former client" in chart.content.decode()
    assert pseudonym not in chart.content.decode()

    # Only check-ins the therapist could see stay, scores only.
    (kept,) = CheckIn.objects.filter(user=seeker)
    assert kept.instrument == "phq9"
    assert kept.answers == {}
    assert kept.scales

    # The upcoming session is cancelled; the therapist is told, neutrally.
    upcoming = Booking.objects.get(pk=world.upcoming.pk)
    assert upcoming.status == "cancelled"
    assert upcoming.cancelled_by == "seeker"
    assert Booking.objects.get(pk=world.past.pk).status == "confirmed"
    (notice,) = [m for m in mail.outbox if m.to == [world.therapist.email]]
    assert notice.subject == "Holdspace: A session was cancelled"
    for secret in (pseudonym, LEGAL_NAME, "Former client", "delet"):
        assert secret not in notice.body

    # The other seeker keeps everything; the access log is intact.
    for canary in OTHER:
        assert canary in everything
    call_command("verify_access_log")

    # They can no longer sign in, and running the task again changes nothing.
    browser = Client()
    browser.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session
    assert delete_seeker_data.call(deletion_id=deletion.pk) is False
