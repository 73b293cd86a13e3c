"""Privacy: a seeker's places and avoid list never reach therapists, JSON, logs or readable
storage; the shortlist never hints that anyone was excluded."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory import services as directory_services
from holdspace.directory.models import TherapistProfile
from tests.conftest import client_for
from tests.factories import affiliate, make_entity, make_profile, make_user
from tests.matching.helpers import run_find, shortlisted

pytestmark = pytest.mark.django_db

CANARY_PLACE = "Canary Sparrow Unit 7731"
CANARY_AVOID_EMAIL = "Canary.Avoid-7731@Example.test"
CANARY_AVOID_NAME = "Canary Person Sevenseven"
CANARY_AVOID_LICENSE = "LIC-CANARY-7731"
CANARY_TIE_EMAIL = "canary.friend-7731@example.test"
PLAINTEXTS = (CANARY_AVOID_EMAIL, CANARY_AVOID_NAME, CANARY_AVOID_LICENSE, CANARY_TIE_EMAIL)


def _variants(text: str) -> set[str]:
    return {text, text.casefold(), text.upper(), " ".join(text.split()).casefold(),
            text.replace("-", "")}  # fmt: skip


def _canary_rows() -> list[dict[str, str]]:
    return [
        {"place__name": CANARY_PLACE, "place__start_year": "2020"},
        {"avoid__value": CANARY_AVOID_EMAIL},
        {"avoid__identifier_kind": "name", "avoid__value": CANARY_AVOID_NAME},
        {"avoid__identifier_kind": "license", "avoid__value": CANARY_AVOID_LICENSE},
        {"tie__value": CANARY_TIE_EMAIL},
    ]


@pytest.fixture
def listed_therapist() -> TherapistProfile:
    return make_profile(licenses=("US-CO",), display_name="Robin Therapist")


@pytest.fixture
def saved_seeker(listed_therapist: TherapistProfile) -> User:
    """A signed-in seeker who ran Find with the canaries and saved them; the therapist works at
    the canary place, so the seeker's place is shared with them."""
    seeker = make_user(Role.SEEKER)
    client = client_for(seeker)
    run_find(client, rows=_canary_rows())
    assert client.post(reverse("matching:save")).status_code == 302
    from holdspace.network.models import Entity

    affiliate(listed_therapist.user, Entity.objects.get(name=CANARY_PLACE))
    return seeker


def _assert_no_canary(text: str, where: str) -> None:
    for canary in (CANARY_PLACE, *PLAINTEXTS):
        for variant in _variants(canary):
            assert variant not in text, f"{canary!r} leaked into {where}"


def test_therapist_facing_pages_never_show_a_seekers_places_or_people(
    saved_seeker: User, listed_therapist: TherapistProfile
) -> None:
    therapist = client_for(listed_therapist.user)
    pages = [
        reverse("directory:dashboard"),
        *(reverse("directory:wizard", args=[step]) for step in range(1, 6)),
        reverse("directory:profile", args=[listed_therapist.pk]),
        reverse("directory:browse"),
        reverse("directory:browse") + "?location=US-CO",
        reverse("network:mine"),  # the therapist's own list: their places, never the seeker's
    ]
    for url in pages:
        response = therapist.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for canary in PLAINTEXTS:
            for variant in _variants(canary):
                assert variant not in html, url
        if url != reverse("network:mine"):
            assert CANARY_PLACE not in html, url
    # The public profile, seen by anyone, too.
    public = Client().get(reverse("directory:profile", args=[listed_therapist.pk]))
    _assert_no_canary(public.content.decode(), "the public profile")


def test_the_autocomplete_names_places_but_never_who_is_there(
    saved_seeker: User, listed_therapist: TherapistProfile
) -> None:
    lonely = make_entity("Canary Sparrow Annex")  # nobody affiliated
    response = Client().get(reverse("network:entity_search"), {"q": "canary sparrow"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert {tuple(sorted(r)) for r in results} == {("id", "kind", "name")}
    assert {r["name"] for r in results} == {CANARY_PLACE, lonely.name}
    body = response.content.decode()
    for secret in (saved_seeker.email, saved_seeker.pseudonym, listed_therapist.display_name,
                   listed_therapist.user.email, *PLAINTEXTS):  # fmt: skip
        assert secret not in body


def test_no_log_line_carries_a_canary(
    caplog: pytest.LogCaptureFixture, listed_therapist: TherapistProfile
) -> None:
    unit = make_entity(CANARY_PLACE)
    affiliate(listed_therapist.user, unit)
    with caplog.at_level(logging.DEBUG):
        response = run_find(Client(), rows=_canary_rows())
        Client().get(reverse("network:entity_search"), {"q": "canary"})
    assert listed_therapist.pk not in shortlisted(response)
    lines = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r}" for record in caplog.records
    )
    _assert_no_canary(lines, "the logs")
    assert listed_therapist.display_name not in lines
    exclusions = [r for r in caplog.records if r.name == "holdspace.matching.exclusions"]
    pattern = rf"find run=[0-9a-f]{{12}} profile={listed_therapist.pk} excluded reason=\w+"
    assert all(re.fullmatch(pattern, r.getMessage()) for r in exclusions)
    assert all(r.levelno == logging.DEBUG for r in exclusions)
    assert exclusions, "staff can see why (by opaque id)"
    assert "close_entity" not in response.content.decode()


def test_the_database_and_sessions_hold_no_readable_avoid_entries(saved_seeker: User) -> None:
    anonymous = Client()
    run_find(anonymous, rows=_canary_rows())  # a second, anonymous, session copy
    seen = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            seen.append(" ".join(str(value) for row in cursor.fetchall() for value in row))
        cursor.execute("SELECT session_data FROM django_session")
        sessions = [row[0] for row in cursor.fetchall()]
    raw = "\n".join(seen)
    for canary in PLAINTEXTS:
        for variant in _variants(canary):
            assert variant not in raw
    assert sessions
    decoded = "\n".join(str(SessionStore().decode(data)) for data in sessions)
    for canary in PLAINTEXTS:
        for variant in _variants(canary):
            assert variant not in decoded
    assert "digest" in decoded  # the session keeps the keyed hash instead


def _strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_exclusion_leaves_no_trace_on_the_page() -> None:
    """The page with a therapist excluded by the avoid list is the page without them at all."""
    avoided = make_profile(user=make_user(Role.THERAPIST, email="ex@example.test"))
    make_profile(display_name="Kept Therapist")
    rows = [{"avoid__value": "ex@example.test"}]
    excluded_page = _strip_tokens(run_find(Client(), rows=rows).content.decode())
    directory_services.unpublish_profile(profile=avoided)
    absent_page = _strip_tokens(run_find(Client(), rows=rows).content.decode())
    assert excluded_page == absent_page
    text = re.sub(r"<[^>]+>", " ", excluded_page).lower()  # what a reader sees
    for word in ("exclud", "hidden", "conflict", "removed", "filtered", "fewer"):
        assert word not in text


def test_the_same_queries_run_whether_or_not_anyone_is_excluded() -> None:
    therapist = make_profile()
    make_profile()
    unit = make_entity("Shared Unit")
    make_entity("Empty Unit")
    affiliate(therapist.user, unit)

    def results_queries(place: str) -> tuple[int, list[int]]:
        client = Client()
        run_find(client, rows=[{"place__name": place}, {"avoid__value": "nobody@example.test"}])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("matching:results"))
        return len(queries), shortlisted(response)

    shared, shared_list = results_queries("Shared Unit")
    empty, empty_list = results_queries("Empty Unit")
    assert therapist.pk not in shared_list
    assert therapist.pk in empty_list
    assert shared == empty
