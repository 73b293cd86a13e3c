"""Every error page a person can land on is a Holdspace page (issue 11): the crisis line, the
site's stylesheet (which really loads), plain words about what happened and a way forward.

Each status is reached through a real request with DEBUG off (pytest-django's default): 400
(a host we don't serve; a form with too many fields), 403 (the wrong kind of account; signed
out), the CSRF failure, 404, 405 (a form's address opened directly), 429 (allauth's limits, ours,
django-axes' lockout) and 500 (a view that fails). Twice: with plain static files, and as in
production, after ``collectstatic`` with WhiteNoise's hashed, compressed manifest storage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import Role
from tests.conftest import client_for
from tests.factories import make_profile, make_user
from tests.web.test_pages import parse

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

CRISIS_LINE = "In crisis? Call or text 988 (US)."
FORM = "application/x-www-form-urlencoded"  # as a browser sends these forms
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED_STYLESHEET = re.compile(r"^/static/holdspace/site\.[0-9a-f]{12}\.css$")


# --- static files, plain and as in production ----------------------------------------------------


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after ``collectstatic`` with the production storage (hashed names)."""
    root = tmp_path_factory.mktemp("static")
    storages = {"staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(params=["plain", "production"])
def static_mode(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "plain":
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        settings.WHITENOISE_USE_FINDERS = True
        settings.WHITENOISE_AUTOREFRESH = True
    else:
        settings.STATIC_ROOT = request.getfixturevalue("collected")
        settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
        settings.WHITENOISE_USE_FINDERS = False
        settings.WHITENOISE_AUTOREFRESH = False
    return str(request.param)


# --- reaching each error --------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorPage:
    id: str
    status: int
    reach: Callable[[Settings], TestResponse]
    says: str  # the plain words at the top of the page


def _disallowed_host(settings: Settings) -> TestResponse:
    return Client().get("/", HTTP_HOST="not-ours.example")


def _too_many_fields(settings: Settings) -> TestResponse:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = urlencode({f"f{i}": "1" for i in range(30)})
    return Client().post(reverse("checkins:take", args=["gad7"]), fields, content_type=FORM)


def _wrong_role(settings: Settings) -> TestResponse:
    return client_for(make_user(Role.SEEKER)).get(reverse("practice:caseload"))


def _csrf(settings: Settings) -> TestResponse:
    return Client(enforce_csrf_checks=True).post(reverse("checkins:take", args=["gad7"]), {})


def _not_found(settings: Settings) -> TestResponse:
    return Client().get("/no-such-page-here/")


def _method(settings: Settings) -> TestResponse:
    return Client().get(reverse("checkins:save"))


def _allauth_limit(settings: Settings) -> TestResponse:
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "someone@example.org"})
    return client.post(reverse("account_reset_password"), {"email": "someone@example.org"})


def _our_limit(settings: Settings) -> TestResponse:
    settings.HOLDSPACE_RATE_LIMITS = {**settings.HOLDSPACE_RATE_LIMITS, "outreach_request": 0}
    client = client_for(make_user(Role.SEEKER))
    return client.post(reverse("outreach:new", args=[make_profile().pk]), {})


def _locked_out(settings: Settings) -> TestResponse:
    make_user(Role.SEEKER, email="dana@example.org")
    client = Client()
    wrong = {"login": "dana@example.org", "password": "not the password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("account_login"), wrong)
    return client.post(reverse("account_login"), wrong)  # the failure that locks


def _server_error(settings: Settings) -> TestResponse:
    settings.ROOT_URLCONF = "tests.web.boom_urls"
    return Client(raise_request_exception=False).get("/boom/")


ERRORS = [
    ErrorPage("400-host", 400, _disallowed_host, "We couldn’t read that request"),
    ErrorPage("400-fields", 400, _too_many_fields, "We couldn’t read that request"),
    ErrorPage("403-role", 403, _wrong_role, "This page is for another kind of account"),
    ErrorPage("403-csrf", 403, _csrf, "That form wasn’t sent"),
    ErrorPage("404", 404, _not_found, "We couldn’t find that page"),
    ErrorPage("405", 405, _method, "This address can’t be opened directly"),
    ErrorPage("429-allauth", 429, _allauth_limit, "Please wait a few minutes"),
    ErrorPage("429-ours", 429, _our_limit, "Please pause for a while"),
    ErrorPage("429-lockout", 429, _locked_out, "Sign-in is paused for a while"),
    ErrorPage("500", 500, _server_error, "Something went wrong on our side"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: error.id)
def test_every_error_page_is_a_holdspace_page(
    error: ErrorPage, static_mode: str, settings: Settings
) -> None:
    response = error.reach(settings)
    assert response.status_code == error.status
    html = response.content.decode()
    assert CRISIS_LINE in html
    page = parse(html)
    assert {"tel:988", "sms:988", "/crisis/"} <= set(page.hrefs)
    # Plain words first, then a way forward (home at least).
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert h1 is not None
    assert h1.group(1).strip() == error.says
    assert "/" in page.hrefs
    assert "Traceback" not in html
    assert "Forbidden" not in html
    # The site's stylesheet, and it really loads (hashed, as in production, where it can be).
    assert len(page.stylesheets) >= 1
    stylesheet = next(href for href in page.stylesheets if "/holdspace/site" in href)
    if static_mode == "production":
        assert HASHED_STYLESHEET.match(stylesheet), stylesheet
    css = Client().get(stylesheet)
    assert css.status_code == 200, stylesheet
    assert css["Content-Type"].startswith("text/css")


def test_the_wrong_kind_of_account_is_told_plainly_with_a_way_out() -> None:
    seeker = make_user(Role.SEEKER, pseudonym="Quiet Heron 7")
    html = client_for(seeker).get(reverse("practice:caseload")).content.decode()
    assert "This page is for therapists." in " ".join(html.split())
    assert "Quiet Heron 7" in html
    assert "an account for clinicians looking for support" in html
    assert reverse("account_logout") in parse(html).hrefs


def test_a_signed_out_person_is_offered_sign_in_and_brought_back(settings: Settings) -> None:
    # An anonymous POST of a risk answer to a page that needs an account: never a bare redirect.
    url = reverse("practice:asked_take", args=[1])
    response = Client().post(url, {"instrument": "phq9", "item-9": "2"})
    assert response.status_code == 403
    html = response.content.decode()
    assert html.index('id="crisis-resources"') < html.index("Please sign in to see this page")
    assert f"{reverse('account_login')}?next=/practice/asked/1/" in parse(html).hrefs


def test_405_keeps_the_allow_header() -> None:
    response = Client().get(reverse("checkins:save"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")


def test_any_refused_method_gets_the_page() -> None:
    response = Client().put("/check-in/phq9/")
    assert response.status_code == 405
    assert "This address can’t be opened directly" in response.content.decode()
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize("static_mode", ["production"], indirect=True)
def test_the_500_page_still_loads_its_stylesheet_when_the_manifest_is_missing(
    static_mode: str, settings: Settings, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path  # no collectstatic: the manifest storage cannot hash
    response = _server_error(settings)
    assert response.status_code == 500
    stylesheets = parse(response.content.decode()).stylesheets
    assert stylesheets == ["/static/holdspace/site.css"]


def test_errors_with_a_risk_answer_open_on_the_crisis_response(settings: Settings) -> None:
    risk = {"instrument": "phq9", "item-9": "1"}
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    pages = {
        "400": Client().post(reverse("checkins:take", args=["phq9"]),
                             urlencode(risk | {f"f{i}": "1" for i in range(30)}),
                             content_type=FORM),
        "403-csrf": Client(enforce_csrf_checks=True).post(
            reverse("checkins:take", args=["phq9"]), risk
        ),
        "404": client_for(make_user(Role.SEEKER)).post(
            reverse("practice:asked_take", args=[999_999]), risk
        ),
    }  # fmt: skip
    settings.ROOT_URLCONF = "tests.web.boom_urls"
    pages["500"] = Client(raise_request_exception=False).post("/boom/", risk)
    for name, response in pages.items():
        html = response.content.decode()
        main = html[html.index("<main") :]
        assert re.search(r"<h[1-6][^>]*>", main).group(0) == '<h1 id="crisis-now">', name  # type: ignore[union-attr]
        assert "988 Suicide &amp; Crisis Lifeline" in main, name
    # Without one, the same pages carry only the crisis line.
    calm = Client(raise_request_exception=False).post(
        "/boom/", {"instrument": "phq9", "item-9": "0"}
    )
    assert 'id="crisis-resources"' not in calm.content.decode()
