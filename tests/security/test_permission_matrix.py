"""The permission matrix, generated from the URL resolver: every named route of ours × seven
personas × GET/POST. Nothing answers with a server error; anonymous visitors get a page only on
the public routes; another person's objects are refused (403/404) to everyone but their owners.

Every route needs an entry in ROUTES: a new route without one fails
``test_every_route_has_an_entry``. Django admin and allauth's own pages are left out (they have
their own checks), as are static and media files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from holdspace.accounts.models import Role, User
from holdspace.directory.models import License
from holdspace.outreach import services as outreach
from holdspace.programs import services as programs
from holdspace.scheduling.models import Booking, DayOff
from tests.checkins.helpers import answers, save
from tests.conftest import client_for
from tests.factories import make_profile, make_request, make_schedule, make_staff, make_user

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, signed in or not, may get a page
SIGNED_IN = "signed_in"  # the signed-in user's own pages (role checks inside)
# Object routes: who may get a page for the client's objects (others get 403/404).
SEEKER = "seeker"
THERAPIST = "therapist"
PAIR = (SEEKER, THERAPIST)
COORDINATOR = "coordinator"

ROUTES: dict[str, str | tuple[str, ...]] = {
    "home": PUBLIC,  # a signed-in person is redirected to their own home
    "about": PUBLIC,
    "accounts:time_zone": SIGNED_IN,
    "accounts:browser_time_zone": SIGNED_IN,  # JSON for a script; anonymous get a 403
    "crisis": PUBLIC,
    "privacy": PUBLIC,
    "directory:browse": PUBLIC,
    "directory:profile": PUBLIC,  # a published profile
    "directory:compare": PUBLIC,  # the visitor's or seeker's own list; other roles get 403
    "directory:save": PUBLIC,
    "directory:unsave": PUBLIC,
    "directory:dashboard": SIGNED_IN,
    "directory:preview": SIGNED_IN,  # therapists' own profile (role checked inside)
    "directory:wizard": SIGNED_IN,
    "directory:add_license": SIGNED_IN,
    "directory:remove_license": (THERAPIST,),
    "directory:add_authorization": SIGNED_IN,
    "directory:remove_authorization": (THERAPIST,),
    "directory:publish": SIGNED_IN,
    "directory:unpublish": SIGNED_IN,
    "directory:confirm": SIGNED_IN,
    "matching:start": PUBLIC,
    "matching:needs": PUBLIC,
    "matching:world": PUBLIC,
    "matching:results": PUBLIC,
    "matching:save": SIGNED_IN,
    "matching:my_world": SIGNED_IN,  # a seeker's own saved world (role checked)
    "matching:forget": PUBLIC,
    "network:mine": SIGNED_IN,
    "network:add_place": SIGNED_IN,
    "network:remove_place": SIGNED_IN,
    "network:add_tie": SIGNED_IN,
    "network:remove_tie": SIGNED_IN,
    "network:entity_search": PUBLIC,  # workplace names for the anonymous Find flow
    "checkins:start": PUBLIC,
    "checkins:take": PUBLIC,
    "checkins:save": PUBLIC,
    "checkins:hold": PUBLIC,
    "checkins:resume": PUBLIC,
    "checkins:history": SIGNED_IN,
    "checkins:print": SIGNED_IN,
    "checkins:export_fhir": SIGNED_IN,
    "checkins:export_csv": SIGNED_IN,
    "checkins:detail": (SEEKER,),
    "checkins:delete": (SEEKER,),
    "checkins:export_one_fhir": (SEEKER,),
    "scheduling:bookings": SIGNED_IN,
    "scheduling:settings": SIGNED_IN,
    "scheduling:add_day_off": SIGNED_IN,
    "scheduling:remove_day_off": (THERAPIST,),
    "scheduling:session_types": SIGNED_IN,
    "scheduling:save_settings": SIGNED_IN,
    "scheduling:book": SIGNED_IN,
    "scheduling:detail": PAIR,
    "scheduling:confirm": PAIR,
    "scheduling:cancel": PAIR,
    "scheduling:reschedule": PAIR,
    "scheduling:ics": PAIR,
    "scheduling:calendar": SIGNED_IN,
    "scheduling:renew_feed": SIGNED_IN,
    "scheduling:revoke_feed": SIGNED_IN,
    "scheduling:feed": PUBLIC,  # by secret token; a wrong token is a 404 (tested in scheduling)
    "outreach:inbox": SIGNED_IN,
    "outreach:new": SIGNED_IN,
    "outreach:detail": PAIR,
    "outreach:accept": PAIR,
    "outreach:decline": PAIR,
    "outreach:withdraw": PAIR,
    "outreach:thread": PAIR,
    "outreach:reveal": PAIR,
    "practice:caseload": SIGNED_IN,
    "practice:client": (THERAPIST,),
    "practice:acknowledge": (THERAPIST,),
    "practice:note": (THERAPIST,),
    "practice:sign": (THERAPIST,),
    "practice:amend": (THERAPIST,),
    "practice:export_fhir": (THERAPIST,),
    "practice:print": (THERAPIST,),
    "practice:start_plan": (THERAPIST,),
    "practice:stop_plan": (THERAPIST,),
    "practice:asked": SIGNED_IN,
    "practice:asked_take": (SEEKER,),
    "practice:asked_save": (SEEKER,),
    "mydata:index": SIGNED_IN,  # seekers only (role checked inside; tested in tests/mydata)
    "mydata:download": SIGNED_IN,
    "mydata:delete": SIGNED_IN,  # a POST without the password deletes nothing
    "programs:home": SIGNED_IN,  # each role's own programs page
    "programs:create": SIGNED_IN,  # coordinators only (role checked inside)
    "programs:detail": (COORDINATOR,),  # programs of the coordinator's organisation
    "programs:edit": (COORDINATOR,),
    "programs:invite": (COORDINATOR,),
    "programs:run": (COORDINATOR,),
    "programs:report": (COORDINATOR,),
    "programs:report_csv": (COORDINATOR,),
    "programs:join": SIGNED_IN,  # by one-use token; a wrong token is a 404
    "programs:decline_invitation": SIGNED_IN,
    "programs:leave_place": (THERAPIST,),
    "programs:enroll": SIGNED_IN,
    "programs:enrollment": (SEEKER,),
    "programs:answers": (SEEKER,),
    "programs:decline": (SEEKER,),
    "programs:leave": (SEEKER,),
    "programs:sharing": (SEEKER,),
    # The role homes (each role checked inside; tested in tests/home).
    "home:index": SIGNED_IN,
    "home:seeker": SIGNED_IN,
    "home:therapist": SIGNED_IN,
    "home:staff": SIGNED_IN,
}
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_PREFIXES = ("account_", "mfa_", "socialaccount_")
PERSONAS = (
    "anonymous",
    SEEKER,
    "other_seeker",
    THERAPIST,
    "other_therapist",
    "coordinator",
    "staff",
)


@dataclass(frozen=True)
class Route:
    name: str
    converters: tuple[tuple[str, str], ...]  # (argument, converter class name)


def walk(
    patterns: list[URLPattern | URLResolver],
    namespace: str = "",
    converters: tuple[tuple[str, str], ...] = (),
) -> Iterator[Route]:
    for pattern in patterns:
        found = tuple(
            (name, type(converter).__name__)
            for name, converter in getattr(pattern.pattern, "converters", {}).items()
        )
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, converters + found)
        elif pattern.name:
            yield Route(f"{namespace}{pattern.name}", converters + found)


def our_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns):
        if route.name.split(":")[0] in SKIPPED_NAMESPACES or route.name.startswith(
            SKIPPED_PREFIXES
        ):
            continue
        routes.setdefault(route.name, route)
    return list(routes.values())


def test_every_route_has_an_entry() -> None:
    names = {route.name for route in our_routes()}
    assert names - ROUTES.keys() == set(), "add the new routes to ROUTES"
    assert ROUTES.keys() - names == set(), "remove routes that no longer exist"


@dataclass
class World:
    clients: dict[str, Client]
    ids: dict[str, int | str]


def build_world() -> World:
    seeker, other_seeker = make_user(Role.SEEKER), make_user(Role.SEEKER)
    profile = make_schedule(make_profile())
    therapist = profile.user
    other_therapist = make_schedule(make_profile()).user
    request = make_request(seeker, profile)
    outreach.accept_request(therapist=therapist, request=request)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=9)
    booking = Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=profile.session_types.get(kind="consultation"),
        start=start,
        end=start + dt.timedelta(minutes=20),
        seeker_time_zone="America/New_York",
    )
    checkin = save(seeker, "gad7", answers("gad7", 1))
    day_off = DayOff.objects.create(profile=profile, date=start.date() + dt.timedelta(days=30))
    license = License.objects.filter(profile=profile).first()
    assert license is not None
    people: dict[str, User] = {
        SEEKER: seeker,
        "other_seeker": other_seeker,
        THERAPIST: therapist,
        "other_therapist": other_therapist,
        "coordinator": make_user(Role.COORDINATOR),
        "staff": make_staff(),
    }
    # Programs (issue 7): the coordinator runs one; the therapist offers places; the seeker is in.
    organisation = programs.create_organisation(name="Matrix Hospital", kind="health_system")
    programs.add_coordinator(organisation=organisation, user=people[COORDINATOR])
    program = programs.create_program(
        organisation=organisation, name="Matrix program", description="", starts=start.date()
        - dt.timedelta(days=30), ends=None, jurisdictions=["US-CO"], session_allowance=6,
        sponsor_paid=False,
    )  # fmt: skip
    _, invitation = programs.create_invitation(program=program)
    place = programs.accept_invitation(token=invitation, therapist=therapist, capacity=1)
    enrollment = programs.enroll(seeker=seeker, code=program.code)
    clients = {name: client_for(user) for name, user in people.items()}
    clients["anonymous"] = Client()
    ids: dict[str, int | str] = {
        "profile_id": profile.pk,
        "request_id": request.pk,
        "booking_id": booking.pk,
        "checkin_id": checkin.pk,
        "license_id": license.pk,
        "day_off_id": day_off.pk,
        "instrument_id": "gad7",
        "token": "not-a-real-token",
        "program_id": program.pk,
        "place_id": place.pk,
        "enrollment_id": enrollment.pk,
    }
    return World(clients, ids)


def url_for(route: Route, ids: dict[str, int | str]) -> str:
    kwargs = {
        name: ids.get(name, 1 if converter == "IntConverter" else "x")
        for name, converter in route.converters
    }
    return reverse(route.name, kwargs=kwargs)


# Every page type, checked on every page the matrix gets: the headers of issue 6.
def header_problems(persona: str, response: HttpResponseBase) -> list[str]:
    found = []
    policy = response.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy or "'unsafe-inline'" in policy:
        found.append("content security policy")
    if response.get("X-Content-Type-Options") != "nosniff":
        found.append("nosniff")
    if not response.get("Referrer-Policy"):
        found.append("referrer policy")
    if response.get("X-Frame-Options") != "DENY":
        found.append("frame options")
    # Signed-in pages may hold health data (feeds set their own private caching).
    if persona != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
        found.append("no-store")
    return found


def test_the_matrix() -> None:
    world = build_world()
    routes = our_routes()
    problems: list[str] = []
    owner_posts: list[tuple[str, str, Route]] = []

    def check(persona: str, method: str, route: Route) -> None:
        url = url_for(route, world.ids)
        client = world.clients[persona]
        response = client.get(url) if method == "GET" else client.post(url, {})
        status = response.status_code
        entry = ROUTES[route.name]
        where = f"{persona} {method} {route.name} {url} -> {status}"
        if status >= 500:
            problems.append(f"server error: {where}")
        if status == 200:
            problems.extend(f"{missing}: {where}" for missing in header_problems(persona, response))
        elif persona == "anonymous" and entry != PUBLIC and status == 200:
            problems.append(f"anonymous got a page: {where}")
        elif isinstance(entry, tuple) and persona not in entry and status == 200:
            problems.append(f"someone else's object: {where}")
        elif (
            isinstance(entry, tuple)
            and persona in ("other_seeker", "other_therapist")
            and status not in (302, 403, 404, 405)
        ):
            problems.append(f"not refused: {where}")

    # Reads first, then writes by everyone who is not an owner; owners' writes last, as they may
    # change the objects (withdraw, cancel) the other checks rely on.
    for route in routes:
        for persona in PERSONAS:
            check(persona, "GET", route)
    for route in routes:
        entry = ROUTES[route.name]
        for persona in PERSONAS:
            if isinstance(entry, tuple) and persona in entry:
                owner_posts.append((persona, "POST", route))
            else:
                check(persona, "POST", route)
    for persona, method, route in owner_posts:
        check(persona, method, route)
    assert problems == []
