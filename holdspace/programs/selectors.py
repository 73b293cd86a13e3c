"""Reads for programs. Every protected object is read through one ``get_<entity>_for(user, id)``
function: coordinators reach only their own organisations' programs (404 otherwise, so another
program's existence is not confirmed), seekers only their own enrollments, therapists only their
own places. No function here returns a list of people to a coordinator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.core.conflicts import Affiliation as CoreAffiliation
from holdspace.core.conflicts import Entity as CoreEntity
from holdspace.core.conflicts import Tie, TieGraph
from holdspace.core.eligibility import SeekerInput, TherapistInput
from holdspace.directory.selectors import listed_profiles
from holdspace.matching import selectors as matching
from holdspace.matching import services as matching_services
from holdspace.matching.answers import Answers, Place
from holdspace.outreach.models import ConsultationRequest
from holdspace.outreach.models import Status as RequestStatus
from holdspace.outreach.selectors import overdue_therapist_user_ids
from holdspace.programs.models import (
    ACTIVE_PLACEMENTS,
    Enrollment,
    EnrollmentStatus,
    InvitationState,
    Organisation,
    Placement,
    Program,
    ProgramTherapist,
    TherapistInvitation,
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- permission-checked getters -------------------------------------------------------------


def programs_for(user: User) -> QuerySet[Program]:
    """The programs a coordinator runs (their organisations'); nothing for anyone else."""
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        return Program.objects.none()
    return Program.objects.filter(organisation__memberships__user=user).select_related(
        "organisation"
    )


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The organisations a coordinator is linked to (and may create programs for)."""
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def get_program_for(user: User, program_id: int) -> Program:
    """A program of one of the coordinator's organisations; any other id is a 404."""
    try:
        return programs_for(user).get(pk=program_id)
    except Program.DoesNotExist:
        raise Http404("No such program") from None


def get_enrollment_for(user: User, enrollment_id: int) -> Enrollment:
    """The signed-in seeker's own enrollment; anyone else's is a 404."""
    if not user.is_authenticated or user.role != Role.SEEKER:
        raise Http404("No such enrollment")
    try:
        return Enrollment.objects.select_related("program", "program__organisation").get(
            pk=enrollment_id, seeker=user
        )
    except Enrollment.DoesNotExist:
        raise Http404("No such enrollment") from None


def get_place_for(user: User, place_id: int) -> ProgramTherapist:
    """The signed-in therapist's own place in a program; anyone else's is a 404."""
    if not user.is_authenticated or user.role != Role.THERAPIST:
        raise Http404("No such program place")
    try:
        return ProgramTherapist.objects.select_related("program", "profile").get(
            pk=place_id, profile__user=user
        )
    except ProgramTherapist.DoesNotExist:
        raise Http404("No such program place") from None


def get_invitation(token: str, *, now: dt.datetime) -> TherapistInvitation | None:
    """The unanswered, unexpired invitation this token opens, or None."""
    return (
        TherapistInvitation.objects.select_related("program", "program__organisation")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            declined_at__isnull=True,
            expires__gt=now,
        )
        .first()
    )


@dataclass(frozen=True)
class InvitationRow:
    """One invitation as its coordinator sees it. Therapists are named (they are not
    anonymous, and the coordinator invited them); no seeker is ever in here."""

    sent_to: str  # the address it was e-mailed to, or "" for a link copied by hand
    created: dt.datetime
    state: InvitationState
    state_label: str
    answered_at: dt.datetime | None  # joined or declined
    expires: dt.datetime
    therapist: str  # who joined through it, if anyone


@dataclass(frozen=True)
class InvitationCounts:
    """Counts of invitations. About therapists, whom the coordinator sees by name anyway, so
    the small-number rule for figures about seekers does not apply."""

    invited: int
    accepted: int
    declined: int
    not_answered: int  # neither joined nor declined: still open, or expired
    expired: int  # of those not answered, the links that ran out


def invitations_for(program: Program, *, now: dt.datetime) -> list[InvitationRow]:
    """The program's invitations, newest first, with their state at ``now``. Call only with a
    program from ``get_program_for`` (the coordinator's own)."""
    rows = []
    for invitation in program.invitations.select_related("used_by").order_by("-created", "-pk"):
        state = invitation.state_at(now)
        rows.append(
            InvitationRow(
                sent_to=invitation.email,
                created=invitation.created,
                state=state,
                state_label=state.label,
                answered_at=invitation.used_at or invitation.declined_at,
                expires=invitation.expires,
                therapist=invitation.used_by.display_name if invitation.used_by else "",
            )
        )
    return rows


def invitation_counts(rows: list[InvitationRow]) -> InvitationCounts:
    states = [row.state for row in rows]
    return InvitationCounts(
        invited=len(states),
        accepted=states.count(InvitationState.ACCEPTED),
        declined=states.count(InvitationState.DECLINED),
        not_answered=states.count(InvitationState.WAITING) + states.count(InvitationState.EXPIRED),
        expired=states.count(InvitationState.EXPIRED),
    )


def enrollments_for(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(seeker=user).select_related("program")


def places_for(user: User) -> QuerySet[ProgramTherapist]:
    return ProgramTherapist.objects.filter(profile__user=user).select_related("program")


def active_placement(enrollment: Enrollment) -> Placement | None:
    return (
        Placement.objects.filter(enrollment=enrollment, status__in=ACTIVE_PLACEMENTS)
        .select_related("place__profile", "request")
        .first()
    )


def outside_program(enrollment: Enrollment) -> bool:
    """The saved answers place the seeker in a state the program doesn't cover."""
    profile = enrollment.find_profile
    covered = enrollment.program.jurisdictions
    return bool(profile is not None and covered and profile.location not in covered)


def program_requests(place: ProgramTherapist) -> QuerySet[Placement]:
    """The therapist's own requests that came through this program (their own inbox items)."""
    return (
        Placement.objects.filter(place=place, status__in=ACTIVE_PLACEMENTS)
        .exclude(request=None)
        .select_related("request")
    )


# --- core inputs for an allocation ----------------------------------------------------------


def free_places(program: Program) -> list[tuple[ProgramTherapist, int]]:
    """Active places with room left: capacity minus offers still open and accepted ones."""
    rows = (
        ProgramTherapist.objects.filter(program=program, left_at__isnull=True)
        .annotate(used=Count("placements", filter=Q(placements__status__in=ACTIVE_PLACEMENTS)))
        .select_related("profile")
        .order_by("pk")
    )
    return [(place, place.capacity - place.used) for place in rows if place.capacity > place.used]


def waiting_enrollments(program: Program) -> QuerySet[Enrollment]:
    """Enrollees waiting for a place who have given their Find answers."""
    return (
        Enrollment.objects.filter(
            program=program, status=EnrollmentStatus.WAITING, find_profile__isnull=False
        )
        .select_related("seeker")
        .order_by("pk")
    )


def program_answers(enrollment: Enrollment) -> Answers | None:
    """The enrollee's saved Find answers with the program's organisation added as a place they
    belong to and exclude entirely: nobody affiliated with it, at any time, is offered. This
    copy also travels with the consultation request, so outreach's re-checks apply it too."""
    answers = matching_services.saved_answers(user=enrollment.seeker)
    if answers is None or answers.where is None or answers.needs is None:
        return None
    entity = enrollment.program.organisation.entity
    places = [p for p in answers.world.places if p.entity != entity.pk]
    places.append(Place(kind=entity.kind, name=entity.name, entity=entity.pk, exclude_all=True))
    return replace(answers, world=replace(answers.world, places=places))


@dataclass
class GraphParts:
    """The union of many seekers' neighbourhoods, as plain sets (so it can also be exported)."""

    entities: dict[str, str] = field(default_factory=dict)  # node -> kind
    affiliations: set[CoreAffiliation] = field(default_factory=set)
    ties: set[tuple[str, str]] = field(default_factory=set)

    def absorb(self, graph: TieGraph) -> None:
        self.entities.update((e.id, e.kind) for e in graph.entities())
        self.affiliations.update(graph.affiliations())
        self.ties.update((t.a, t.b) for t in graph.ties())

    def graph(self) -> TieGraph:
        return TieGraph(
            [CoreEntity(id=node, kind=kind) for node, kind in sorted(self.entities.items())],
            sorted(self.affiliations, key=_affiliation_key),
            [Tie(a, b) for a, b in sorted(self.ties)],
        )


def _affiliation_key(a: CoreAffiliation) -> tuple[str, str, str, str]:
    return (a.person, a.entity, str(a.start or ""), str(a.end or ""))


@dataclass
class ProgramInputs:
    """Everything one allocation needs, and the way back from core ids to rows."""

    as_of: dt.date
    seekers: list[SeekerInput]
    therapists: list[TherapistInput]
    parts: GraphParts
    graph: TieGraph
    enrollments: dict[str, Enrollment]
    answers: dict[str, Answers]
    places: dict[str, ProgramTherapist]


def program_inputs(program: Program, *, now: dt.datetime | None = None) -> ProgramInputs:
    """Core inputs for the program's waiting enrollees and the places with room left."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    free = free_places(program)
    profile_ids = [place.profile_id for place, _ in free]
    candidates = {c.profile_id: c for c in matching.load_candidates(profile_ids, today=today)}
    listed = set(
        listed_profiles(today=today)
        .filter(pk__in=[p.profile_id for p, _ in free])
        .values_list("pk", flat=True)
    )
    therapists: list[TherapistInput] = []
    places: dict[str, ProgramTherapist] = {}
    # The answer guarantee: therapists sitting on requests past 72 hours get no new ones.
    overdue = set(overdue_therapist_user_ids(now=now))
    for place, room in free:
        candidate = candidates.get(place.profile_id)
        if candidate is None or place.profile_id not in listed or candidate.user_id in overdue:
            continue  # not listed today (licence lapsed, profile unpublished): not offered
        # The program's capacity, not the practice-wide one, limits this batch.
        therapists.append(replace(candidate.therapist, capacity=room))
        places[candidate.therapist.id] = place
    parts = GraphParts()
    seekers: list[SeekerInput] = []
    enrollments: dict[str, Enrollment] = {}
    answers_by_id: dict[str, Answers] = {}
    for enrollment in waiting_enrollments(program):
        answers = program_answers(enrollment)
        if answers is None:
            continue
        seeker_id = matching.user_node(enrollment.seeker_id)
        hood = matching.neighbourhood(
            seeker_id=seeker_id, seeker_user=enrollment.seeker, world=answers.world, today=today
        )
        parts.absorb(hood.graph)
        seeker = matching.seeker_input(seeker_id=seeker_id, answers=answers, hood=hood)
        # Not offered again: therapists this enrollee was offered before (declined either
        # way), and those they are already talking to outside the program.
        earlier = [
            matching.user_node(user_id)
            for user_id in Placement.objects.filter(enrollment=enrollment).values_list(
                "place__profile__user_id", flat=True
            )
        ] + [
            matching.user_node(user_id)
            for user_id in ConsultationRequest.objects.filter(
                seeker_id=enrollment.seeker_id,
                status__in=[RequestStatus.OPEN, RequestStatus.ACCEPTED],
            ).values_list("profile__user_id", flat=True)
        ]
        seekers.append(
            replace(
                seeker,
                avoid=sorted({*seeker.avoid, *earlier}),
                priority=enrollment.priority,
            )
        )
        enrollments[seeker_id] = enrollment
        answers_by_id[seeker_id] = answers
    return ProgramInputs(
        as_of=today,
        seekers=seekers,
        therapists=therapists,
        parts=parts,
        graph=parts.graph(),
        enrollments=enrollments,
        answers=answers_by_id,
        places=places,
    )


def due_programs(*, today: dt.date) -> Iterator[Program]:
    """Programs open today with someone waiting: the nightly run's work list."""
    programs = (
        Program.objects.filter(active=True, starts__lte=today)
        .filter(Q(ends__isnull=True) | Q(ends__gte=today))
        .filter(enrollments__status=EnrollmentStatus.WAITING)
        .distinct()
        .order_by("pk")
    )
    yield from programs
