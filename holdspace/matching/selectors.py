"""Turn stored data into core inputs for ONE seeker and let the core decide.

The database gathers; ``holdspace.core`` decides (eligibility, the conflict rules, fit). The
pipeline for a Find request:

1. **Plausible candidates in SQL**: listed, able to cover the seeker's location for at least one
   format they want (telehealth licensure via ``directory.selectors.telehealth_q``; in person, an
   office in the state and, with a travel limit, a ZIP within reach).
2. **Order by an upper bound of fit**, computed in SQL from the same weights as the core. Core
   inputs are loaded for the best-bounded candidates only, in growing batches, until the tenth
   best *exact* fit beats every bound not yet loaded. The bound never underestimates, so the
   result equals core ``rank`` over all plausible candidates (tests check this).
3. **The seeker's neighbourhood** as a small ``TieGraph``: the seeker's places and the listed
   therapists at them, the seeker's person keys and the therapists sharing them (direct and
   two-hop), avoid digests matched against therapists' identity keys.

Conflicted therapists never leave this module; their reason codes go to a staff-only DEBUG
logger with opaque ids. The same queries run whatever the seeker's answers or strictness, and
excluded candidates are still scored (and the result discarded), so the work does not depend on
whether anyone was excluded.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

import zipcodes
from django.db.models import (
    Case,
    CharField,
    F,
    FloatField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable, ExpressionWrapper
from django.db.models.functions import Cast, Concat, Greatest, Least, Round
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.core.compacts import Authorization as CoreAuthorization
from holdspace.core.compacts import Compacts, load_compacts
from holdspace.core.conflicts import Affiliation as CoreAffiliation
from holdspace.core.conflicts import Entity as CoreEntity
from holdspace.core.conflicts import Tie, TieGraph, seeker_conflicts
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput, workable_formats
from holdspace.core.geo import haversine_km, zip_centroid
from holdspace.core.ranking import (
    FULL_EXPERIENCE_YEARS,
    SLIDING_SCALE_SCORE,
    WEIGHTS,
    Match,
    rank,
    score_match,
)
from holdspace.core.taxonomy import IN_PERSON_FORMATS, REMOTE_FORMATS
from holdspace.directory import search
from holdspace.directory.models import (
    Authorization,
    License,
    TermKind,
    TherapistProfile,
    VerificationStatus,
)
from holdspace.directory.selectors import listed_profiles, telehealth_q
from holdspace.matching.answers import Answers, Needs, Where, World
from holdspace.matching.models import FindProfile
from holdspace.network.models import Affiliation, Entity, IdentityKey, PersonTie
from holdspace.network.names import normalise_entity_name

exclusion_log = logging.getLogger("holdspace.matching.exclusions")

SHORTLIST_SIZE = 10
FIRST_BATCH = 150  # candidates loaded before the bound is checked; grows 4x per round
ANONYMOUS = "seeker"


def user_node(user_id: int) -> str:
    return f"u{user_id}"


def _key_node(digest: str) -> str:
    return f"k{digest}"


def _entity_node(entity_id: int) -> str:
    return f"e{entity_id}"


# --- 1. plausible candidates ------------------------------------------------------------------


# The zipcodes package is untyped; this is the one call we make, with its documented shape.
_list_zips: Callable[[], list[dict[str, Any]]] = zipcodes.list_all


@functools.lru_cache(maxsize=1)
def _zip_table() -> tuple[tuple[str, float, float], ...]:
    table = []
    for row in _list_zips():
        try:
            table.append((str(row["zip_code"]), float(row["lat"]), float(row["long"])))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(table)


@functools.lru_cache(maxsize=512)
def zips_within(zip_code: str, km: float) -> frozenset[str]:
    """ZIP codes whose centroid is within ``km`` of ``zip_code``'s: a generous SQL filter (the
    core measures again), so a little slack covers rounding."""
    centre = zip_centroid(zip_code)
    if centre is None:
        return frozenset()
    return frozenset(
        code
        for code, lat, lon in _zip_table()
        if abs(lat - centre.lat) * 110 <= km + 1
        and haversine_km(centre.lat, centre.lon, lat, lon) <= km + 0.5
    )


def _through(relation: str) -> type[Model]:
    through: type[Model] = getattr(TherapistProfile, relation).through
    return through


def candidate_profiles(*, where: Where, today: dt.date) -> QuerySet[TherapistProfile]:
    """Listed therapists who can plausibly see this seeker in at least one wanted format.
    Reads only the directory's covering index (see holdspace/directory/search.py)."""
    wanted = set(where.formats)
    routes: list[Q] = []
    remote = search.term_bits(formats=sorted(wanted & REMOTE_FORMATS))
    if remote:
        routes.append(
            telehealth_q(location=where.location, today=today) & search.has_any("term_bits", remote)
        )
    in_person = search.term_bits(formats=sorted(wanted & IN_PERSON_FORMATS))
    if in_person and (where.max_km is None or where.zip):
        office = Q(office_jurisdiction=where.location) & search.has_any("term_bits", in_person)
        if where.max_km is not None:
            office &= Q(office_zip__in=sorted(zips_within(where.zip, where.max_km)))
        routes.append(office)
    if not routes:  # in person with a distance but no ZIP: the core would never guess
        return TherapistProfile.objects.none()
    # Imported here: outreach builds on matching (it re-checks pairs with these selectors).
    from holdspace.outreach.selectors import overdue_therapist_user_ids

    # The answer guarantee: therapists sitting on requests past 72 hours are left out of new
    # shortlists until they answer them.
    overdue = overdue_therapist_user_ids(now=timezone.now())
    return listed_profiles(today=today).filter(reduce(or_, routes)).exclude(user_id__in=overdue)


def _bit_count(column: str, codes_mask: int) -> Combinable:
    """SQL for how many of the bits in ``codes_mask`` the column has (one CASE per bit; the
    seeker chooses a handful, so this stays a short expression over the covering index)."""
    total: Combinable = Value(0.0)
    for position in range(codes_mask.bit_length()):
        if codes_mask >> position & 1:
            bit = 1 << position
            total = total + Case(
                When(search.has_any(column, bit), then=Value(1.0)), default=Value(0.0)
            )
    return total


def _when_any(column: str, mask: int, weight: float) -> Combinable:
    return Case(
        When(search.has_any(column, mask), then=Value(weight)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _fit_bound(needs: Needs, formats: Sequence[str]) -> Combinable:
    """An SQL expression >= the core's fit (``ranking._fit``), from the core's own weights and
    the profile's search columns.

    Exact for concerns, approaches, fee, language, profession and experience; generous for the
    format share (formats offered, where the core counts only those workable for this seeker).
    """
    w = WEIGHTS
    wanted_formats = sorted(set(formats))
    parts: list[Combinable] = [
        Value(w["format"] / max(len(wanted_formats), 1))
        * _bit_count("term_bits", search.term_bits(formats=wanted_formats)),
        Value(w["experience"] / FULL_EXPERIENCE_YEARS)
        * Least(F("clinician_experience_years"), Value(FULL_EXPERIENCE_YEARS)),
    ]
    if needs.concerns:
        concerns = search.term_bits(focus=needs.concerns)
        parts.append(Value(w["concerns"] / len(needs.concerns)) * _bit_count("term_bits", concerns))
    else:
        parts.append(Value(w["concerns"]))
    if needs.modalities:
        modalities = search.term_bits(modalities=needs.modalities)
        share = Value(0.5 * w["modalities"] / len(needs.modalities))
        parts.append(
            Case(
                When(
                    search.has_any("term_bits", modalities),
                    then=Value(0.5 * w["modalities"]) + share * _bit_count("term_bits", modalities),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
    else:
        parts.append(Value(w["modalities"]))
    if needs.max_fee is not None:
        parts.append(
            Case(
                When(Q(fee__lte=needs.max_fee) | Q(fee__isnull=True), then=Value(w["fee"])),
                When(sliding_scale=True, then=Value(w["fee"] * SLIDING_SCALE_SCORE)),
                # as the core: half marks, less the share by which the fee is over budget
                default=Value(w["fee"] * 0.5)
                * Greatest(
                    Value(0.0),
                    Value(1.0)
                    - (F("fee") - Value(needs.max_fee)) / Value(float(max(needs.max_fee, 1))),
                ),
                output_field=FloatField(),
            )
        )
    else:
        parts.append(Value(w["fee"]))
    if needs.language:
        language = search.LANGUAGE_BITS.get(needs.language, 0)
        parts.append(_when_any("language_bits", language, w["language"]))
    else:
        parts.append(Value(w["language"]))
    if needs.profession:
        served = search.term_bits(professions_served=[needs.profession])
        parts.append(_when_any("term_bits", served, w["profession"]))
    else:
        any_served = search.kind_mask(TermKind.PROFESSION)
        parts.append(_when_any("term_bits", any_served, 0.5 * w["profession"]))
    return reduce(lambda a, b: a + b, parts)


BOUND_DIGITS = 9  # bounds are compared at this precision, so float noise cannot reorder ties

Bounds = QuerySet[TherapistProfile, tuple[int, float, str]]


def bounded_candidates(*, where: Where, needs: Needs, today: dt.date) -> Bounds:
    """(profile id, fit bound, core id) for every plausible candidate, in the order the core
    would rank them if every bound were the exact fit: bound first, then id. Sorted by the
    database; callers slice it, so only the rows they need leave it."""
    return (
        candidate_profiles(where=where, today=today)
        .annotate(
            bound=Round(
                ExpressionWrapper(_fit_bound(needs, where.formats), output_field=FloatField()),
                BOUND_DIGITS,
            ),
            node=Concat(Value("u"), Cast("user_id", CharField())),
        )
        .order_by("-bound", "node")
        .values_list("pk", "bound", "node")
    )


# --- 2. core inputs for a batch of candidates ---------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    user_id: int
    therapist: TherapistInput


def load_candidates(profile_ids: Sequence[int], *, today: dt.date) -> list[Candidate]:
    """Core inputs for these profiles: a fixed handful of queries, whatever the batch size."""
    if not profile_ids:
        return []
    ids = list(profile_ids)
    codes: dict[str, defaultdict[int, list[str]]] = {}
    for relation in ("modalities", "focus_areas", "formats", "languages", "professions_served"):
        by_profile: defaultdict[int, list[str]] = defaultdict(list)
        rows = (
            _through(relation)
            ._default_manager.filter(therapistprofile_id__in=ids)
            .order_by("term__position")
            .values_list("therapistprofile_id", "term__code")
        )
        for profile_id, code in rows:
            by_profile[profile_id].append(code)
        codes[relation] = by_profile
    valid = Q(status=VerificationStatus.VERIFIED, expires__gte=today, profile_id__in=ids)
    licenses: defaultdict[int, list[str]] = defaultdict(list)
    for profile_id, jurisdiction in License.objects.filter(valid).values_list(
        "profile_id", "jurisdiction"
    ):
        licenses[profile_id].append(jurisdiction)
    authorizations: defaultdict[int, list[CoreAuthorization]] = defaultdict(list)
    for profile_id, kind, jurisdiction in Authorization.objects.filter(valid).values_list(
        "profile_id", "kind", "jurisdiction"
    ):
        authorizations[profile_id].append(CoreAuthorization(kind=kind, jurisdiction=jurisdiction))
    candidates = []
    for row in TherapistProfile.objects.filter(pk__in=ids).values(
        "pk", "user_id", "profession", "fee", "sliding_scale", "accepting", "capacity",
        "office_jurisdiction", "office_zip", "clinician_experience_years",
    ):  # fmt: skip
        pk = row["pk"]
        office = (
            Office(jurisdiction=row["office_jurisdiction"], zip=row["office_zip"] or None)
            if row["office_jurisdiction"]
            else None
        )
        therapist = TherapistInput(
            id=user_node(row["user_id"]),
            profession=row["profession"],
            licenses=sorted(set(licenses[pk])),
            # A PSYPACT APIT names the home state itself (see directory.selectors.telehealth_q).
            home=None,
            authorizations=authorizations[pk],
            office=office,
            formats=codes["formats"][pk],
            modalities=codes["modalities"][pk],
            focus=codes["focus_areas"][pk],
            languages=codes["languages"][pk],
            fee=float(row["fee"] or 0),
            sliding_scale=row["sliding_scale"],
            accepting=row["accepting"],
            capacity=row["capacity"],
            clinician_experience_years=row["clinician_experience_years"],
            professions_served=codes["professions_served"][pk],
        )
        candidates.append(Candidate(profile_id=pk, user_id=row["user_id"], therapist=therapist))
    return candidates


# --- 3. the seeker's neighbourhood -------------------------------------------------------------


@dataclass
class Neighbourhood:
    graph: TieGraph
    avoid: set[str]
    exclude_entities: set[str]


def _listed_therapist(today: dt.date) -> Q:
    return Q(user__therapist_profile__listed_until__gte=today)


def resolve_places(world: World) -> dict[int, Entity]:
    """The entities the seeker's places name: picked ids, or names matched to existing entities
    (a place nobody else has added has nobody in it, so it can exclude nobody)."""
    ids = {place.entity for place in world.places if place.entity is not None}
    named = Q(pk__in=ids)
    for place in world.places:
        if place.entity is None:
            named |= Q(kind=place.kind, normalised_name=normalise_entity_name(place.name))
    return {entity.pk: entity for entity in Entity.objects.filter(named)}


def neighbourhood(
    *, seeker_id: str, seeker_user: User | None, world: World, today: dt.date
) -> Neighbourhood:
    """The small TieGraph around one seeker. Every query runs whatever the answers are."""
    entities = resolve_places(world)
    by_name = {(e.kind, e.normalised_name): e.pk for e in entities.values()}
    graph = TieGraph()
    exclude_entities: set[str] = set()
    for entity in entities.values():
        graph.add_entity(CoreEntity(id=_entity_node(entity.pk), kind=entity.kind, size=entity.size))
    for place in world.places:
        entity_id = place.entity
        if entity_id is None:
            entity_id = by_name.get((place.kind, normalise_entity_name(place.name)))
        if entity_id is None or entity_id not in entities:
            continue
        graph.add_affiliation(
            CoreAffiliation(
                person=seeker_id,
                entity=_entity_node(entity_id),
                start=dt.date(place.start_year, 1, 1) if place.start_year else None,
                end=dt.date(place.end_year, 12, 31) if place.end_year else None,
            )
        )
        if place.exclude_all:
            exclude_entities.add(_entity_node(entity_id))
    for user_id, entity_id, start, end in Affiliation.objects.filter(
        _listed_therapist(today), entity_id__in=list(entities)
    ).values_list("user_id", "entity_id", "start", "end"):
        graph.add_affiliation(
            CoreAffiliation(
                person=user_node(user_id), entity=_entity_node(entity_id), start=start, end=end
            )
        )

    tie_digests = {person.digest for person in world.ties}
    avoid_digests = {person.digest for person in world.avoid}
    own_keys: set[str] = set()
    if seeker_user is not None:
        own_keys = set(
            IdentityKey.objects.filter(user=seeker_user).values_list("digest", flat=True)
        )
    owners: defaultdict[str, set[int]] = defaultdict(set)
    for digest, user_id in IdentityKey.objects.filter(
        digest__in=sorted(tie_digests | avoid_digests)
    ).values_list("digest", "user_id"):
        owners[digest].add(user_id)
    avoid = {user_node(u) for d in avoid_digests for u in owners.get(d, ())}

    def nodes(digest: str) -> set[str]:
        """Everyone a digest may name: its owners, the seeker, and the key itself."""
        found = {user_node(u) for u in owners.get(digest, ())}
        if digest in own_keys:
            found.add(seeker_id)
        found.add(_key_node(digest))
        return found

    for digest in tie_digests:
        for node in nodes(digest):
            graph.add_tie(Tie(seeker_id, node))
    # People the seeker named who are on Holdspace: their own keys and their own ties.
    named_users = {u for d in tie_digests for u in owners.get(d, ())}
    for user_id, digest in IdentityKey.objects.filter(user_id__in=sorted(named_users)).values_list(
        "user_id", "digest"
    ):
        owners[digest].add(user_id)
    their_keys = {d for d, users in owners.items() if users & named_users}
    # Listed therapists naming the seeker, someone the seeker named, or the same key.
    for user_id, digest in PersonTie.objects.filter(
        _listed_therapist(today), digest__in=sorted(tie_digests | own_keys | their_keys)
    ).values_list("user_id", "digest"):
        for node in nodes(digest):
            graph.add_tie(Tie(user_node(user_id), node))
    named_by_them = list(
        PersonTie.objects.filter(user_id__in=sorted(named_users)).values_list("user_id", "digest")
    )
    for digest, user_id in IdentityKey.objects.filter(
        digest__in=sorted({d for _, d in named_by_them})
    ).values_list("digest", "user_id"):
        owners[digest].add(user_id)
    for user_id, digest in named_by_them:
        for node in nodes(digest):
            graph.add_tie(Tie(user_node(user_id), node))
    return Neighbourhood(graph=graph, avoid=avoid, exclude_entities=exclude_entities)


# --- the shortlist ---------------------------------------------------------------------------


def seeker_input(*, seeker_id: str, answers: Answers, hood: Neighbourhood) -> SeekerInput:
    assert answers.where is not None
    assert answers.needs is not None
    where, needs = answers.where, answers.needs
    return SeekerInput(
        id=seeker_id,
        location=where.location,
        zip=where.zip or None,
        formats=where.formats,
        concerns=needs.concerns,
        modalities=needs.modalities,
        languages=[needs.language] if needs.language else [],
        max_fee=float(needs.max_fee) if needs.max_fee is not None else None,
        max_km=where.max_km,
        avoid=sorted(hood.avoid),
        exclude_entities=sorted(hood.exclude_entities),
        strictness=answers.world.strictness,
        profession=needs.profession or None,
    )


@dataclass(frozen=True)
class ShortlistItem:
    profile: TherapistProfile
    fit: float
    why: tuple[str, ...]


@dataclass
class Shortlist:
    items: list[ShortlistItem]
    loosen: list[str] = field(default_factory=list)


def rank_candidates(
    *,
    seeker: SeekerInput,
    hood: Neighbourhood,
    bounds: Bounds,
    today: dt.date,
    compacts: Compacts,
    limit: int = SHORTLIST_SIZE,
) -> tuple[list[Match], dict[str, Candidate]]:
    """Core ``rank`` over the best-bounded candidates, loading more until the bound proves that
    no candidate left out could enter the top ``limit``.

    A candidate not loaded has fit <= its bound and sorts after the ones before it (bound, then
    id, as the core breaks ties), so once the ``limit``-th match sorts before the next
    candidate's (bound, id), nobody left could displace it.
    """
    loaded: dict[str, Candidate] = {}
    position, batch = 0, FIRST_BATCH
    while True:
        # One row more than the batch: the best candidate not loaded, whose bound decides.
        rows = list(bounds[position : position + batch + 1])
        chunk, following = rows[:batch], rows[batch:]
        for candidate in load_candidates([pk for pk, _, _ in chunk], today=today):
            loaded[candidate.therapist.id] = candidate
        position += len(chunk)
        matches = rank(
            seeker,
            [c.therapist for c in loaded.values()],
            hood.graph,
            compacts=compacts,
            as_of=today,
            limit=limit,
        )
        if not following:
            return matches, loaded
        if len(matches) == limit:
            _, next_bound, next_id = following[0]
            last = round(matches[-1].fit, BOUND_DIGITS)
            if last > next_bound or (last == next_bound and matches[-1].therapist < next_id):
                return matches, loaded
        batch *= 4


def _even_out_and_log(
    *, seeker: SeekerInput, hood: Neighbourhood, loaded: dict[str, Candidate], today: dt.date,
    compacts: Compacts,
) -> None:  # fmt: skip
    """Staff log of exclusions (opaque ids only), and the scoring work ``rank`` skipped for
    them, done anyway so the response time says nothing about exclusions."""
    conflicts = seeker_conflicts(
        seeker.id,
        hood.graph,
        strict=seeker.strict,
        avoid=seeker.avoid,
        exclude_entities=seeker.exclude_entities,
        as_of=today,
    )
    run = secrets.token_hex(6)  # ties this request's lines together, and nothing else
    for node, candidate in loaded.items():
        reason = conflicts.reason(node)
        if reason is None:
            continue
        formats = workable_formats(candidate.therapist, seeker, compacts=compacts)
        score_match(seeker, candidate.therapist, formats=formats, shares_wide_entity=False)
        if formats and exclusion_log.isEnabledFor(logging.DEBUG):
            exclusion_log.debug(
                "find run=%s profile=%s excluded reason=%s", run, candidate.profile_id, reason
            )


def loosen_hints(answers: Answers) -> list[str]:
    """What the seeker could widen, from their own answers only (never from exclusions)."""
    assert answers.where is not None
    assert answers.needs is not None
    hints = []
    formats = set(answers.where.formats)
    if not formats & REMOTE_FORMATS:
        hints.append("Add video or phone: many more therapists can see you that way.")
    if formats & IN_PERSON_FORMATS and answers.where.max_km is not None:
        hints.append("Allow a longer trip for meeting in person.")
    if answers.needs.max_fee is not None:
        hints.append("Raise your budget a little; many therapists offer a sliding scale.")
    if answers.needs.language and answers.needs.language != "en":
        hints.append("Choose “Any language”, or add English if it works for you.")
    if answers.needs.modalities:
        hints.append("Leave “approaches” empty: being open to any approach widens the list.")
    if answers.world.strictness == "strict":
        hints.append("Standard separation still keeps away everyone close to your world.")
    return hints


def shortlist_for(
    *, answers: Answers, seeker_user: User | None, today: dt.date, limit: int = SHORTLIST_SIZE
) -> Shortlist:
    """Up to ``limit`` therapists for these answers, best first, with reasons."""
    if answers.where is None or answers.needs is None:
        raise ValueError("the first two screens are not answered yet")
    compacts = load_compacts()
    seeker_id = user_node(seeker_user.pk) if seeker_user is not None else ANONYMOUS
    hood = neighbourhood(
        seeker_id=seeker_id, seeker_user=seeker_user, world=answers.world, today=today
    )
    seeker = seeker_input(seeker_id=seeker_id, answers=answers, hood=hood)
    bounds = bounded_candidates(where=answers.where, needs=answers.needs, today=today)
    matches, loaded = rank_candidates(
        seeker=seeker, hood=hood, bounds=bounds, today=today, compacts=compacts, limit=limit
    )
    _even_out_and_log(seeker=seeker, hood=hood, loaded=loaded, today=today, compacts=compacts)
    ids = [loaded[m.therapist].profile_id for m in matches]
    profiles = TherapistProfile.objects.prefetch_related(
        "focus_areas", "modalities", "formats"
    ).in_bulk(ids)
    items = [
        ShortlistItem(profile=profiles[loaded[m.therapist].profile_id], fit=m.fit, why=m.why)
        for m in matches
    ]
    return Shortlist(items=items, loosen=loosen_hints(answers) if len(items) < 3 else [])


def get_find_profile_for(user: User, find_profile_id: int | None = None) -> FindProfile:
    """The signed-in seeker's own saved answers; anyone else's is a 404."""
    if not user.is_authenticated:
        raise Http404("No saved answers")
    try:
        profile = FindProfile.objects.get(user=user)
    except FindProfile.DoesNotExist:
        raise Http404("No saved answers") from None
    if find_profile_id is not None and profile.pk != find_profile_id:
        raise Http404("No saved answers")
    return profile
