"""Reads for the role homes. Every figure comes from the selector of the app that owns it; this
module only gathers them (and no app imports it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.accounts.time_zones import zone_for
from holdspace.checkins import selectors as checkins
from holdspace.directory import selectors as directory
from holdspace.directory.completeness import Completeness, completeness
from holdspace.directory.models import Authorization, License, TherapistProfile
from holdspace.matching import selectors as matching
from holdspace.matching import services as matching_services
from holdspace.matching.selectors import ShortlistItem
from holdspace.outreach import selectors as outreach
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice import selectors as practice
from holdspace.practice.selectors import AskedRow, Attention
from holdspace.programs import selectors as programs
from holdspace.programs.models import Enrollment
from holdspace.scheduling import selectors as scheduling
from holdspace.scheduling.models import Booking, BookingStatus

SHORTLIST_SHOWN = 3  # the top of the saved shortlist; the full list is one click away
SESSIONS_SHOWN = 5
PENDING_SHOWN = 20
CONFIRM_WARNING_DAYS = 7  # "confirm your details" becomes something that needs them


def _with_messages(conversations: Iterable[ConsultationRequest]) -> list[ConsultationRequest]:
    """Only those with unread messages (a new request is listed with the waiting ones)."""
    return [c for c in conversations if outreach.unread_messages_of(c)]


# --- seeker: "My care" --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeekerHome:
    requests: list[ConsultationRequest]  # annotated with unread_messages
    unread: list[ConsultationRequest]  # conversations with messages they haven't read
    sessions: list[Booking]
    asked: list[AskedRow]  # check-ins their therapist asked for, still to do
    recent: list[checkins.Recent]
    self_harm: bool  # their latest PHQ-9 carried a risk answer: crisis resources first
    shortlist: list[ShortlistItem] | None  # None: no saved Find answers
    shortlist_requested: int  # who fits but is left out: already in their requests
    saved: list[TherapistProfile]  # saved to compare (directory's compare list)
    enrollments: list[Enrollment]

    @property
    def is_new(self) -> bool:
        """Nothing yet at all: the page leads with where to start."""
        return not (
            self.requests or self.sessions or self.recent or self.enrollments or self.saved
        ) and (self.shortlist is None)


def seeker_home(user: User, *, now: dt.datetime, today: dt.date) -> SeekerHome:
    requests = list(outreach.current_requests_for(user, now=now))
    answers = matching_services.saved_answers(user=user)
    shortlist = None
    requested = 0
    if answers is not None and answers.where is not None and answers.needs is not None:
        # Those they are already talking to are listed with their requests instead.
        talking = {r.profile_id for r in requests if r.status in (Status.OPEN, Status.ACCEPTED)}
        found = matching.shortlist_for(answers=answers, seeker_user=user, today=today)
        others = [i for i in found.items if i.profile.pk not in talking]
        requested = len(found.items) - len(others)
        shortlist = others[:SHORTLIST_SHOWN]
    return SeekerHome(
        requests=requests,
        unread=_with_messages(outreach.unread_conversations(user)),
        sessions=list(scheduling.upcoming_for(user, now=now)[:SESSIONS_SHOWN]),
        asked=practice.asked_rows(user, now=now),
        recent=checkins.recent_for(user),
        self_harm=checkins.latest_phq9_self_harm(user),
        shortlist=shortlist,
        shortlist_requested=requested,
        saved=directory.saved_therapists_for(user, today=today),
        enrollments=list(programs.enrollments_for(user)),
    )


# --- therapist: "Today" -------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """The listing's health: is it shown, is a confirmation due, what is missing."""

    problems: list[str]
    completeness: Completeness
    confirm_by: dt.date | None  # hidden after this day unless confirmed again
    confirm_soon: bool  # within a week (or already past)


@dataclass(frozen=True)
class TherapistHome:
    day: dt.date  # today, in the therapist's zone
    profile: TherapistProfile | None  # None: a new therapist who has not started their profile
    waiting: list[ConsultationRequest]  # open requests, the one due soonest first
    unread: list[ConsultationRequest]  # conversations with messages they haven't read
    today: list[Booking]
    week: list[Booking]  # the six days after today
    to_confirm: list[Booking]  # every session still to come that waits for their yes
    attention: list[Attention]  # clients with risk flags or check-ins still to do
    listing: Listing | None

    @property
    def flags(self) -> int:
        return sum(row.flags for row in self.attention)

    @property
    def needs_you(self) -> bool:
        confirm = self.listing is not None and self.listing.confirm_soon
        return bool(self.flags or self.waiting or self.to_confirm or self.unread or confirm)


def _local_midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(zone))


def listing_health(profile: TherapistProfile, *, today: dt.date) -> Listing:
    confirm_by = (
        profile.last_confirmed + dt.timedelta(days=settings.PROFILE_CONFIRM_DAYS)
        if profile.last_confirmed
        else None
    )
    return Listing(
        problems=directory.listing_problems(profile=profile, today=today),
        completeness=completeness(
            directory.profile_facts(
                profile=profile,
                today=today,
                has_availability=scheduling.has_weekly_availability(profile),
            )
        ),
        confirm_by=confirm_by,
        confirm_soon=confirm_by is None or (confirm_by - today).days <= CONFIRM_WARNING_DAYS,
    )


def therapist_home(user: User, *, now: dt.datetime) -> TherapistHome:
    try:
        profile: TherapistProfile | None = directory.get_profile_for(user)
    except Http404:
        profile = None
    zone = zone_for(user)  # their chosen zone, else their practice's (accounts.time_zones)
    local_today = now.astimezone(ZoneInfo(zone)).date()
    tomorrow = _local_midnight(local_today + dt.timedelta(days=1), zone)
    week_end = _local_midnight(local_today + dt.timedelta(days=7), zone)
    upcoming = list(scheduling.upcoming_for(user, now=now, until=week_end))
    return TherapistHome(
        day=local_today,
        profile=profile,
        waiting=list(outreach.waiting_for_answer(user)),  # their news is shown with them
        unread=_with_messages(outreach.unread_conversations(user).exclude(status=Status.OPEN)),
        today=[b for b in upcoming if b.start < tomorrow],
        week=[b for b in upcoming if b.start >= tomorrow],
        to_confirm=list(
            scheduling.upcoming_for(user, now=now).filter(status=BookingStatus.PENDING)
        ),
        attention=practice.needing_attention(user, now=now),
        listing=listing_health(profile, today=local_today) if profile else None,
    )


# --- staff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffHome:
    licenses: list[License]  # the longest waiting first, at most PENDING_SHOWN
    license_count: int
    authorization_count: int
    authorizations: list[Authorization]


def staff_home() -> StaffHome:
    licenses = directory.pending_licenses()
    authorizations = directory.pending_authorizations()
    return StaffHome(
        licenses=list(licenses[:PENDING_SHOWN]),
        license_count=licenses.count(),
        authorization_count=authorizations.count(),
        authorizations=list(authorizations[:PENDING_SHOWN]),
    )


# --- the next step after signing up -----------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    label: str  # the link: "create your profile"
    why: str  # one sentence
    url: str


def next_step(user: User) -> NextStep:
    """Where a person goes next once their account is set up (after the second sign-in step)."""
    if user.role == Role.THERAPIST:
        try:
            profile = directory.get_profile_for(user)
        except Http404:
            return NextStep(
                "create your profile",
                "Seekers choose you by it. It takes about ten minutes, saved step by step.",
                reverse("directory:wizard", args=[1]),
            )
        if not profile.published:
            return NextStep(
                "finish your profile",
                "Publish it when you're ready; we verify your license before it is listed.",
                reverse("directory:wizard", args=[min(profile.wizard_step, 5)]),
            )
        return NextStep("see what needs you today", "Requests, sessions and clients.",
                        reverse("home:therapist"))  # fmt: skip
    if user.role == Role.COORDINATOR:
        if programs.programs_for(user).exists():
            return NextStep("go to your programs", "Figures, allocation and reports.",
                            reverse("programs:home"))  # fmt: skip
        if programs.organisations_for(user).exists():
            return NextStep(
                "create your program",
                "Give it dates and the states it covers; you get a code to share.",
                reverse("programs:create"),
            )
        return NextStep(
            "go to your programs",
            "Once the Holdspace team links your account to your organisation, you can create "
            "programs there.",
            reverse("programs:home"),
        )
    if user.role == Role.STAFF:
        return NextStep("review licenses waiting for verification", "Oldest first.",
                        reverse("home:staff"))  # fmt: skip
    return NextStep("go to My care", "Your requests, sessions and check-ins in one place.",
                    reverse("home:seeker"))  # fmt: skip
