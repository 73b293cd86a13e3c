"""Reads for outreach. Every read of a request or thread goes through ``get_request_for`` /
``get_thread_for``: only the seeker and the therapist of a request ever get it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import statistics
from dataclasses import asdict

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.core.compacts import load_compacts
from holdspace.core.conflicts import seeker_conflicts
from holdspace.core.eligibility import eligible
from holdspace.directory.models import TherapistProfile
from holdspace.directory.selectors import listed_profiles
from holdspace.matching import selectors as matching
from holdspace.matching.answers import Answers, Needs, Person, Place, Where, World
from holdspace.outreach.models import ANSWER_WITHIN, ConsultationRequest, Message, Status

RECORD_SIZE = 20  # the response-time record looks at this many recent finished requests
NEXT_MATCHES = 5


def _requests() -> QuerySet[ConsultationRequest]:
    return ConsultationRequest.objects.select_related("seeker", "profile", "profile__user")


def get_request_for(user: User, request_id: int) -> ConsultationRequest:
    """A request its seeker or its therapist may see; anyone else (staff too) gets a 404."""
    if not user.is_authenticated:
        raise Http404("No such request")
    try:
        return _requests().get(Q(seeker=user) | Q(profile__user=user), pk=request_id)
    except ConsultationRequest.DoesNotExist:
        raise Http404("No such request") from None


def get_thread_for(user: User, request_id: int) -> ConsultationRequest:
    """The message thread of a request (a thread is its request's): the same two parties."""
    return get_request_for(user, request_id)


def thread_messages(request: ConsultationRequest) -> QuerySet[Message]:
    return request.messages.select_related("sender")


CLOSED_ACCOUNT = (
    "{who} closed their Holdspace account, so messages can no longer reach them. The "
    "conversation stays here as part of your record."
)


def message_refusal(request: ConsultationRequest, user: User) -> str | None:
    """Why ``user`` (one of the request's two parties) can't write in its thread now, in words
    to show them; None when they can. A closed account (a deleted "Former client", or one
    being deleted) is never written to."""
    if not request.can_message:
        return "This conversation is closed."
    if user.pk == request.seeker_id:
        if not request.profile.user.is_active:
            return CLOSED_ACCOUNT.format(who="This therapist")
    elif not request.seeker.is_active:
        return CLOSED_ACCOUNT.format(who="This person")
    return None


def requests_for(user: User) -> QuerySet[ConsultationRequest]:
    """The user's requests: sent as a seeker, or received as a therapist."""
    return _requests().filter(Q(seeker=user) | Q(profile__user=user))


def waiting_for_answer(therapist: User) -> QuerySet[ConsultationRequest]:
    """Open requests to this therapist, the one due soonest first."""
    return with_unread(
        _requests().filter(profile__user=therapist, status=Status.OPEN), therapist
    ).order_by("created_at", "pk")


def current_requests_for(
    seeker: User, *, now: dt.datetime, recent: dt.timedelta = dt.timedelta(days=14)
) -> QuerySet[ConsultationRequest]:
    """The seeker's requests still going on (waiting or accepted), and those declined or
    expired lately (their next matches are worth seeing), newest first."""
    return with_unread(
        _requests()
        .filter(seeker=seeker)
        .filter(
            Q(status__in=[Status.OPEN, Status.ACCEPTED])
            | Q(status__in=[Status.DECLINED, Status.EXPIRED], closed_at__gte=now - recent)
        ),
        seeker,
    )


def overdue_therapist_user_ids(*, now: dt.datetime) -> QuerySet[ConsultationRequest, int]:
    """User ids of therapists holding an open request older than the answer guarantee; they
    stay out of new shortlists until they answer (or the requests expire)."""
    return (
        ConsultationRequest.objects.filter(status=Status.OPEN, created_at__lte=now - ANSWER_WITHIN)
        .values_list("profile__user_id", flat=True)
        .distinct()
    )


def has_accepted_request(*, seeker: User, profile: TherapistProfile) -> bool:
    return ConsultationRequest.objects.filter(
        seeker=seeker, profile=profile, status=Status.ACCEPTED
    ).exists()


# --- the response-time record ------------------------------------------------------------


def median_answer_hours(profile: TherapistProfile) -> float | None:
    """Median hours to answer over the recent finished requests; expiries count as 72 h."""
    rows = (
        ConsultationRequest.objects.filter(
            profile=profile, status__in=[Status.ACCEPTED, Status.DECLINED, Status.EXPIRED]
        )
        .order_by("-created_at")
        .values_list("status", "created_at", "answered_at")[:RECORD_SIZE]
    )
    limit = ANSWER_WITHIN.total_seconds() / 3600
    hours = [
        limit
        if status == Status.EXPIRED or answered is None
        else min((answered - created).total_seconds() / 3600, limit)
        for status, created, answered in rows
    ]
    return statistics.median(hours) if hours else None


def response_record(profile: TherapistProfile) -> str:
    """The record in words, for the public profile."""
    hours = median_answer_hours(profile)
    if hours is None:
        return "New on Holdspace: no requests answered yet."
    for limit, words in ((4, "within a few hours"), (24, "within a day"), (48, "within two days")):
        if hours <= limit:
            return f"Usually answers {words}."
    if hours < ANSWER_WITHIN.total_seconds() / 3600:
        return "Usually answers within three days."
    return "Often doesn't answer within three days."


# --- answers snapshots and the pair check ----------------------------------------------------


def dump_answers(answers: Answers) -> str:
    """What is kept of the Find answers: where, needs and world. The crisis answer is acted
    on at once and never kept."""
    data = asdict(answers)
    if data.get("needs"):
        data["needs"]["crisis"] = False
    return json.dumps(data)


def load_answers(text: str) -> Answers | None:
    if not text:
        return None
    data = json.loads(text)
    world = data.get("world") or {}
    return Answers(
        where=Where(**data["where"]) if data.get("where") else None,
        needs=Needs(**data["needs"]) if data.get("needs") else None,
        world=World(
            places=[Place(**p) for p in world.get("places", [])],
            avoid=[Person(**p) for p in world.get("avoid", [])],
            ties=[Person(**p) for p in world.get("ties", [])],
            strictness=world.get("strictness", "standard"),
        ),
        world_done=bool(data.get("world_done")),
    )


def pair_allowed(
    *, seeker: User, profile: TherapistProfile, answers: Answers, today: dt.date,
    already_agreed: bool = False,
) -> bool:  # fmt: skip
    """The matching rules for this one pair, as the shortlist applies them: listed, eligible
    (licensure, formats, distance) and no conflict. ``already_agreed``: at acceptance the
    therapist's own "accepting new clients" switch no longer matters."""
    if answers.where is None or answers.needs is None:
        return False
    if not listed_profiles(today=today).filter(pk=profile.pk).exists():
        return False
    candidates = matching.load_candidates([profile.pk], today=today)
    if not candidates:
        return False
    therapist = candidates[0].therapist
    if already_agreed:
        therapist = dataclasses.replace(
            therapist, accepting=True, capacity=max(1, therapist.capacity)
        )
    seeker_id = matching.user_node(seeker.pk)
    hood = matching.neighbourhood(
        seeker_id=seeker_id, seeker_user=seeker, world=answers.world, today=today
    )
    seeker_in = matching.seeker_input(seeker_id=seeker_id, answers=answers, hood=hood)
    if not eligible(therapist, seeker_in, compacts=load_compacts(), as_of=today):
        return False
    conflicts = seeker_conflicts(
        seeker_id,
        hood.graph,
        strict=seeker_in.strict,
        avoid=seeker_in.avoid,
        exclude_entities=seeker_in.exclude_entities,
        as_of=today,
    )
    return conflicts.reason(therapist.id) is None


def request_possible(
    *, seeker: User, profile: TherapistProfile, answers: Answers, now: dt.datetime
) -> bool:
    """May this seeker send this therapist a request now: the pair passes the matching rules
    and the therapist is not overdue on answering others (the answer guarantee)."""
    overdue = overdue_therapist_user_ids(now=now).filter(profile__user_id=profile.user_id)
    if overdue.exists():
        return False
    return pair_allowed(
        seeker=seeker, profile=profile, answers=answers, today=timezone.localdate(now)
    )


def next_matches(
    *, seeker: User, answers: Answers, today: dt.date, now: dt.datetime
) -> list[TherapistProfile]:
    """The seeker's shortlist without therapists they already asked (declined, expired, open
    or accepted) and without therapists overdue on their answers."""
    if answers.where is None or answers.needs is None:
        return []
    asked = set(
        ConsultationRequest.objects.filter(seeker=seeker)
        .exclude(status=Status.WITHDRAWN)
        .values_list("profile_id", flat=True)
    )
    overdue = set(overdue_therapist_user_ids(now=now))
    shortlist = matching.shortlist_for(
        answers=answers,
        seeker_user=seeker,
        today=today,
        limit=matching.SHORTLIST_SIZE + len(asked),
    )
    profiles = [
        item.profile
        for item in shortlist.items
        if item.profile.pk not in asked and item.profile.user_id not in overdue
    ]
    return profiles[:NEXT_MATCHES]


# --- read state: what is new for the person looking ---------------------------------------------

_NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _with_my_read_at(
    requests: QuerySet[ConsultationRequest], user: User
) -> QuerySet[ConsultationRequest]:
    """``my_read_at``: when ``user`` (either party) last read each conversation."""
    return requests.annotate(
        my_read_at=Case(
            When(seeker_id=user.pk, then=F("seeker_read_at")), default=F("therapist_read_at")
        )
    )


def _unread_messages(user: User) -> QuerySet[Message]:
    """Messages of the outer request from the other party, written after ``user`` last read the
    conversation (the outer query annotates ``my_read_at``)."""
    since = Coalesce(OuterRef("my_read_at"), Value(_NEVER), output_field=DateTimeField())
    return Message.objects.filter(request=OuterRef("pk"), created_at__gt=since).exclude(
        sender_id=user.pk
    )


def with_unread(
    requests: QuerySet[ConsultationRequest], user: User
) -> QuerySet[ConsultationRequest]:
    """``requests`` (of ``user``'s) annotated, for ``user`` only, with ``unread_messages`` (from
    the other party since they last read the conversation) and ``unopened`` (a request waiting
    for this therapist that they never opened). Nothing here is ever shown to the other party."""
    counted = (
        _unread_messages(user)
        .order_by()
        .values("request")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return _with_my_read_at(requests, user).annotate(
        unread_messages=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        unopened=ExpressionWrapper(_unopened(user), output_field=BooleanField()),
    )


def _unopened(user: User) -> Q:
    """A request waiting for ``user`` (its therapist) that they never opened."""
    return Q(profile__user_id=user.pk, status=Status.OPEN, therapist_read_at__isnull=True)


def _has_news(user: User) -> Q:
    return Q(Exists(_unread_messages(user))) | _unopened(user)


def unread_conversations(user: User) -> QuerySet[ConsultationRequest]:
    """The user's requests with something new for them: messages they haven't read, or (for a
    therapist) a request they haven't opened. Most recent request first."""
    return with_unread(requests_for(user), user).filter(_has_news(user))


def unread_in(user: User, request: ConsultationRequest) -> int:
    """Messages in this one conversation that ``user`` hasn't read."""
    return unread_messages_of(with_unread(requests_for(user).filter(pk=request.pk), user).first())


def unread_messages_of(request: ConsultationRequest | None) -> int:
    """The count ``with_unread`` annotated on a request (0 for none)."""
    return int(getattr(request, "unread_messages", 0))


def unread_count(user: User) -> int:
    """How many conversations have something new for ``user`` (the navigation's figure): one
    query, run on every page a seeker or therapist sees."""
    if not user.is_authenticated or user.role not in (Role.SEEKER, Role.THERAPIST):
        return 0
    mine = ConsultationRequest.objects.filter(Q(seeker_id=user.pk) | Q(profile__user_id=user.pk))
    return _with_my_read_at(mine, user).filter(_has_news(user)).count()


# --- the answer guarantee in words ----------------------------------------------------------------


def time_left(request: ConsultationRequest, *, now: dt.datetime) -> dt.timedelta:
    """Time left for the therapist to answer an open request (negative once past due)."""
    return request.due_at - now
