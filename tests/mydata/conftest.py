"""A seeker with one canary in every kind of data Holdspace holds about a person, another
seeker with their own canaries, and the therapists who cared for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from holdspace.accounts.models import KeptDraft, Role, User
from holdspace.directory import services as directory
from holdspace.matching.models import FindProfile
from holdspace.network import services as network
from holdspace.network.keys import person_key
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import services as practice
from holdspace.practice.models import SessionNote
from holdspace.programs.models import Enrollment, Organisation, Program
from holdspace.scheduling import services as scheduling
from holdspace.scheduling.models import Booking, BookingStatus
from tests.checkins.helpers import answers, save
from tests.factories import (
    make_client,
    make_profile,
    make_request,
    make_schedule,
    make_session,
    make_user,
    with_mfa,
)

# The seeker's own data: all of it must leave with a deletion.
EMAIL = "canary-seeker@example.test"
PSEUDONYM = "Canary Harbor"
LEGAL_NAME = "Canary Legalname"
PLACE = "Canary Ward Seven"
TIE_NAME = "Canary Colleague"
AVOID_EMAIL = "canary-avoid@example.test"
OPEN_SITUATION = "canary-open-situation"
OPEN_MESSAGE = "canary-open-message"
REVEALED_PHONE = "555-0142 canary"
PRIVATE_WORD = "paramedic"  # the ProQOL word of the check-in taken before care
PROGRAM = "Canary Peer Support"  # the program exists still; only the enrollment goes
# Text kept at a session time-out. Only roles with time-outs get one today; a seeker's would
# be downloaded and deleted like the rest.
KEPT_DRAFT = "canary-kept-draft"
OWN = (EMAIL, PSEUDONYM, LEGAL_NAME, PLACE, OPEN_SITUATION, OPEN_MESSAGE, REVEALED_PHONE,
       KEPT_DRAFT)  # fmt: skip

# The therapist's record: kept, anonymised.
KEPT_SITUATION = "canary-kept-situation"
SEEKER_MESSAGE = "canary-seeker-says"
THERAPIST_MESSAGE = "canary-therapist-says"
NOTE = "canary-session-note"
KEPT = (KEPT_SITUATION, SEEKER_MESSAGE, THERAPIST_MESSAGE, NOTE)

# Another seeker's data: never in the first seeker's download.
OTHER = ("canary-other-situation", "canary-other-message", "Canary Otherplace")


@dataclass
class World:
    seeker: User
    other: User
    therapist: User
    client: ConsultationRequest
    open_request: ConsultationRequest
    past: Booking
    upcoming: Booking
    note: SessionNote


def _upcoming(client: ConsultationRequest) -> Booking:
    start = (timezone.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    session_type = client.profile.session_types.get(kind="session")
    return Booking.objects.create(
        profile=client.profile,
        seeker=client.seeker,
        session_type=session_type,
        start=start,
        end=start + dt.timedelta(minutes=session_type.minutes),
        status=BookingStatus.CONFIRMED,
        seeker_time_zone="America/Denver",
    )


def enroll(seeker: User) -> Enrollment:
    hospital = network.find_or_create_entity(kind="health_system", name="Mercy", created_by=None)
    organisation = Organisation.objects.create(name="Mercy Health", entity=hospital)
    program = Program.objects.create(
        organisation=organisation,
        name=PROGRAM,
        starts=dt.date(2026, 1, 1),
        session_allowance=6,
        code="ABCD2345EFGH",
    )
    return Enrollment.objects.create(program=program, seeker=seeker, enrolled_at=timezone.now())


def build_world() -> World:
    seeker = make_user(Role.SEEKER, email=EMAIL, pseudonym=PSEUDONYM, legal_name=LEGAL_NAME)
    EmailAddress.objects.create(user=seeker, email=EMAIL, verified=True, primary=True)
    with_mfa(seeker)
    FindProfile.objects.create(user=seeker, location="US-CO", zip="80302", concerns=["grief_loss"])
    place = network.find_or_create_entity(kind="employer_unit", name=PLACE, created_by=seeker)
    network.add_affiliation(user=seeker, entity=place, start=dt.date(2019, 1, 1), end=None)
    network.add_tie(user=seeker, kind="friend", identifier_kind="name", value=TIE_NAME)
    network.add_avoid_digest(
        user=seeker, identifier_kind="email", digest=person_key("email", AVOID_EMAIL)
    )
    scheduling.renew_feed(user=seeker)
    KeptDraft.objects.create(
        user=seeker, path="/requests/", form="message", text=KEPT_DRAFT, kept_at=timezone.now()
    )
    enroll(seeker)
    long_ago = timezone.now() - dt.timedelta(days=60)
    save(seeker, "proqol5", answers("proqol5", 2), word=PRIVATE_WORD, taken_at=long_ago)

    therapist = make_user(Role.THERAPIST)
    make_schedule(make_profile(user=therapist, display_name="Morgan Vale"))
    client = make_request(seeker, therapist.therapist_profile, situation=KEPT_SITUATION)
    client = outreach.accept_request(
        therapist=therapist, request=client, now=timezone.now() - dt.timedelta(days=30)
    )
    outreach.post_message(sender=seeker, request=client, body=SEEKER_MESSAGE)
    outreach.post_message(sender=therapist, request=client, body=THERAPIST_MESSAGE)
    outreach.reveal_identity(
        seeker=seeker, request=client, legal_name=LEGAL_NAME, share_email=True, phone=REVEALED_PHONE
    )
    save(seeker, "phq9", answers("phq9", 1), taken_at=timezone.now() - dt.timedelta(days=3))
    past = make_session(client, start=timezone.now() - dt.timedelta(days=2))
    note = practice.save_draft(therapist=therapist, client=client, booking=past, text=NOTE)
    practice.log_read(therapist=therapist, client=client, action="view_chart", target="chart:1")
    upcoming = _upcoming(client)

    elsewhere = make_schedule(make_profile(display_name="Robin Ash"))
    open_request = make_request(seeker, elsewhere, situation=OPEN_SITUATION)
    directory.save_therapist(user=seeker, profile=elsewhere)  # on their compare list
    outreach.post_message(sender=seeker, request=open_request, body=OPEN_MESSAGE)

    other = make_user(Role.SEEKER, legal_name="Other Person")
    other_client = make_client(therapist, other)
    outreach.post_message(sender=other, request=other_client, body=OTHER[1])
    make_request(other, elsewhere, situation=OTHER[0])
    theirs = network.find_or_create_entity(kind="employer_unit", name=OTHER[2], created_by=other)
    network.add_affiliation(user=other, entity=theirs, start=None, end=None)
    save(other, "gad7", answers("gad7", 3))
    directory.save_therapist(user=other, profile=elsewhere)
    return World(seeker, other, therapist, client, open_request, past, upcoming, note)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
