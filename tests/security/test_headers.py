"""Security headers: Cache-Control no-store on every page that may hold health data, and the
Content-Security-Policy's frame and script rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.factories import make_profile, make_request, make_schedule, make_user

pytestmark = pytest.mark.django_db


def no_store(response: HttpResponseBase) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_with_health_data_are_never_cached() -> None:
    seeker = make_user(Role.SEEKER)
    profile = make_schedule(make_profile())
    therapist = profile.user
    request = make_request(seeker, profile)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=9)
    booking = Booking.objects.create(
        profile=profile,
        seeker=seeker,
        session_type=profile.session_types.get(kind="consultation"),
        start=start,
        end=start + dt.timedelta(minutes=20),
        seeker_time_zone="America/New_York",
    )
    seeker_client, therapist_client = client_for(seeker), client_for(therapist)
    seeker_pages = [
        reverse("checkins:history"),
        reverse("outreach:inbox"),
        reverse("outreach:detail", args=[request.pk]),
        reverse("outreach:thread", args=[request.pk]),
        reverse("scheduling:bookings"),
        reverse("scheduling:detail", args=[booking.pk]),
        reverse("home:seeker"),
    ]
    therapist_pages = [
        reverse("outreach:inbox"),
        reverse("outreach:detail", args=[request.pk]),
        reverse("scheduling:bookings"),
        reverse("scheduling:detail", args=[booking.pk]),
        reverse("scheduling:settings"),
        reverse("directory:dashboard"),
        reverse("network:mine"),
        reverse("home:therapist"),
    ]
    for client, pages in ((seeker_client, seeker_pages), (therapist_client, therapist_pages)):
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert no_store(response), url


def test_csp_forbids_framing_and_inline_script() -> None:
    for url in ("/", "/accounts/login/", "/crisis/"):
        policy = Client().get(url)["Content-Security-Policy"]
        directives = {}
        for part in policy.split(";"):
            name, _, value = part.strip().partition(" ")
            directives[name] = value
        assert directives["frame-ancestors"] == "'none'"
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in policy


def test_https_responses_carry_hsts_in_production(settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000  # the production default
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
