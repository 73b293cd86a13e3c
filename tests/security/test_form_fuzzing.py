"""Every form, fuzzed through its real view (issue 6): no server error, nothing half-saved.

TARGETS lists, for every Form/ModelForm class of the project, where it is posted (route and
kwargs from fixtures), by whom (a persona signed in with ``client_for``), and the posted field
names. A form class without a target fails ``test_every_form_is_fuzzed``.

Each target gets 200 Hypothesis examples of posted data: plausible values from the form's own
choices mixed with junk (empty, huge, right-to-left, NUL, emoji, numbers out of range, malformed
dates, choices not on the list, lists where one value is expected, missing fields). For every
example, with the same data bound to the same form as an oracle:

- the answer is never a server error (a view exception fails the example too);
- invalid data writes nothing (row counts of every table unchanged; a practice page may add
  its access-log row for the read);
- valid data, once accepted, left complete rows (checked per target), and nothing else;
- a NUL character in a text field is refused by the form (a validation error, never a 500).

Each example runs in a savepoint that is rolled back, so examples are independent and
Hypothesis can shrink a failure; the cache (rate-limit counters) is cleared before each one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings as django_settings
from django.contrib.admin import helpers
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from pytest_django.fixtures import Settings

from holdspace.accounts.forms import SignupDetailsForm, TimeZoneForm
from holdspace.accounts.models import Role, User
from holdspace.checkins import forms as checkin_forms
from holdspace.directory.admin import RejectReason
from holdspace.directory.forms import (
    AboutForm,
    AuthorizationForm,
    BrowseForm,
    FeesForm,
    LicenseForm,
    PracticeForm,
)
from holdspace.directory.models import License, TherapistProfile, VerificationEvent
from holdspace.matching import answers as find_store
from holdspace.matching import services as matching_services
from holdspace.matching.forms import NeedsForm, StrictnessForm, WhereForm
from holdspace.mydata.forms import ConfirmDeletionForm
from holdspace.mydata.models import DeletionRequest
from holdspace.network import services as network_services
from holdspace.network.forms import AvoidForm, PlaceForm, TieForm
from holdspace.network.models import IdentityKey
from holdspace.outreach.forms import DeclineForm, MessageForm, RequestForm, RevealForm
from holdspace.outreach.models import ConsultationRequest, Message, Reveal, Status
from holdspace.practice import services as practice_services
from holdspace.practice.forms import AmendmentForm, NoteForm, PlanForm
from holdspace.practice.models import Cadence, MeasurementPlan, NoteAmendment, SessionNote
from holdspace.programs import services as program_services
from holdspace.programs.forms import (
    CapacityForm,
    EditProgramForm,
    EnrollForm,
    InvitationForm,
    ProgramForm,
    SharingForm,
)
from holdspace.programs.models import Enrollment, Organisation, Program, ProgramTherapist
from holdspace.scheduling import selectors as scheduling_selectors
from holdspace.scheduling.forms import (
    CancelForm,
    DayOffForm,
    SessionTypeForm,
    SettingsForm,
    SlotForm,
    WeeklyAvailabilityForm,
)
from holdspace.scheduling.models import (
    Booking,
    BookingStatus,
    DayOff,
    SchedulingSettings,
    SessionType,
    WeeklyAvailability,
)
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    find_answers,
    make_client,
    make_profile,
    make_request,
    make_schedule,
    make_session,
    make_staff,
    make_user,
)
from tests.programs.helpers import enrolled, make_coordinator, make_organisation, make_program
from tests.reviewing import confirm_form
from tests.security.fuzzing import (
    MISSING,
    Data,
    RowCounter,
    as_client_data,
    as_request_data,
    form_name,
    junk,
    posted,
    project_forms,
    strategies_for,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the shared checkout
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
ANONYMOUS = "anonymous"


# --- the world the forms are posted into ------------------------------------------------------


class World:
    """Fixtures, made lazily: each target builds only what it posts into."""

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}

    @cached_property
    def profile(self) -> TherapistProfile:
        return make_schedule(make_profile())

    @cached_property
    def therapist(self) -> User:
        return self.profile.user

    @cached_property
    def new_therapist(self) -> User:
        return make_user(Role.THERAPIST)  # no profile yet: wizard step 1 creates it

    @cached_property
    def seeker(self) -> User:
        return make_user(Role.SEEKER)

    @cached_property
    def asker(self) -> User:
        """A seeker with saved Find answers and no request yet."""
        asker = make_user(Role.SEEKER)
        matching_services.save_answers(user=asker, answers=find_answers())
        return asker

    @cached_property
    def client_request(self) -> ConsultationRequest:
        """The seeker is the therapist's client (an accepted request)."""
        return make_client(self.therapist, self.seeker)

    @cached_property
    def open_request(self) -> ConsultationRequest:
        return make_request(make_user(Role.SEEKER), self.profile)

    @cached_property
    def past_session(self) -> Booking:
        return make_session(self.client_request, start=timezone.now() - dt.timedelta(days=2))

    @cached_property
    def signed_session(self) -> Booking:
        booking = make_session(self.client_request, start=timezone.now() - dt.timedelta(days=3))
        practice_services.sign_note(
            therapist=self.therapist, client=self.client_request, booking=booking, text="Seen."
        )
        return booking

    @cached_property
    def booking(self) -> Booking:
        """The seeker's confirmed consultation, at the first time offered in four days."""
        session_type = self.profile.session_types.get(kind="consultation")
        first = timezone.localdate() + dt.timedelta(days=4)
        start = self.slot_values(session_type, first)[0]
        return Booking.objects.create(
            profile=self.profile,
            seeker=self.client_request.seeker,
            session_type=session_type,
            start=dt.datetime.fromisoformat(start),
            end=dt.datetime.fromisoformat(start) + dt.timedelta(minutes=session_type.minutes),
            status=BookingStatus.CONFIRMED,
            seeker_time_zone="America/New_York",
        )

    @cached_property
    def organisation(self) -> Organisation:
        return make_organisation()

    @cached_property
    def staff(self) -> User:
        return make_staff()

    @cached_property
    def pending_license(self) -> License:
        return make_profile(verified=False).licenses.get()

    @cached_property
    def coordinator(self) -> User:
        return make_coordinator(self.organisation)

    @cached_property
    def program(self) -> Program:
        return make_program(self.organisation)

    @cached_property
    def invitation_token(self) -> str:
        return program_services.create_invitation(program=self.program)[1]

    @cached_property
    def enrollment(self) -> Enrollment:
        return enrolled(self.program, self.seeker)

    def slot_values(self, session_type: SessionType, first: dt.date | None = None) -> list[str]:
        """Start times the booking page offers (as it writes them), for a week."""
        first = first or timezone.localdate() + dt.timedelta(days=1)
        found = scheduling_selectors.available_slots(
            profile=self.profile,
            session_type=session_type,
            first_day=first,
            last_day=first + dt.timedelta(days=6),
            now=timezone.now(),
        )
        return [slot.start.isoformat() for slot in found]

    def user(self, persona: str) -> User:
        return {
            "therapist": lambda: self.therapist,
            "new_therapist": lambda: self.new_therapist,
            "seeker": lambda: self.seeker,
            "asker": lambda: self.asker,
            "coordinator": lambda: self.coordinator,
            "staff": lambda: self.staff,
        }[persona]()

    def client(self, persona: str) -> Client:
        if persona not in self._clients:
            self._clients[persona] = (
                Client() if persona == ANONYMOUS else client_for(self.user(persona))
            )
        return self._clients[persona]

    def anonymous_find_client(self, *, needs: bool) -> Client:
        """An anonymous visitor who answered Find's first screen (and the second if ``needs``)."""
        client = Client()
        client.post(reverse("matching:start"), {"location": "US-CO", "formats": ["video"]})
        if needs:
            client.post(reverse("matching:needs"), {"concerns": ["burnout"], "language": "en"})
        answers = find_store.load(client.session)
        assert answers.where is not None
        assert answers.needs is not None or not needs
        return client


# --- targets ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One example after its request, for the target's completeness check."""

    world: World
    data: Data
    cleaned: dict[str, Any]  # the oracle's cleaned data (valid examples only)
    response: TestResponse
    delta: dict[str, int]  # row-count changes by model label
    client: Client

    @property
    def redirected(self) -> bool:
        return self.response.status_code in (301, 302, 303)

    def expect_delta(self, expected: Mapping[str, int], *, keys_of: User | None = None) -> None:
        """Exactly these row-count changes; with ``keys_of``, identity keys (derived rows
        kept by signals) may change too, but must then match that user's identifiers."""
        delta = dict(self.delta)
        if keys_of is not None:
            delta.pop("network.IdentityKey", None)
            user = User.objects.get(pk=keys_of.pk)  # as saved, not as cached in the world
            saved = set(IdentityKey.objects.filter(user=user).values_list("source", "digest"))
            assert saved == network_services.identity_keys_for(user), "identity keys stale"
        assert delta == dict(expected), f"rows changed: {self.delta}, expected {expected}"


Build = Callable[[World, QueryDict | None, MultiValueDict[str, Any] | None], list[forms.BaseForm]]
Check = Callable[[Outcome], None]
Strategies = tuple[SearchStrategy[Any], SearchStrategy[Any]]


@dataclass(frozen=True)
class Target:
    id: str
    forms: tuple[type[forms.BaseForm], ...]  # the Form classes this target posts
    route: str
    persona: str
    fields: tuple[str, ...]  # the posted form field names (with prefixes)
    build: Build  # the forms as the view builds them (unbound without data): the oracle
    check: Check  # run after every valid example
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "post"
    inputs: Callable[[World], dict[str, Strategies]] = lambda world: {}  # non-form inputs
    overrides: Callable[[World], dict[str, Strategies]] = lambda world: {}
    fixed: Mapping[str, str] = field(default_factory=dict)  # always posted as given
    linked: Mapping[str, str] = field(default_factory=dict)  # field -> field it often repeats
    client: Callable[[World], Client] | None = None  # instead of the persona's client
    reads_logged: bool = False  # the page logs a read (access log) even for invalid input
    writes_nothing: bool = False  # no table row may ever change (session-only flows)
    refuses: bool = True  # some input is invalid (not so for a lone optional checkbox)

    def url(self, world: World) -> str:
        return reverse(self.route, kwargs=self.kwargs(world))


def one(form: forms.BaseForm) -> list[forms.BaseForm]:
    return [form]


def nothing_written(outcome: Outcome) -> None:
    outcome.expect_delta({})


# Checks for valid examples: what a success must have left behind (and nothing more). --------


def check_signup(outcome: Outcome) -> None:
    cleaned = outcome.cleaned
    taken = outcome.world.seeker.email.lower() == cleaned["email"].lower()
    if not outcome.redirected or taken:  # a taken email: the same answer, nothing created
        outcome.expect_delta({})
        return
    user = User.objects.get(email__iexact=cleaned["email"])
    outcome.expect_delta({"accounts.User": 1, "account.EmailAddress": 1}, keys_of=user)
    assert user.role == cleaned["role"]
    assert user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email__iexact=cleaned["email"]).count() == 1
    if user.role == Role.SEEKER:
        assert user.pseudonym
        assert user.pseudonym == cleaned["pseudonym"]
    assert user.legal_name == cleaned["legal_name"]
    assert user.profession == cleaned["profession"]


def check_about(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({}, keys_of=outcome.world.therapist)
    profile = TherapistProfile.objects.get(user=outcome.world.therapist)
    for name in ("display_name", "pronouns", "credentials", "profession", "bio"):
        assert getattr(profile, name) == outcome.cleaned[name], name
    assert profile.wizard_step >= 2


def check_first_about(outcome: Outcome) -> None:
    """Step 1 for a therapist without a profile creates it, with its scheduling defaults."""
    assert outcome.redirected, outcome.response.status_code
    profile = TherapistProfile.objects.get(user=outcome.world.new_therapist)
    assert profile.display_name == outcome.cleaned["display_name"]
    assert profile.wizard_step == 2
    types = SessionType.objects.filter(profile=profile).count()
    settings_rows = SchedulingSettings.objects.filter(profile=profile).count()
    expected = {"directory.TherapistProfile": 1, "scheduling.SessionType": types}
    if settings_rows:
        expected["scheduling.SchedulingSettings"] = settings_rows
    outcome.expect_delta(expected, keys_of=outcome.world.new_therapist)
    assert types > 0


def check_practice(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    profile = TherapistProfile.objects.get(user=outcome.world.therapist)
    for name in ("modalities", "focus_areas", "formats", "languages", "professions_served"):
        saved = set(getattr(profile, name).values_list("code", flat=True))
        assert saved == {term.code for term in outcome.cleaned[name]}, name
    assert profile.formats.exists()
    assert profile.languages.exists()
    assert profile.clinician_experience_years == outcome.cleaned["clinician_experience_years"]
    assert set(outcome.delta) <= {f"directory.TherapistProfile_{name}" for name in (
        "modalities", "focus_areas", "formats", "languages", "professions_served")}  # fmt: skip


def check_fees(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({})
    profile = TherapistProfile.objects.get(user=outcome.world.therapist)
    for name in ("fee", "sliding_scale", "accepting", "capacity", "office_zip", "time_zone"):
        assert getattr(profile, name) == outcome.cleaned[name], name
    assert bool(profile.office_zip) == bool(profile.office_jurisdiction)


def check_license(outcome: Outcome) -> None:
    if not outcome.redirected:  # already listed: the same number refused
        outcome.expect_delta({})
        return
    outcome.expect_delta({"directory.License": 1}, keys_of=outcome.world.therapist)
    license = outcome.world.profile.licenses.latest("pk")
    cleaned = outcome.cleaned
    for name in ("profession", "jurisdiction", "number", "expires"):
        assert getattr(license, name) == cleaned[name], name
    assert license.status == "pending"


def check_authorization(outcome: Outcome) -> None:
    if not outcome.redirected:
        outcome.expect_delta({})
        return
    outcome.expect_delta({"directory.Authorization": 1})
    found = outcome.world.profile.authorizations.latest("pk")
    cleaned = outcome.cleaned
    assert (found.kind, found.jurisdiction, found.expires) == (
        cleaned["kind"], cleaned["jurisdiction"], cleaned["expires"])  # fmt: skip


def _find(outcome: Outcome) -> find_store.Answers:
    return find_store.load(outcome.client.session)


def check_where(outcome: Outcome) -> None:
    outcome.expect_delta({})
    assert outcome.redirected
    where = _find(outcome).where
    assert where is not None
    for name in ("location", "formats", "zip"):
        assert getattr(where, name) == outcome.cleaned[name], name


def check_needs(outcome: Outcome) -> None:
    outcome.expect_delta({})
    needs = _find(outcome).needs
    assert needs is not None
    assert needs.modalities == outcome.cleaned["modalities"]
    assert needs.max_fee == outcome.cleaned["max_fee"]
    assert needs.crisis == ("ending_life" in outcome.cleaned["concerns"])
    if needs.crisis:  # crisis resources in this very response
        assert outcome.response.status_code == 200
    else:
        assert outcome.redirected


def check_strictness(outcome: Outcome) -> None:
    outcome.expect_delta({})
    assert _find(outcome).world.strictness == outcome.cleaned["strictness"]


def check_world_person(kind: str) -> Check:
    def check(outcome: Outcome) -> None:
        outcome.expect_delta({})
        people = getattr(_find(outcome).world, kind)
        if not outcome.cleaned:  # left as it was shown (empty): nothing to add
            assert people == []
            return
        assert len(people) == 1
        assert people[0].identifier_kind == outcome.cleaned["identifier_kind"]
        assert people[0].digest == outcome.cleaned["digest"]
        value = outcome.cleaned["value"]
        if len(value) >= 6:  # the typed value itself is never kept
            assert value not in str(outcome.client.session.items())

    return check


def check_world_place(outcome: Outcome) -> None:
    outcome.expect_delta({})  # a new name stays in the session until a seeker saves
    places = _find(outcome).world.places
    assert len(places) <= 1
    if places:  # added (else left empty, or "did you mean" suggestions first)
        assert places[0].start_year == outcome.cleaned["start_year"]
        assert places[0].end_year == outcome.cleaned["end_year"]


def check_network_place(outcome: Outcome) -> None:
    if not outcome.redirected:  # "did you mean" suggestions first
        outcome.expect_delta({})
        return
    assert outcome.delta.get("network.Affiliation") == 1, outcome.delta
    assert set(outcome.delta) <= {"network.Affiliation", "network.Entity"}
    affiliation = outcome.world.therapist.affiliations.latest("pk")
    start, end = outcome.cleaned["start_year"], outcome.cleaned["end_year"]
    assert affiliation.start == (dt.date(start, 1, 1) if start else None)
    assert affiliation.end == (dt.date(end, 12, 31) if end else None)
    assert affiliation.entity.name


def check_network_tie(outcome: Outcome) -> None:
    assert outcome.redirected
    assert outcome.delta.get("network.PersonTie") == 1, outcome.delta
    tie = outcome.world.therapist.person_ties.latest("pk")
    assert tie.kind == outcome.cleaned["tie_kind"]
    assert tie.identifier_kind == outcome.cleaned["identifier_kind"]
    assert tie.digest == outcome.cleaned["digest"]  # the keyed hash only, never the value


def check_request(outcome: Outcome) -> None:
    if not outcome.redirected:  # refused (not available) or a message: nothing sent
        outcome.expect_delta({})
        return
    outcome.expect_delta({"outreach.ConsultationRequest": 1})
    sent = ConsultationRequest.objects.get(seeker=outcome.world.asker)
    assert outcome.response["Location"] == reverse("outreach:detail", args=[sent.pk])
    assert sent.status == Status.OPEN
    assert sent.profile_id == outcome.world.profile.pk
    assert sent.answers, "the Find answers travel with the request"
    assert sent.situation == outcome.cleaned["situation"].strip()
    assert sent.preferred_times == outcome.cleaned["preferred_times"].strip()


def check_decline(outcome: Outcome) -> None:
    outcome.expect_delta({})
    request = ConsultationRequest.objects.get(pk=outcome.world.open_request.pk)
    assert request.status == Status.DECLINED
    assert request.decline_reason == outcome.cleaned["reason"]
    assert request.decline_note == outcome.cleaned["note"].strip()
    assert request.answered_at is not None


def check_message(outcome: Outcome) -> None:
    if not outcome.redirected:
        outcome.expect_delta({})
        return
    outcome.expect_delta({"outreach.Message": 1})
    message = Message.objects.latest("pk")
    assert message.body == outcome.cleaned["body"].strip()
    assert message.body
    assert message.request_id == outcome.world.client_request.pk


def check_reveal(outcome: Outcome) -> None:
    """A valid choice shows the review and shares nothing; its confirm shares exactly it."""
    if outcome.redirected:  # already shared (by an earlier confirm of this world): refused
        outcome.expect_delta({})
        return
    assert outcome.response.status_code == 200
    outcome.expect_delta({})
    assert not Reveal.objects.filter(request=outcome.world.client_request).exists()
    url = reverse("outreach:reveal", args=[outcome.world.client_request.pk])
    action, data = confirm_form(outcome.response, url)
    assert outcome.client.post(action, data).status_code == 302
    reveal = Reveal.objects.get(request=outcome.world.client_request)
    assert reveal.legal_name == outcome.cleaned["legal_name"].strip()
    assert reveal.legal_name
    assert reveal.email == (outcome.world.seeker.email if outcome.cleaned["share_email"] else "")
    assert reveal.phone == outcome.cleaned["phone"].strip()


def check_note(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({"practice.SessionNote": 1, "audit.AccessLog": 1})
    note = SessionNote.objects.get(booking=outcome.world.past_session)
    assert note.text == outcome.cleaned["text"].strip()
    assert note.author_id == outcome.world.therapist.pk


def check_signed_note(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({"practice.SessionNote": 1, "audit.AccessLog": 1})
    note = SessionNote.objects.get(booking=outcome.world.past_session)
    assert note.is_signed
    assert note.text == outcome.cleaned["text"].strip()


def check_amendment(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({"practice.NoteAmendment": 1, "audit.AccessLog": 1})
    amendment = NoteAmendment.objects.latest("pk")
    assert amendment.text == outcome.cleaned["text"].strip()
    assert amendment.note.booking_id == outcome.world.signed_session.pk


def check_plan(outcome: Outcome) -> None:
    if not outcome.redirected:  # refused (an active plan for this check-in already)
        outcome.delta.pop("audit.AccessLog", None)  # the chart shown again is a logged read
        outcome.expect_delta({})
        return
    plan = MeasurementPlan.objects.get(request=outcome.world.client_request)
    assert (plan.instrument, plan.cadence) == (
        outcome.cleaned["instrument"],
        outcome.cleaned["cadence"],
    )
    assert plan.created_by_id == outcome.world.therapist.pk
    periodic = plan.cadence != Cadence.BEFORE_SESSION  # the first one is asked for at once
    expected = {"practice.MeasurementPlan": 1, "audit.AccessLog": 1}
    if periodic:
        expected["practice.CheckInInvitation"] = 1
    outcome.expect_delta(expected)


def _program_saved(outcome: Outcome, program: Program) -> None:
    cleaned = outcome.cleaned
    assert program.name == cleaned["name"].strip()
    assert program.description == cleaned["description"].strip()
    assert (program.starts, program.ends) == (cleaned["starts"], cleaned["ends"])
    assert set(program.jurisdictions) == set(cleaned["jurisdictions"])
    assert program.session_allowance == cleaned["session_allowance"]
    assert program.sponsor_paid == cleaned["sponsor_paid"]


def check_program_created(outcome: Outcome) -> None:
    if not outcome.redirected:  # refused with a message (a name already used)
        outcome.expect_delta({})
        return
    outcome.expect_delta({"programs.Program": 1})
    program = Program.objects.latest("pk")
    assert program.organisation == outcome.cleaned["organisation"]
    assert len(program.code) == 12
    _program_saved(outcome, program)


def check_program_edited(outcome: Outcome) -> None:
    outcome.expect_delta({})
    if outcome.redirected:
        program = Program.objects.get(pk=outcome.world.program.pk)
        _program_saved(outcome, program)
        assert program.active == outcome.cleaned["active"]


def check_invitation(outcome: Outcome) -> None:
    assert outcome.response.status_code == 200
    if not outcome.data:  # an empty POST is read as a visit (``request.POST or None``)
        outcome.expect_delta({})
        return
    outcome.expect_delta({"programs.TherapistInvitation": 1})


def check_joined(outcome: Outcome) -> None:
    if not outcome.redirected:
        outcome.expect_delta({})
        return
    outcome.expect_delta({"programs.ProgramTherapist": 1})
    place = ProgramTherapist.objects.get(program=outcome.world.program)
    assert place.capacity == outcome.cleaned["capacity"]


def check_enrolled(outcome: Outcome) -> None:
    if not outcome.redirected:  # a wrong code: nothing saved
        outcome.expect_delta({})
        return
    outcome.expect_delta({"programs.Enrollment": 1})
    enrollment = Enrollment.objects.get(seeker=outcome.world.seeker)
    assert enrollment.program_id == outcome.world.program.pk
    assert enrollment.need == outcome.cleaned["need"]
    assert enrollment.share_outcomes == outcome.cleaned["share_outcomes"]


def check_sharing(outcome: Outcome) -> None:
    assert outcome.redirected
    outcome.expect_delta({})
    enrollment = Enrollment.objects.get(pk=outcome.world.enrollment.pk)
    assert enrollment.share_outcomes == outcome.cleaned["share_outcomes"]


def check_deletion(outcome: Outcome) -> None:
    user = User.objects.get(pk=outcome.world.seeker.pk)
    if outcome.cleaned["password"] != PASSWORD:
        outcome.expect_delta({})  # the wrong password: nothing closed
        assert user.is_active
        return
    outcome.expect_delta({"mydata.DeletionRequest": 1})
    assert not user.is_active, "closed at once"
    assert DeletionRequest.objects.get(user=user).status == "pending"


def check_weekly(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    saved = [
        (row.weekday, row.start, row.end)
        for row in WeeklyAvailability.objects.filter(profile=outcome.world.profile).order_by(
            "weekday", "start"
        )
    ]
    assert saved == [(w.weekday, w.start, w.end) for w in outcome.cleaned["windows"]]
    assert set(outcome.delta) <= {"scheduling.WeeklyAvailability"}


def check_day_off(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    assert DayOff.objects.filter(
        profile=outcome.world.profile, date=outcome.cleaned["date"]
    ).exists()
    assert set(outcome.delta) <= {"scheduling.DayOff"}


def check_session_types(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({})
    for session_type in SessionType.objects.filter(profile=outcome.world.profile):
        prefix = f"{session_type.kind}-"
        assert session_type.active == outcome.cleaned[prefix + "active"]
        assert session_type.buffer_minutes == outcome.cleaned[prefix + "buffer_minutes"]
        if session_type.kind != "consultation":
            assert session_type.minutes == outcome.cleaned[prefix + "minutes"]
        else:
            assert session_type.minutes == 15


def check_settings(outcome: Outcome) -> None:
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({})
    saved = SchedulingSettings.objects.get(profile=outcome.world.profile)
    assert saved.video_url == outcome.cleaned["video_url"]
    assert saved.notice_hours == outcome.cleaned["notice_hours"]


def check_time_zone(outcome: Outcome) -> None:
    outcome.expect_delta({})
    assert outcome.redirected
    assert User.objects.get(pk=outcome.world.seeker.pk).time_zone == outcome.cleaned["time_zone"]


def check_book(outcome: Outcome) -> None:
    """A valid pick shows the review (or is refused with a message) and books nothing; its
    confirm books exactly the time reviewed."""
    if outcome.response.status_code == 404:  # a session type this therapist doesn't offer
        outcome.expect_delta({})
        return
    outcome.expect_delta({})
    if outcome.redirected:
        return  # refused with a message (time not offered, not allowed, no such type)
    assert outcome.response.status_code == 200
    url = reverse("scheduling:book", args=[outcome.world.profile.pk])
    action, data = confirm_form(outcome.response, url)
    confirmed = outcome.client.post(action, data)
    booking = Booking.objects.latest("pk")
    assert booking.seeker_id == outcome.world.asker.pk
    assert booking.start == outcome.cleaned["start"]
    assert booking.end - booking.start == dt.timedelta(minutes=booking.session_type.minutes)
    assert booking.session_type.pk == outcome.cleaned["session_type"]
    assert confirmed["Location"] == reverse("scheduling:detail", args=[booking.pk])


def check_reschedule(outcome: Outcome) -> None:
    assert outcome.redirected
    outcome.expect_delta({})
    booking = Booking.objects.get(pk=outcome.world.booking.pk)
    assert booking.end - booking.start == dt.timedelta(minutes=booking.session_type.minutes)
    if outcome.response["Location"] == reverse("scheduling:detail", args=[booking.pk]):
        assert booking.start == outcome.cleaned["start"]


def check_cancel(outcome: Outcome) -> None:
    """A valid reason shows the review and cancels nothing; its confirm cancels, with it."""
    outcome.expect_delta({})
    assert outcome.response.status_code == 200
    booking = Booking.objects.get(pk=outcome.world.booking.pk)
    assert booking.status != BookingStatus.CANCELLED
    url = reverse("scheduling:cancel", args=[booking.pk])
    action, data = confirm_form(outcome.response, url)
    assert outcome.client.post(action, data).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancellation_reason == outcome.cleaned["reason"]


def check_reject(outcome: Outcome) -> None:
    """A reason given: the license is rejected, recorded once, with the words sent."""
    if helpers.ACTION_CHECKBOX_NAME not in outcome.data:  # nothing selected: nothing decided
        outcome.delta.pop("audit.AccessLog", None)
        outcome.expect_delta({})
        return
    assert outcome.redirected, outcome.response.status_code
    outcome.expect_delta({"directory.VerificationEvent": 1, "audit.AccessLog": 1})
    license = License.objects.get(pk=outcome.world.pending_license.pk)
    assert license.status == "rejected"
    assert license.verified_by_id == outcome.world.staff.pk
    event = VerificationEvent.objects.get(license=license)
    note = outcome.cleaned["note"].strip()
    assert note[:40] in event.description


def check_checkin_take(outcome: Outcome) -> None:
    outcome.expect_delta({})  # results are shown, nothing is stored
    assert outcome.response.status_code == 200


def check_checkin_save(outcome: Outcome) -> None:
    assert outcome.redirected
    outcome.expect_delta({"checkins.CheckIn": 1})
    checkin = outcome.world.seeker.checkins.get()
    assert checkin.instrument == "phq9"
    assert outcome.response["Location"] == reverse("checkins:detail", args=[checkin.pk])


# Field strategies for inputs that are not plain form fields ---------------------------------


def slot_starts(world: World, session_type: str) -> Strategies:
    offered = world.slot_values(world.profile.session_types.get(kind=session_type))
    tricky = [
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+00:00",
        "2026-11-30T10:00:00",  # naive
        "2026-02-30T10:00:00+00:00",
        "2030-01-01T10:00:00Z",
    ]
    aware = st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-9))]))
    return st.sampled_from(offered), st.one_of(
        st.sampled_from(tricky), aware.map(dt.datetime.isoformat), junk()
    )


def clock_times() -> Strategies:
    """Mostly blank (no time that day) or round hours, so whole weeks can be valid."""
    plausible = st.sampled_from(["", "", "", "08:00", "09:00", "12:00", "13:00", "17:00", "18:30"])
    return st.one_of(plausible, st.times().map(lambda t: t.strftime("%H:%M"))), junk()


def item_answers(items: Sequence[str], top: int) -> dict[str, Strategies]:
    values = st.integers(0, top).map(str)
    bad = st.one_of(st.integers(-(10**7), 10**7).map(str), junk())
    return {f"item-{item}": (values, bad) for item in items}


PHQ9_ITEMS = [str(number) for number in range(1, 10)]


def checkin_verdict(world: World, data: QueryDict) -> tuple[bool, dict[str, Any]]:
    submission, _, _ = checkin_forms.read("phq9", data)
    return submission is not None, {}


# The registry ---------------------------------------------------------------------------------


def _about(world: World, data: Any, files: Any, user: User) -> list[forms.BaseForm]:
    profile = TherapistProfile.objects.filter(user=user).first()
    return one(AboutForm(data, files, instance=profile or TherapistProfile(user=user)))


def _signup(world: World, data: Any, files: Any) -> list[forms.BaseForm]:
    from allauth.account.forms import SignupForm

    return one(SignupForm(data))


def _profile(world: World) -> TherapistProfile:
    return TherapistProfile.objects.get(pk=world.profile.pk)


PROGRAM_FIELDS = (
    "organisation", "name", "description", "starts", "ends", "jurisdictions",
    "session_allowance", "sponsor_paid",
)  # fmt: skip


def coordinated(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user)


def program_overrides(world: World) -> dict[str, Strategies]:
    taken = make_program(world.organisation, name="Already here").name
    return {
        "organisation": (st.just(str(world.organisation.pk)), junk()),
        "name": (st.sampled_from(["Winter support", taken, " Spring ", "x" * 120]), junk()),
    }


WEEKDAY_FIELDS = tuple(
    f"d{day}_{edge}{number}" for day in range(7) for number in (1, 2) for edge in ("start", "end")
)
SESSION_KINDS = ("consultation", "session", "check_in")


TARGETS: list[Target] = [
    Target(
        "signup",
        (SignupDetailsForm,),
        "account_signup",
        ANONYMOUS,
        ("email", "password1", "password2", "role", "pseudonym", "legal_name", "profession"),
        _signup,
        check_signup,
        overrides=lambda world: {
            "password1": (st.sampled_from([PASSWORD, "short", "password123"]), junk()),
            "email": (
                st.one_of(
                    st.builds(lambda n: f"new{n}@example.test", st.integers(0, 10**6)),
                    st.just(world.seeker.email),  # taken
                ),
                junk(),
            ),
        },
        linked={"password2": "password1"},
    ),
    Target(
        "directory-about",
        (AboutForm,),
        "directory:wizard",
        "therapist",
        ("display_name", "pronouns", "credentials", "profession", "bio", "photo"),
        lambda world, data, files: _about(world, data, files, world.therapist),
        check_about,
        kwargs=lambda world: {"step": 1},
    ),
    Target(
        "directory-about-first",
        (AboutForm,),
        "directory:wizard",
        "new_therapist",
        ("display_name", "pronouns", "credentials", "profession", "bio", "photo"),
        lambda world, data, files: _about(world, data, files, world.new_therapist),
        check_first_about,
        kwargs=lambda world: {"step": 1},
    ),
    Target(
        "directory-practice",
        (PracticeForm,),
        "directory:wizard",
        "therapist",
        (
            "modalities",
            "focus_areas",
            "formats",
            "languages",
            "clinician_experience_years",
            "professions_served",
        ),
        lambda world, data, files: one(PracticeForm(data, files, instance=_profile(world))),
        check_practice,
        kwargs=lambda world: {"step": 2},
    ),
    Target(
        "directory-fees",
        (FeesForm,),
        "directory:wizard",
        "therapist",
        (
            "fee",
            "sliding_scale",
            "accepting",
            "capacity",
            "office_jurisdiction",
            "office_zip",
            "time_zone",
        ),
        lambda world, data, files: one(FeesForm(data, files, instance=_profile(world))),
        check_fees,
        kwargs=lambda world: {"step": 3},
        overrides=lambda world: {
            "office_zip": (
                st.sampled_from(["", "80302", "80202", "10001", "00000", "8030"]),
                junk(),
            ),
            "office_jurisdiction": (st.sampled_from(["", "US-CO", "US-NY", "US-PR"]), junk()),
        },
    ),
    Target(
        "directory-license",
        (LicenseForm,),
        "directory:add_license",
        "therapist",
        ("license-profession", "license-jurisdiction", "license-number", "license-expires"),
        lambda world, data, files: one(LicenseForm(data, prefix="license")),
        check_license,
        overrides=lambda world: {
            "license-number": (
                st.one_of(
                    st.just(world.profile.licenses.get().number),  # already listed
                    st.from_regex(r"[A-Z]{0,3}-?[0-9]{3,8}", fullmatch=True),
                ),
                junk(),
            )
        },
    ),
    Target(
        "directory-authorization",
        (AuthorizationForm,),
        "directory:add_authorization",
        "therapist",
        ("authorization-kind", "authorization-jurisdiction", "authorization-expires"),
        lambda world, data, files: one(AuthorizationForm(data, prefix="authorization")),
        check_authorization,
    ),
    Target(
        "directory-browse",
        (BrowseForm,),
        "directory:browse",
        ANONYMOUS,
        ("location", "format", "modality", "focus", "language", "max_fee"),
        lambda world, data, files: one(BrowseForm(data)),
        nothing_written,
        method="get",
        inputs=lambda world: {"page": (st.integers(0, 600).map(str), junk())},
        writes_nothing=True,
    ),
    Target(
        "find-where",
        (WhereForm,),
        "matching:start",
        ANONYMOUS,
        ("location", "formats", "zip", "max_miles"),
        lambda world, data, files: one(WhereForm(data)),
        check_where,
        overrides=lambda world: {
            "zip": (st.sampled_from(["", "80302", "10001", "80302-1234", "00000"]), junk())
        },
        writes_nothing=True,
    ),
    Target(
        "find-needs",
        (NeedsForm,),
        "matching:needs",
        ANONYMOUS,
        ("concerns", "modalities", "max_fee", "language", "profession"),
        lambda world, data, files: one(NeedsForm(data)),
        check_needs,
        client=lambda world: world.anonymous_find_client(needs=False),
        writes_nothing=True,
    ),
    Target(
        "find-world-strictness",
        (StrictnessForm,),
        "matching:world",
        ANONYMOUS,
        ("strictness",),
        lambda world, data, files: one(StrictnessForm(data)),
        check_strictness,
        inputs=lambda world: {
            "action": (st.sampled_from(["done", "add"]), junk()),
            "remove_place": (st.sampled_from(["0", "1", "-1"]), junk()),
        },
        client=lambda world: world.anonymous_find_client(needs=True),
        writes_nothing=True,
    ),
    Target(
        "find-world-place",
        (PlaceForm,),
        "matching:world",
        ANONYMOUS,
        (
            "place-name",
            "place-entity",
            "place-kind",
            "place-start_year",
            "place-end_year",
            "place-exclude_all",
            "place-pick",
        ),
        lambda world, data, files: one(
            PlaceForm(data, prefix="place", empty_permitted=True, use_required_attribute=False)
        ),
        check_world_place,
        overrides=lambda world: {
            "place-start_year": (st.integers(1940, 2030).map(str), junk()),
            "place-end_year": (st.integers(1940, 2030).map(str), junk()),
            "place-pick": (st.sampled_from(["", "new", "1"]), junk()),
        },
        fixed={"strictness": "standard"},
        client=lambda world: world.anonymous_find_client(needs=True),
        writes_nothing=True,
    ),
    Target(
        "find-world-avoid",
        (AvoidForm,),
        "matching:world",
        ANONYMOUS,
        ("avoid-identifier_kind", "avoid-value"),
        lambda world, data, files: one(
            AvoidForm(data, prefix="avoid", empty_permitted=True, use_required_attribute=False)
        ),
        check_world_person("avoid"),
        overrides=lambda world: {"avoid-value": person_values()},
        fixed={"strictness": "standard"},
        client=lambda world: world.anonymous_find_client(needs=True),
        writes_nothing=True,
    ),
    Target(
        "find-world-tie",
        (TieForm,),
        "matching:world",
        ANONYMOUS,
        ("tie-tie_kind", "tie-identifier_kind", "tie-value"),
        lambda world, data, files: one(
            TieForm(data, prefix="tie", empty_permitted=True, use_required_attribute=False)
        ),
        check_world_person("ties"),
        overrides=lambda world: {"tie-value": person_values()},
        fixed={"strictness": "standard"},
        client=lambda world: world.anonymous_find_client(needs=True),
        writes_nothing=True,
    ),
    Target(
        "network-place",
        (PlaceForm,),
        "network:add_place",
        "therapist",
        (
            "place-name",
            "place-entity",
            "place-kind",
            "place-start_year",
            "place-end_year",
            "place-pick",
        ),
        lambda world, data, files: one(PlaceForm(data, prefix="place", seeker=False)),
        check_network_place,
        overrides=lambda world: {
            "place-start_year": (st.integers(1940, 2030).map(str), junk()),
            "place-end_year": (st.integers(1940, 2030).map(str), junk()),
            "place-pick": (st.sampled_from(["", "new", "1"]), junk()),
        },
    ),
    Target(
        "network-tie",
        (TieForm,),
        "network:add_tie",
        "therapist",
        ("tie-tie_kind", "tie-identifier_kind", "tie-value"),
        lambda world, data, files: one(TieForm(data, prefix="tie")),
        check_network_tie,
        overrides=lambda world: {"tie-value": person_values()},
    ),
    Target(
        "outreach-request",
        (RequestForm,),
        "outreach:new",
        "asker",
        ("profession", "setting", "situation", "preferred_times"),
        lambda world, data, files: one(RequestForm(data)),
        check_request,
        kwargs=lambda world: {"profile_id": world.profile.pk},
    ),
    Target(
        "outreach-decline",
        (DeclineForm,),
        "outreach:decline",
        "therapist",
        ("reason", "note"),
        lambda world, data, files: one(DeclineForm(data)),
        check_decline,
        kwargs=lambda world: {"request_id": world.open_request.pk},
    ),
    Target(
        "outreach-message",
        (MessageForm,),
        "outreach:thread",
        "seeker",
        ("body",),
        lambda world, data, files: one(MessageForm(data)),
        check_message,
        kwargs=lambda world: {"request_id": world.client_request.pk},
    ),
    Target(
        "outreach-reveal",
        (RevealForm,),
        "outreach:reveal",
        "seeker",
        ("legal_name", "share_email", "phone"),
        lambda world, data, files: one(RevealForm(data)),
        check_reveal,
        kwargs=lambda world: {"request_id": world.client_request.pk},
    ),
    Target(
        "practice-note",
        (NoteForm,),
        "practice:note",
        "therapist",
        ("text",),
        lambda world, data, files: one(NoteForm(data)),
        check_note,
        kwargs=lambda world: {
            "request_id": world.client_request.pk,
            "booking_id": world.past_session.pk,
        },
        reads_logged=True,
    ),
    Target(
        "practice-sign",
        (NoteForm,),
        "practice:sign",
        "therapist",
        ("text",),
        lambda world, data, files: one(NoteForm(data)),
        check_signed_note,
        kwargs=lambda world: {
            "request_id": world.client_request.pk,
            "booking_id": world.past_session.pk,
        },
        reads_logged=True,
    ),
    Target(
        "practice-amend",
        (AmendmentForm,),
        "practice:amend",
        "therapist",
        ("text",),
        lambda world, data, files: one(AmendmentForm(data)),
        check_amendment,
        kwargs=lambda world: {
            "request_id": world.client_request.pk,
            "booking_id": world.signed_session.pk,
        },
        reads_logged=True,
    ),
    Target(
        "practice-plan",
        (PlanForm,),
        "practice:start_plan",
        "therapist",
        ("instrument", "cadence"),
        lambda world, data, files: one(PlanForm(data)),
        check_plan,
        kwargs=lambda world: {"request_id": world.client_request.pk},
        reads_logged=True,
    ),
    Target(
        "mydata-delete",
        (ConfirmDeletionForm,),
        "mydata:delete",
        "seeker",
        ("password",),
        lambda world, data, files: one(ConfirmDeletionForm(data)),
        check_deletion,
        overrides=lambda world: {
            "password": (st.sampled_from([PASSWORD, f" {PASSWORD}", "wrong-password"]), junk())
        },
    ),
    Target(
        "programs-create",
        (ProgramForm,),
        "programs:create",
        "coordinator",
        PROGRAM_FIELDS,
        lambda world, data, files: one(
            ProgramForm(data, organisations=coordinated(world.coordinator))
        ),
        check_program_created,
        overrides=lambda world: program_overrides(world),
    ),
    Target(
        "programs-edit",
        (EditProgramForm,),
        "programs:edit",
        "coordinator",
        (*PROGRAM_FIELDS, "active"),
        lambda world, data, files: one(
            EditProgramForm(
                data, organisations=Organisation.objects.filter(pk=world.program.organisation_id)
            )
        ),
        check_program_edited,
        kwargs=lambda world: {"program_id": world.program.pk},
        overrides=lambda world: program_overrides(world),
    ),
    Target(
        "programs-invite",
        (InvitationForm,),
        "programs:invite",
        "coordinator",
        ("email",),
        lambda world, data, files: one(InvitationForm(data)),
        check_invitation,
        kwargs=lambda world: {"program_id": world.program.pk},
    ),
    Target(
        "programs-join",
        (CapacityForm,),
        "programs:join",
        "therapist",
        ("capacity",),
        lambda world, data, files: one(CapacityForm(data)),
        check_joined,
        kwargs=lambda world: {"token": world.invitation_token},
    ),
    Target(
        "programs-enroll",
        (EnrollForm,),
        "programs:enroll",
        "seeker",
        ("code", "need", "share_outcomes"),
        lambda world, data, files: one(EnrollForm(data)),
        check_enrolled,
        overrides=lambda world: {
            "code": (
                st.sampled_from(
                    [
                        world.program.code,
                        world.program.display_code,
                        world.program.code.lower(),
                        f" {world.program.display_code} ",
                        "ABCD-EFGH-JKMN",
                    ]
                ),
                junk(),
            )
        },
    ),
    Target(
        "programs-sharing",
        (SharingForm,),
        "programs:sharing",
        "seeker",
        ("share_outcomes",),
        lambda world, data, files: one(SharingForm(data)),
        check_sharing,
        kwargs=lambda world: {"enrollment_id": world.enrollment.pk},
        refuses=False,
    ),
    Target(
        "scheduling-weekly",
        (WeeklyAvailabilityForm,),
        "scheduling:settings",
        "therapist",
        WEEKDAY_FIELDS,
        lambda world, data, files: one(WeeklyAvailabilityForm(data, windows=[])),
        check_weekly,
        overrides=lambda world: dict.fromkeys(WEEKDAY_FIELDS, clock_times()),
    ),
    Target(
        "scheduling-day-off",
        (DayOffForm,),
        "scheduling:add_day_off",
        "therapist",
        ("date",),
        lambda world, data, files: one(DayOffForm(data)),
        check_day_off,
    ),
    Target(
        "scheduling-session-types",
        (SessionTypeForm,),
        "scheduling:session_types",
        "therapist",
        tuple(
            f"{kind}-{name}"
            for kind in SESSION_KINDS
            for name in ("active", "minutes", "buffer_minutes")
        ),
        lambda world, data, files: [
            SessionTypeForm(data, instance=t, prefix=t.kind)
            for t in SessionType.objects.filter(profile=world.profile)
        ],
        check_session_types,
        overrides=lambda world: {
            f"{kind}-{name}": (st.sampled_from(values).map(str), junk())
            for kind in SESSION_KINDS
            for name, values in (
                ("minutes", [15, 30, 50, 60, 90, 180, 9, 181]),
                ("buffer_minutes", [0, 5, 10, 15, 60, 61]),
            )
        },
    ),
    Target(
        "scheduling-settings",
        (SettingsForm,),
        "scheduling:save_settings",
        "therapist",
        ("video_url", "notice_hours"),
        lambda world, data, files: one(
            SettingsForm(data, instance=scheduling_selectors.settings_for(world.profile))
        ),
        check_settings,
    ),
    Target(
        "time-zone",
        (TimeZoneForm,),
        "accounts:time_zone",
        "seeker",
        ("time_zone",),
        lambda world, data, files: one(TimeZoneForm(data)),
        check_time_zone,
        overrides=lambda world: {
            "time_zone": (
                st.sampled_from(["America/Denver", "Europe/Lisbon", "UTC", "Mars/Base", " "]),
                junk(),
            )
        },
        inputs=lambda world: {
            "next": (
                st.sampled_from(
                    [
                        "/schedule/",
                        "//evil.example",
                        "https://evil.example/",
                        "javascript:alert(1)",
                        "/\\evil.example",
                        "",
                    ]
                ),
                junk(),
            )
        },
        writes_nothing=True,
    ),
    Target(
        "scheduling-book",
        (SlotForm,),
        "scheduling:book",
        "asker",
        ("start", "session_type"),
        lambda world, data, files: one(SlotForm(data)),
        check_book,
        kwargs=lambda world: {"profile_id": world.profile.pk},
        overrides=lambda world: {
            "start": slot_starts(world, "consultation"),
            "session_type": (
                st.sampled_from([str(t.pk) for t in world.profile.session_types.all()]),
                junk(),
            ),
        },
    ),
    Target(
        "scheduling-reschedule",
        (SlotForm,),
        "scheduling:reschedule",
        "seeker",
        ("start", "session_type"),
        lambda world, data, files: one(SlotForm(data)),
        check_reschedule,
        kwargs=lambda world: {"booking_id": world.booking.pk},
        overrides=lambda world: {"start": slot_starts(world, "consultation")},
    ),
    Target(
        "directory-admin-reject",
        (RejectReason,),
        "admin:directory_license_changelist",
        "staff",
        ("reason", "note"),
        lambda world, data, files: one(RejectReason(data)),
        check_reject,
        fixed={"action": "reject", "post": "yes"},
        inputs=lambda world: {
            helpers.ACTION_CHECKBOX_NAME: (
                st.just(str(world.pending_license.pk)),
                st.just(str(world.pending_license.pk)),
            )
        },
        reads_logged=True,
    ),
    Target(
        "scheduling-cancel",
        (CancelForm,),
        "scheduling:cancel",
        "seeker",
        ("reason",),
        lambda world, data, files: one(CancelForm(data)),
        check_cancel,
        kwargs=lambda world: {"booking_id": world.booking.pk},
    ),
]

# Pages that read posted answers without a Django Form class: fuzzed the same way, with the
# module that reads them as the oracle.
CHECKIN_TARGETS: list[Target] = [
    Target(
        "checkins-take",
        (),
        "checkins:take",
        ANONYMOUS,
        (),
        lambda world, data, files: [],
        check_checkin_take,
        kwargs=lambda world: {"instrument_id": "phq9"},
        inputs=lambda world: (
            item_answers(PHQ9_ITEMS, 3)
            | {"word": (st.sampled_from(["nurse", "therapist", ""]), junk())}
        ),
        writes_nothing=True,
    ),
    Target(
        "checkins-save",
        (),
        "checkins:save",
        "seeker",
        (),
        lambda world, data, files: [],
        check_checkin_save,
        inputs=lambda world: item_answers(PHQ9_ITEMS, 3) | {"item-99": (st.just(MISSING), junk())},
        fixed={"instrument": "phq9"},
    ),
]

# Base classes never posted on their own; their subclasses have targets.
ABSTRACT_FORMS = {"holdspace.network.forms._PersonForm", "holdspace.widgets.WarnsUnsaved"}


def person_values() -> Strategies:
    return (
        st.sampled_from(
            ["colleague@hospital.example", "Dana  Q.  Whitfield", "LIC-12345", "a@b", "x"]
        ),
        junk(),
    )


# --- the tests --------------------------------------------------------------------------------


def test_every_form_is_fuzzed() -> None:
    covered = {form_name(form) for target in TARGETS for form in target.forms}
    found = {form_name(form) for form in project_forms()}
    missing = found - covered - ABSTRACT_FORMS
    assert not missing, f"forms without a fuzzing target in TARGETS: {sorted(missing)}"
    assert not (covered | ABSTRACT_FORMS) - found, "targets for forms that no longer exist"


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.id)
def test_target_names_the_forms_fields(target: Target) -> None:
    world = World()
    posted_names = {
        form.add_prefix(name) for form in target.build(world, None, None) for name in form.fields
    }
    assert set(target.fields) == posted_names


@pytest.fixture
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _plain_render(self: Template, context: Context) -> SafeString:
    return self.nodelist.render(context)


@pytest.fixture
def _uninstrumented_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the test runner's per-template signal (the client copies every context for
    ``response.context``, unused here): it is a quarter of the fuzzer's time."""
    monkeypatch.setattr(Template, "_render", _plain_render)


def _verdict(
    target: Target, world: World, data: Data
) -> tuple[bool, dict[str, Any], list[forms.BaseForm]]:
    query, files = as_request_data(data)
    if not target.forms:
        valid, nothing = checkin_verdict(world, query)
        return valid, nothing, []
    built = target.build(world, query, files)
    valid = all(form.is_valid() for form in built)  # every form validated, as the views do
    cleaned: dict[str, Any] = {}
    for form in built:
        if form.is_valid():
            prefix = f"{form.prefix}-" if form.prefix and len(built) > 1 else ""
            cleaned |= {f"{prefix}{name}": value for name, value in form.cleaned_data.items()}
    return valid, cleaned, built


def _nul_refused(target: Target, data: Data, built: list[forms.BaseForm]) -> None:
    """A NUL character in a single text value is a validation error of that field."""
    for form in built:
        for name, form_field in form.fields.items():
            value = data.get(form.add_prefix(name))
            if (
                isinstance(form_field, forms.CharField)
                and not form_field.disabled
                and isinstance(value, str)
                and "\x00" in value
            ):
                assert name in form.errors, f"{target.id}: NUL accepted in {name!r}"


@pytest.mark.usefixtures("_media", "_uninstrumented_templates")
@pytest.mark.parametrize("target", TARGETS + CHECKIN_TARGETS, ids=lambda target: target.id)
def test_fuzz_form(target: Target) -> None:
    world = World()
    client = target.client(world) if target.client else world.client(target.persona)
    url = target.url(world)
    fields = {
        form.add_prefix(name): form_field
        for form in target.build(world, None, None)
        for name, form_field in form.fields.items()
    }
    strategies = strategies_for(fields, target.overrides(world)) | target.inputs(world)
    counter = RowCounter()

    session = client.cookies.get(django_settings.SESSION_COOKIE_NAME)

    @FUZZ
    @given(posted(strategies, target.linked))
    def example(data: Data) -> None:
        data = data | dict(target.fixed)
        cache.clear()  # rate-limit counters
        client.cookies.pop("messages", None)
        if session is not None:  # the session row is rolled back with each example: so is
            client.cookies[session.key] = session.value  # the cookie (after a sign-out)
        with transaction.atomic():
            valid, cleaned, built = _verdict(target, world, data)
            seen["valid" if valid else "invalid"] += 1
            _nul_refused(target, data, built)
            before = counter.snapshot()
            if target.method == "get":
                response = client.get(url, as_client_data(data))
            else:
                response = client.post(url, as_client_data(data))
            delta = RowCounter.delta(before, counter.snapshot())
            seen["saved"] += bool(valid and delta)
            assert response.status_code < 500, response.status_code
            if target.reads_logged and not valid:
                delta.pop("audit.AccessLog", None)  # the page logs its read of the record
            if target.writes_nothing or not valid:
                assert delta == {}, f"rows changed: {delta}"
            if valid:
                target.check(Outcome(world, data, cleaned, response, delta, client))
            if location := response.get("Location", ""):
                assert url_has_allowed_host_and_scheme(location, {"testserver"}), location
            transaction.set_rollback(True)

    seen = Counter[str]()
    example()
    # Both sides were exercised: junk that is refused, and data that gets through.
    assert seen["valid"], dict(seen)
    assert seen["invalid"] or not target.refuses, dict(seen)


def test_a_nul_character_is_a_validation_error_not_a_server_error() -> None:
    """The property above, once by hand: NUL in a text field re-renders the form."""
    world = World()
    client = world.client("therapist")
    response = client.post(
        reverse("directory:add_license"),
        {"license-profession": "social_worker", "license-jurisdiction": "US-CO",
         "license-number": "AB\x00123", "license-expires": "2099-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    assert world.profile.licenses.count() == 1
