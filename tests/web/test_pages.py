"""The site-wide pages and layout: crisis strip, skip link, no third-party requests."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from holdspace.accounts.models import User

PAGES = ["home", "about", "crisis", "privacy", "account_login", "account_signup"]
MISSING = "/no-such-page-here/"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Settings) -> None:
    """Render {% static %} without a collectstatic manifest and serve files from the finders,
    so these tests do not depend on DEBUG or on collectstatic having run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


class Resources(HTMLParser):
    """Collects every URL the browser would fetch by itself, and the skip link / main ids."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[str, str]] = []
        self.stylesheets: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.controls: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
            if tag in {"input", "select", "textarea"}:
                self.controls[a["id"]] = a
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "link" and "href" in a:
            self.fetched.append((tag, a["href"]))
            if "stylesheet" in a.get("rel", "").split():
                self.stylesheets.append(a["href"])
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed"} and "src" in a:
            self.fetched.append((tag, a["src"]))
        if "srcset" in a:
            for candidate in a["srcset"].split(","):
                self.fetched.append((tag, candidate.strip().split(" ")[0]))


def parse(html: str) -> Resources:
    parser = Resources()
    parser.feed(html)
    return parser


def get_page(client: Client, name: str) -> str:
    if name == "404":
        response = client.get(MISSING)
        assert response.status_code == 404
    else:
        response = client.get(reverse(name))
        assert response.status_code == 200
    return response.content.decode()


def assert_has_crisis_line(html: str) -> None:
    assert "In crisis? Call or text 988 (US)." in html
    links = parse(html).hrefs
    assert "tel:988" in links
    assert "sms:988" in links
    assert reverse("crisis") in links


@pytest.mark.django_db
def test_landing_page_shows_three_doors_and_crisis_strip(client: Client) -> None:
    html = get_page(client, "home")
    for door in ("Check in with yourself", "Find a therapist", "For therapists and programs"):
        assert door in html
    assert "What stays private" in html
    assert reverse("account_signup") in parse(html).hrefs
    assert_has_crisis_line(html)


@pytest.mark.django_db
def test_landing_page_has_no_dead_links(client: Client) -> None:
    """Doors whose feature does not exist yet are plain text, never href="#"."""
    hrefs = parse(get_page(client, "home")).hrefs
    assert "#" not in hrefs
    assert "" not in hrefs


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PAGES, "404"])
def test_every_page_has_crisis_line_and_skip_link(client: Client, name: str) -> None:
    html = get_page(client, name)
    assert_has_crisis_line(html)
    page = parse(html)
    assert "#main" in page.hrefs
    assert "main" in page.ids
    assert '<html lang="en">' in html
    assert "· Holdspace</title>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PAGES, "404"])
def test_no_page_loads_anything_from_another_host(client: Client, name: str) -> None:
    page = parse(get_page(client, name))
    assert page.fetched, "expected at least the stylesheet and the favicon"
    for tag, url in page.fetched:
        parts = urlsplit(url)
        same_origin = parts.netloc in ("", "testserver") and parts.scheme in ("", "http", "https")
        assert same_origin or parts.scheme == "data", f"<{tag}> loads {url} from another host"


@pytest.mark.django_db
def test_pages_use_no_inline_scripts_or_styles(client: Client) -> None:
    """The Content-Security-Policy allows styles only from 'self' and scripts only with a nonce."""
    for name in [*PAGES, "404"]:
        html = get_page(client, name)
        assert " style=" not in html
        assert "<style" not in html
        assert "<script" not in html or 'nonce="' in html


@pytest.mark.django_db
def test_stylesheet_is_served_from_static(client: Client) -> None:
    page = parse(get_page(client, "home"))
    assert page.stylesheets
    for href in page.stylesheets:
        assert href.startswith("/static/")
        response = client.get(href)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")
    assert finders.find("holdspace/site.css")
    assert finders.find("holdspace/favicon.svg")


def test_server_error_page_needs_no_request_or_context() -> None:
    html = get_template("500.html").render({})
    assert_has_crisis_line(html)
    assert "#main" in parse(html).hrefs
    for _tag, url in parse(html).fetched:
        assert url.startswith("/static/")


@pytest.mark.django_db
def test_signed_in_user_sees_pseudonym_and_a_sign_out_form(
    client: Client, django_user_model: type[User]
) -> None:
    user = django_user_model.objects.create_user(
        email="dana@example.org", password="a long passphrase", pseudonym="Quiet Heron"
    )
    client.force_login(user)
    html = get_page(client, "about")  # "/" takes them to "My care"
    assert "Quiet Heron" in html
    assert f'action="{reverse("account_logout")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert ">Sign in<" not in html


@pytest.mark.django_db
def test_signup_form_fields_are_labelled_and_errors_described(client: Client) -> None:
    response = client.post(reverse("account_signup"), {"email": "not-an-email", "role": "seeker"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">' in html
    assert 'aria-invalid="true"' in html
    page = parse(html)
    assert "id_email_error" in page.ids
    email = page.controls["id_email"]
    assert email["aria-invalid"] == "true"
    assert "id_email_error" in email["aria-describedby"].split()
    assert email["value"] == "not-an-email"
    assert "id_password1_helptext" in page.controls["id_password1"]["aria-describedby"].split()
    assert "<legend>" in html  # the role radios are a fieldset


def test_avatar_shows_initials() -> None:
    template = get_template("includes/avatar.html")
    assert ">DR<" in template.render({"name": "Dana Reyes"})
    assert ">D<" in template.render({"name": "Dana"})
    assert ">AR<" in template.render({"name": "Ana María Reyes"})
    assert 'aria-hidden="true"' in template.render({"name": "Dana Reyes"})
