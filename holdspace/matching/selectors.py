"""Turn stored data into core inputs for ONE seeker and let the core decide.

The database gathers; ``holdspace.core`` decides (eligibility, the conflict rules, fit). The
pipeline for a Find request:

1. **Plausible candidates** from this process's copy of the directory's search columns
   (``search_index``: numpy arrays, brought up to date by one indexed query per request):
   listed, able to cover the seeker's location for at least one format they want (telehealth
   licensure as ``directory.selectors.telehealth_q``; in person, an office in the state and,
   with a travel limit, a ZIP within reach).
2. **Order by an upper bound of fit**, computed over the same arrays from the same weights as
   the core. Core inputs are loaded (``load_candidates``, three statements) for the
   best-bounded candidates only, in growing batches, until the tenth best *exact* fit beats
   every bound not yet loaded. The bound never underestimates, so the result equals core
   ``rank`` over all plausible candidates (tests check this).
3. **The seeker's neighbourhood** as a small ``TieGraph``: the seeker's places and the
   plausible candidates at them, the seeker's person keys and the therapists sharing them
   (direct and two-hop), avoid digests matched against therapists' identity keys. For a
   signed-in seeker the saved world (``saved_world``) always joins whatever copy of the
   answers the caller holds, so every path that builds a shortlist or re-checks a pair (Find,
   requests, programs) applies the same saved avoid list, places, people and strictness.

Conflicted therapists never leave this module; their reason codes go to a staff-only DEBUG
logger with opaque ids. The same queries run whatever the seeker's world and strictness, and
excluded candidates are still scored (and the result discarded), so the work does not depend on
whether anyone was excluded.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.core.compacts import Authorization as CoreAuthorization
from holdspace.core.compacts import Compacts, load_compacts
from holdspace.core.conflicts import Affiliation as CoreAffiliation
from holdspace.core.conflicts import Entity as CoreEntity
from holdspace.core.conflicts import Tie, TieGraph, seeker_conflicts
from holdspace.core.eligibility import Office, SeekerInput, TherapistInput, workable_formats
from holdspace.core.geo import EARTH_RADIUS_KM, zip_centroid, zip_centroids
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
    Term,
    TermKind,
    TherapistProfile,
    VerificationStatus,
)
from holdspace.directory.selectors import exact_telehealth_q
from holdspace.matching import search_index
from holdspace.matching.answers import Answers, Needs, Person, Place, Where, World
from holdspace.matching.models import FindProfile
from holdspace.matching.search_index import Bools, Floats, Ints
from holdspace.network import selectors as network
from holdspace.network.models import Affiliation, AvoidEntry, Entity, IdentityKey, PersonTie
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


@functools.lru_cache(maxsize=1)
def _zip_table() -> tuple[npt.NDArray[np.str_], Floats, Floats]:
    table = zip_centroids()
    lats = np.fromiter((c.lat for c in table.values()), dtype=np.float64, count=len(table))
    lons = np.fromiter((c.lon for c in table.values()), dtype=np.float64, count=len(table))
    return np.array(list(table)), lats, lons


@functools.lru_cache(maxsize=512)
def zips_within(zip_code: str, km: float) -> frozenset[str]:
    """ZIP codes whose centroid is within ``km`` of ``zip_code``'s: a generous filter (the core
    measures again with ``core.geo.haversine_km``), so a little slack covers rounding."""
    centre = zip_centroid(zip_code)
    if centre is None:
        return frozenset()
    codes, lats, lons = _zip_table()
    phi1, phi2 = np.radians(centre.lat), np.radians(lats)
    half = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lons - centre.lon) / 2) ** 2
    )
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(half)))
    return frozenset(codes[distance <= km + 0.5].tolist())


def _through(relation: str) -> type[Model]:
    through: type[Model] = getattr(TherapistProfile, relation).through
    return through


def _stale_reach(
    columns: search_index.Columns, rows: Ints, *, location: str, today: dt.date
) -> Bools:
    """For rows whose reach bits are stale (a counted credential has lapsed since they were
    computed), the exact licensure rule, asked of the database for those rows only."""
    ids = columns.pk[rows].tolist()
    allowed = set(
        TherapistProfile.objects.filter(
            exact_telehealth_q(location=location, today=today), pk__in=ids
        ).values_list("pk", flat=True)
    )
    return np.array([pk in allowed for pk in ids], np.bool_)


@dataclass(frozen=True)
class Plausible:
    rows: Ints  # positions in the columns
    formats: Floats  # per row: how many of the seeker's formats it may be able to offer them


def candidate_rows(columns: search_index.Columns, *, where: Where, today: dt.date) -> Plausible:
    """The listed therapists who can plausibly see this seeker in at least one wanted format:
    the rule of ``directory.selectors.telehealth_q`` (reach bits, or the exact rule where they
    are stale) for video and phone, an office in the state (and a ZIP within reach) in person.
    Each test is a superset of the core's (``eligibility.workable_formats``), format by format,
    so the count of formats passing it never underestimates the core's."""
    day = today.toordinal()
    listed = columns.listed_until >= day
    remote_ok = np.zeros(len(columns.pk), np.bool_)
    office_ok = np.zeros(len(columns.pk), np.bool_)
    wanted = sorted(set(where.formats))
    remote = search.term_bits(formats=[f for f in wanted if f in REMOTE_FORMATS])
    if remote:
        offers = listed & ((columns.term_bits & remote) != 0)
        bit = search.JURISDICTION_BITS[where.location]
        remote_ok = offers & (columns.reach_until >= day) & ((columns.reach_bits & bit) != 0)
        stale = np.flatnonzero(
            offers & (columns.reach_until != search_index.NO_DATE) & (columns.reach_until < day)
        )
        if len(stale):
            remote_ok[stale] = _stale_reach(columns, stale, location=where.location, today=today)
    in_person = search.term_bits(formats=[f for f in wanted if f in IN_PERSON_FORMATS])
    if in_person and (where.max_km is None or where.zip):
        office_ok = (
            listed
            & (columns.office_jurisdiction == search_index.JURISDICTION_CODES[where.location])
            & ((columns.term_bits & in_person) != 0)
        )
        if where.max_km is not None:
            reachable = [int(code) for code in zips_within(where.zip, where.max_km)]
            office_ok &= np.isin(columns.office_zip, np.array(reachable, np.int64))
    plausible = remote_ok | office_ok
    # Imported here: outreach builds on matching (it re-checks pairs with these selectors).
    from holdspace.outreach.selectors import overdue_therapist_user_ids

    # The answer guarantee: therapists sitting on requests past 72 hours are left out of new
    # shortlists until they answer them.
    overdue = list(overdue_therapist_user_ids(now=timezone.now()))
    if overdue:
        plausible &= ~np.isin(columns.user_id, np.array(overdue, np.int64))
    rows = np.flatnonzero(plausible)
    terms = columns.term_bits[rows]
    formats = np.zeros(len(rows), np.float64)
    for code in wanted:
        route = remote_ok if code in REMOTE_FORMATS else office_ok
        formats += ((terms & search.term_bits(formats=[code])) != 0) & route[rows]
    return Plausible(rows=rows, formats=formats)


def _bit_count(bits: Ints, codes_mask: int) -> Floats:
    """How many of the bits in ``codes_mask`` each row has."""
    total = np.zeros(len(bits), np.float64)
    for position in range(codes_mask.bit_length()):
        if codes_mask >> position & 1:
            total += (bits & (1 << position)) != 0
    return total


def _when_any(bits: Ints, mask: int, weight: float) -> Floats:
    return np.where((bits & mask) != 0, weight, 0.0)


def fit_bounds(
    columns: search_index.Columns, plausible: Plausible, *, needs: Needs, formats: Sequence[str]
) -> Floats:
    """For each row, a number >= the core's fit (``ranking._fit``), from the core's own weights
    and the profile's search columns.

    Exact for concerns, approaches, fee, language, profession and experience; for the format
    share, the formats that pass the plausibility tests (a superset of the core's).
    """
    w = WEIGHTS
    rows = plausible.rows
    terms = columns.term_bits[rows]
    bound = (w["format"] / max(len(set(formats)), 1)) * plausible.formats
    bound = bound + (w["experience"] / FULL_EXPERIENCE_YEARS) * np.minimum(
        columns.experience[rows], FULL_EXPERIENCE_YEARS
    )
    if needs.concerns:
        concerns = search.term_bits(focus=needs.concerns)
        bound = bound + (w["concerns"] / len(needs.concerns)) * _bit_count(terms, concerns)
    else:
        bound = bound + w["concerns"]
    if needs.modalities:
        modalities = search.term_bits(modalities=needs.modalities)
        share = 0.5 * w["modalities"] / len(needs.modalities)
        bound = bound + np.where(
            (terms & modalities) != 0,
            0.5 * w["modalities"] + share * _bit_count(terms, modalities),
            0.0,
        )
    else:
        bound = bound + w["modalities"]
    if needs.max_fee is not None:
        fee = columns.fee[rows]
        budget = float(needs.max_fee)
        over = np.nan_to_num(fee, nan=0.0)
        # as the core: half marks, less the share by which the fee is over budget
        partial = w["fee"] * 0.5 * np.maximum(0.0, 1.0 - (over - budget) / float(max(budget, 1)))
        bound = bound + np.where(
            np.isnan(fee) | (fee <= budget),
            w["fee"],
            np.where(columns.sliding_scale[rows], w["fee"] * SLIDING_SCALE_SCORE, partial),
        )
    else:
        bound = bound + w["fee"]
    if needs.language:
        language = search.LANGUAGE_BITS.get(needs.language, 0)
        bound = bound + _when_any(columns.language_bits[rows], language, w["language"])
    else:
        bound = bound + w["language"]
    if needs.profession:
        served = search.term_bits(professions_served=[needs.profession])
        bound = bound + _when_any(terms, served, w["profession"])
    else:
        any_served = search.kind_mask(TermKind.PROFESSION)
        bound = bound + _when_any(terms, any_served, 0.5 * w["profession"])
    result: Floats = np.round(bound, BOUND_DIGITS)
    return result


BOUND_DIGITS = 9  # bounds are compared at this precision, so float noise cannot reorder ties


class Bounds(Sequence[tuple[int, float, str]]):
    """(profile id, fit bound, core id) for every plausible candidate, in the order the core
    would rank them if every bound were the exact fit: bound first, then id."""

    def __init__(self, pks: Ints, bounds: Floats, user_ids: Ints) -> None:
        self._pks, self._bounds, self._user_ids = pks, bounds, user_ids

    def __len__(self) -> int:
        return len(self._pks)

    def user_ids(self) -> frozenset[int]:
        return frozenset(self._user_ids.tolist())

    def _row(self, index: int) -> tuple[int, float, str]:
        return (
            int(self._pks[index]),
            float(self._bounds[index]),
            user_node(int(self._user_ids[index])),
        )

    @overload
    def __getitem__(self, index: int) -> tuple[int, float, str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, float, str]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[int, float, str] | list[tuple[int, float, str]]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        return self._row(range(len(self))[index])


def bounded_candidates(*, where: Where, needs: Needs, today: dt.date) -> Bounds:
    """Every plausible candidate with its fit bound, best bound first (then core id, as the
    core breaks ties). Computed over this process's copy of the search columns
    (``search_index``), brought up to date first."""
    columns = search_index.index.current(today=today)
    plausible = candidate_rows(columns, where=where, today=today)
    bounds = fit_bounds(columns, plausible, needs=needs, formats=where.formats)
    rows = plausible.rows
    order = np.lexsort((columns.node_order[rows], -bounds))
    chosen = rows[order]
    return Bounds(columns.pk[chosen], bounds[order], columns.user_id[chosen])


# --- 2. core inputs for a batch of candidates ---------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    user_id: int
    therapist: TherapistInput
    listed_until: dt.date | None = None


_RELATIONS = ("modalities", "focus_areas", "formats", "languages", "professions_served")
_CHUNK = 1000  # ids per statement: five copies stay far below SQLite's parameter limit
_PROFILE_COLUMNS = (
    "id", "user_id", "profession", "fee", "sliding_scale", "accepting", "capacity",
    "office_jurisdiction", "office_zip", "clinician_experience_years", "listed_until",
)  # fmt: skip


@functools.cache
def _load_statements() -> tuple[str, str, str]:
    """Three statements (taxonomy terms, credentials, profile rows) with ``{ids}`` for the
    placeholders. Plain SQL: building eight ORM queries with long ``IN`` lists cost more than
    running them."""
    quote = connection.ops.quote_name
    terms = " UNION ALL ".join(
        f"SELECT {number}, {quote('therapistprofile_id')}, {quote('term_id')} "  # noqa: S608 - quoted identifiers only
        f"FROM {quote(_through(relation)._meta.db_table)} "
        f"WHERE {quote('therapistprofile_id')} IN ({{ids}})"
        for number, relation in enumerate(_RELATIONS)
    )
    valid = f"{quote('status')} = %s AND {quote('expires')} >= %s AND {quote('profile_id')}"
    credentials = (
        f"SELECT {quote('profile_id')}, '', {quote('jurisdiction')} "  # noqa: S608 - quoted identifiers
        f"FROM {quote(License._meta.db_table)} WHERE {valid} IN ({{ids}}) UNION ALL "
        f"SELECT {quote('profile_id')}, {quote('kind')}, {quote('jurisdiction')} "
        f"FROM {quote(Authorization._meta.db_table)} WHERE {valid} IN ({{ids}})"
    )
    profiles = (
        f"SELECT {', '.join(quote(column) for column in _PROFILE_COLUMNS)} "  # noqa: S608 - quoted identifiers
        f"FROM {quote(TherapistProfile._meta.db_table)} WHERE {quote('id')} IN ({{ids}})"
    )
    return terms, credentials, profiles


def load_candidates(profile_ids: Sequence[int], *, today: dt.date) -> list[Candidate]:
    """Core inputs for these profiles: three statements per thousand profiles."""
    candidates: list[Candidate] = []
    ids = list(dict.fromkeys(int(pk) for pk in profile_ids))
    for start in range(0, len(ids), _CHUNK):
        candidates.extend(_load_chunk(ids[start : start + _CHUNK], today=today))
    return candidates


def _load_chunk(ids: list[int], *, today: dt.date) -> list[Candidate]:
    terms_sql, credentials_sql, profiles_sql = _load_statements()
    marks = ", ".join(["%s"] * len(ids))
    day = connection.ops.adapt_datefield_value(today)
    codes: list[defaultdict[int, list[str]]] = [defaultdict(list) for _ in _RELATIONS]
    licenses: defaultdict[int, set[str]] = defaultdict(set)
    authorizations: defaultdict[int, list[CoreAuthorization]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(terms_sql.format(ids=marks), ids * len(_RELATIONS))
        links = cursor.fetchall()
        term_ids = {term_id for _, _, term_id in links}
        taxonomy = {
            pk: (position, code)
            for pk, position, code in Term.objects.filter(pk__in=term_ids).values_list(
                "pk", "position", "code"
            )
        }
        # ordered by the taxonomy's position, as the forms and the core show them
        for relation, profile_id, term_id in sorted(links, key=lambda r: taxonomy[r[2]]):
            codes[relation][profile_id].append(taxonomy[term_id][1])
        verified = str(VerificationStatus.VERIFIED)
        cursor.execute(
            credentials_sql.format(ids=marks), [verified, day, *ids, verified, day, *ids]
        )
        for profile_id, kind, jurisdiction in cursor.fetchall():
            if kind:
                authorizations[profile_id].append(
                    CoreAuthorization(kind=kind, jurisdiction=jurisdiction)
                )
            else:
                licenses[profile_id].add(jurisdiction)
        cursor.execute(profiles_sql.format(ids=marks), ids)
        rows = cursor.fetchall()
    modalities, focus, formats, languages, served = codes
    candidates = []
    for (pk, user_id, profession, fee, sliding_scale, accepting, capacity, office_jurisdiction,
         office_zip, experience, listed_until) in rows:  # fmt: skip
        office = (
            Office(jurisdiction=office_jurisdiction, zip=office_zip or None)
            if office_jurisdiction
            else None
        )
        therapist = TherapistInput(
            id=user_node(user_id),
            profession=profession,
            licenses=sorted(licenses[pk]),
            # A PSYPACT APIT names the home state itself (see directory.selectors.telehealth_q).
            home=None,
            authorizations=authorizations[pk],
            office=office,
            formats=formats[pk],
            modalities=modalities[pk],
            focus=focus[pk],
            languages=languages[pk],
            fee=float(fee or 0),
            sliding_scale=bool(sliding_scale),
            accepting=bool(accepting),
            capacity=capacity,
            clinician_experience_years=experience,
            professions_served=served[pk],
        )
        candidates.append(
            Candidate(
                profile_id=pk,
                user_id=user_id,
                therapist=therapist,
                listed_until=_as_date(listed_until),
            )
        )
    return candidates


# --- 3. the seeker's neighbourhood -------------------------------------------------------------


@dataclass
class Neighbourhood:
    graph: TieGraph
    avoid: set[str]
    exclude_entities: set[str]
    strictness: str = "standard"


def place_of(affiliation: Affiliation) -> Place:
    """A saved affiliation as the Find flow's place."""
    return Place(
        kind=affiliation.entity.kind,
        name=affiliation.entity.name,
        entity=affiliation.entity_id,
        start_year=affiliation.start.year if affiliation.start else None,
        end_year=affiliation.end.year if affiliation.end else None,
        exclude_all=affiliation.exclude_all,
    )


def saved_world(user: User) -> World:
    """A signed-in seeker's world as saved: places, people to avoid, people close to them and
    how strictly to keep them apart (network tables, written as the seeker makes each change)."""
    places = [
        place_of(a)
        for a in Affiliation.objects.filter(user=user).select_related("entity").order_by("pk")
    ]
    avoid = [
        Person(identifier_kind=e.identifier_kind, digest=e.digest, label=e.label)
        for e in AvoidEntry.objects.filter(user=user).order_by("pk")
    ]
    ties = [
        Person(identifier_kind=t.identifier_kind, digest=t.digest, tie_kind=t.kind, label=t.label)
        for t in PersonTie.objects.filter(user=user).order_by("pk")
    ]
    return World(places=places, avoid=avoid, ties=ties, strictness=network.strictness_of(user))


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


def _as_date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _affiliations_at(
    entities: Iterable[int], today: dt.date, therapists: Container[int] | None
) -> list[tuple[int, int, dt.date | None, dt.date | None]]:
    """(user id, entity id, start, end) of listed therapists at these entities, or of the given
    ones only (those are listed). A wide entity has thousands of rows: for the given therapists
    they are read without joins and only the ones kept are converted."""
    ids = sorted(entities)
    if not ids:
        return []
    if therapists is None:
        return list(
            Affiliation.objects.filter(_listed_therapist(today), entity_id__in=ids).values_list(
                "user_id", "entity_id", "start", "end"
            )
        )
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('user_id')}, {quote('entity_id')}, {quote('start')}, {quote('end')} "  # noqa: S608 - quoted identifiers
        f"FROM {quote(Affiliation._meta.db_table)} "
        f"WHERE {quote('entity_id')} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    return [
        (user_id, entity_id, _as_date(start), _as_date(end))
        for user_id, entity_id, start, end in rows
        if user_id in therapists
    ]


def neighbourhood(
    *,
    seeker_id: str,
    seeker_user: User | None,
    world: World,
    today: dt.date,
    therapists: Container[int] | None = None,
) -> Neighbourhood:
    """The small TieGraph around one seeker. Every query runs whatever the answers are.

    ``therapists`` (user ids), when given, limits the therapists' affiliations to theirs: the
    conflict rules judge each person by their own affiliations and the seeker's, so leaving out
    people who cannot be on this shortlist changes nobody else's verdict (a wide health system
    has thousands of members, few of whom can see this seeker).

    A signed-in seeker's saved world joins ``world`` here, the one place every caller passes
    through: a removed entry is gone from the saved world at once, and an added one applies
    to the shortlist, a request's re-check and a program's allocation alike."""
    if seeker_user is not None:
        world = world.union(saved_world(seeker_user))
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
    for user_id, entity_id, start, end in _affiliations_at(entities, today, therapists):
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
    return Neighbourhood(
        graph=graph, avoid=avoid, exclude_entities=exclude_entities, strictness=world.strictness
    )


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
        strictness=hood.strictness,
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
            # The database has the last word: a row the index still holds but that is gone
            # or no longer listed is not a candidate.
            if candidate.listed_until is not None and candidate.listed_until >= today:
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
    bounds = bounded_candidates(where=answers.where, needs=answers.needs, today=today)
    hood = neighbourhood(
        seeker_id=seeker_id, seeker_user=seeker_user, world=answers.world, today=today,
        therapists=bounds.user_ids(),
    )  # fmt: skip
    seeker = seeker_input(seeker_id=seeker_id, answers=answers, hood=hood)
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
