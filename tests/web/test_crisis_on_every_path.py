"""A risk answer gets the crisis response in the same response, on every path that can carry one,
whatever else is wrong with the submission (issue 11).

Property tests through the real views with the Django test client: for every instrument with a
safety item (PHQ-9 item 9) and every form that carries a risk answer (check-ins and their save
step, a check-in a therapist asked for, the Find answers, program enrollment), Hypothesis draws
any mix of missing, invalid, off-the-scale and repeated other answers plus junk fields, with a
risk answer. The page the person sees (after any redirect the browser follows) must open on the
crisis response: it owns the first heading (h1) of the page, with 988 and the Physician Support
Line, and comes before the problems, the kept answers and any message. The converse: without a
risk answer, no crisis response (only the crisis line every page has).

Paths where access fails are included: signed out (the session ended), the wrong kind of
account, a check-in no longer asked for or gone, and a form refused by the CSRF check. Each
example runs in a savepoint that is rolled back, so examples are independent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from holdspace.accounts.models import Role, User
from holdspace.core.instruments import INSTRUMENT_IDS, Instrument, instrument
from holdspace.core.safety import CRISIS_CONCERN
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.matching.forms import NeedsForm
from holdspace.practice import services as practice
from holdspace.practice.models import CheckInInvitation
from holdspace.programs import services as programs
from tests.conftest import client_for
from tests.factories import make_client, make_user
from tests.programs.helpers import make_program

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONVERSE = settings(PROPERTY, max_examples=12)

# Every instrument whose data names a safety item (today the PHQ-9, item 9).
RISKY = [i for i in INSTRUMENT_IDS if instrument(i).safety_item is not None]
CRISIS_BLOCK = 'id="crisis-resources"'
# What the problems and messages of a page look like, wherever they are.
AFTER_CRISIS = ('id="error-summary"', "form-errors", 'class="messages"', 'class="errorlist',
                'class="error"', "notice--error")  # fmt: skip

Data = dict[str, str | list[str]]


# --- what the person sees -----------------------------------------------------------------------


def main_of(response: TestResponse) -> str:
    html = response.content.decode()
    assert "<main" in html, f"not a Holdspace page ({response.status_code})"
    return html[html.index("<main") :]


def assert_crisis_first(response: TestResponse) -> None:
    assert response.status_code < 500, response.status_code
    main = main_of(response)
    assert CRISIS_BLOCK in main, f"no crisis response on a {response.status_code} page"
    first_heading = re.search(r"<h[1-6][^>]*>", main)
    assert first_heading is not None
    assert first_heading.group(0) == '<h1 id="crisis-now">', first_heading.group(0)
    crisis = main.index(CRISIS_BLOCK)
    block = main[crisis : main.index("</section>", crisis)]
    assert 'href="tel:988"' in block
    assert 'href="sms:988"' in block
    assert "988 Suicide &amp; Crisis Lifeline" in block
    assert "1-888-409-0141" in block  # the Physician Support Line
    for marker in AFTER_CRISIS:
        if marker in main:
            assert crisis < main.index(marker), f"{marker} comes before the crisis response"


def assert_no_crisis_block(response: TestResponse) -> None:
    assert response.status_code < 500, response.status_code
    html = response.content.decode()
    assert CRISIS_BLOCK not in html
    assert "In crisis? Call or text 988 (US)." in html  # the line every page has


# --- drawing submissions ------------------------------------------------------------------------

JUNK_TEXT = st.text(max_size=12)


def raw_answer(values: tuple[int, ...]) -> st.SearchStrategy[str | list[str] | None]:
    """One answer as a browser or a tamperer might send it; None: not sent at all."""
    choices = [str(v) for v in values]
    return st.one_of(
        st.none(),
        st.sampled_from(choices),
        st.integers(-10, 500).map(str),
        JUNK_TEXT,
        st.lists(st.one_of(st.sampled_from(choices), JUNK_TEXT), min_size=2, max_size=3),
    )


def reserved(key: str, inst: Instrument | None = None) -> bool:
    """Fields the junk must not overwrite (the ones under test, the form's own)."""
    safety = f"item-{inst.safety_item}" if inst and inst.safety_item else None
    return key in {safety, "instrument", "csrfmiddlewaretoken"} or key.endswith("concerns")


def junk_fields(inst: Instrument | None = None) -> st.SearchStrategy[Data]:
    keys = st.one_of(
        st.text(min_size=1, max_size=10),
        st.from_regex(r"item-[0-9a-z]{1,3}", fullmatch=True),
    ).filter(lambda key: not reserved(key, inst))
    return st.dictionaries(keys, st.one_of(JUNK_TEXT, st.lists(JUNK_TEXT, max_size=3)), max_size=4)


@st.composite
def check_in_answers(draw: st.DrawFn, instrument_id: str, *, risk: bool) -> Data:
    """Any mix of other answers and junk, with (or without) a risk answer to the safety item."""
    inst = instrument(instrument_id)
    # Half the time every other answer is a valid choice, so whole submissions are drawn too.
    complete = draw(st.booleans())
    data: Data = {} if complete else dict(draw(junk_fields(inst)))
    for item in inst.items:
        if item.id == inst.safety_item:
            continue
        value: str | list[str] | None
        if complete:
            value = draw(st.sampled_from([str(v) for v in item.values]))
        else:
            value = draw(raw_answer(item.values))
        if value is not None:
            data[f"item-{item.id}"] = value
    assert inst.safety_item is not None
    lowest = min(inst.item(inst.safety_item).values)
    above = [str(v) for v in inst.item(inst.safety_item).values if v > lowest]
    if risk:
        data[f"item-{inst.safety_item}"] = draw(st.sampled_from(above))
    else:  # not sent, "Not at all", or something that is no answer at all
        calm = draw(st.one_of(st.none(), st.just(str(lowest)), st.sampled_from(["", "x", "-1"])))
        if calm is not None:
            data[f"item-{inst.safety_item}"] = calm
    return data


def _choices(name: str) -> list[str]:
    return [str(value) for value, _ in NeedsForm.base_fields[name].choices]  # type: ignore[attr-defined]


@st.composite
def find_answers(draw: st.DrawFn, *, risk: bool, prefix: str = "", where: bool = False) -> Data:
    """The Find answers (what you need; and where, on the enrollment page): each field valid,
    invalid or missing, with (or without) "thoughts of ending my life" among the concerns."""
    name = (lambda field: f"{prefix}-{field}") if prefix else (lambda field: field)
    data: Data = dict(draw(junk_fields()))
    others = [c for c in _choices("concerns") if c != CRISIS_CONCERN]
    concerns = draw(st.lists(st.one_of(st.sampled_from(others), JUNK_TEXT), max_size=4))
    if risk:
        concerns.insert(draw(st.integers(0, len(concerns))), CRISIS_CONCERN)
    if concerns:
        data[name("concerns")] = concerns
    fields: dict[str, st.SearchStrategy[Any]] = {
        "modalities": st.lists(st.one_of(st.sampled_from(_choices("modalities")), JUNK_TEXT),
                               max_size=3),
        "max_fee": st.one_of(st.integers(-50, 5000).map(str), JUNK_TEXT),
        "language": st.one_of(st.sampled_from(_choices("language")), JUNK_TEXT),
        "profession": st.one_of(st.sampled_from(_choices("profession")), JUNK_TEXT),
    }  # fmt: skip
    if where:
        fields |= {
            "where-location": st.one_of(st.sampled_from(["US-CO", "US-NY"]), JUNK_TEXT),
            "where-formats": st.lists(st.sampled_from(["video", "phone", "nope"]), max_size=2),
            "where-zip": st.one_of(st.just(""), st.from_regex(r"[0-9]{5}", fullmatch=True)),
        }
    for key, strategy in fields.items():
        if draw(st.booleans()):
            value = draw(strategy)
            data[key if key.startswith("where-") else name(key)] = value
    return data


# --- the world the answers are posted into ------------------------------------------------------


@dataclass
class World:
    seeker: User = field(default_factory=lambda: make_user(Role.SEEKER))
    therapist: User = field(default_factory=lambda: make_user(Role.THERAPIST))
    _invitations: dict[str, CheckInInvitation] = field(default_factory=dict)

    def invitation(self, instrument_id: str) -> CheckInInvitation:
        """A check-in the seeker's therapist asked for (a monthly plan: due at once)."""
        if instrument_id not in self._invitations:
            client = make_client(self.therapist, self.seeker)
            plan = practice.start_plan(
                therapist=self.therapist, client=client, instrument=instrument_id,
                cadence="monthly",
            )  # fmt: skip
            self._invitations[instrument_id] = plan.invitations.get()
        return self._invitations[instrument_id]

    def enrollment_url(self) -> str:
        program = make_program(jurisdictions=list(US_JURISDICTIONS))
        enrollment = programs.enroll(seeker=self.seeker, code=program.code)
        return reverse("programs:answers", args=[enrollment.pk])

    def anonymous(self) -> Client:
        return Client()

    def signed_in(self, who: str) -> Client:
        return client_for(self.seeker if who == "seeker" else self.therapist)


def run(client: Client, url: str, data: Data, check: Callable[[TestResponse], None]) -> int:
    """Post ``data`` as the browser would (following redirects), in a rolled-back savepoint;
    the status of the page it ends on."""
    session = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    client.cookies.pop("messages", None)
    if session is not None:
        client.cookies[session.key] = session.value
    with transaction.atomic():
        response = client.post(url, data, follow=True)
        check(response)
        transaction.set_rollback(True)
    return response.status_code


# --- the check-in paths -------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    id: str
    setup: Callable[[World, str], tuple[Client, str, Data]]
    # Both kinds of submission get through to their own page: results (or a redirect to the
    # saved check-in) for whole ones, the questions again for the rest.
    varied: bool = True


def _take(who: str) -> Callable[[World, str], tuple[Client, str, Data]]:
    def setup(world: World, instrument_id: str) -> tuple[Client, str, Data]:
        client = world.anonymous() if who == "anonymous" else world.signed_in(who)
        return client, reverse("checkins:take", args=[instrument_id]), {}

    return setup


def _save(who: str) -> Callable[[World, str], tuple[Client, str, Data]]:
    def setup(world: World, instrument_id: str) -> tuple[Client, str, Data]:
        client = world.anonymous() if who == "anonymous" else world.signed_in(who)
        return client, reverse("checkins:save"), {"instrument": instrument_id}

    return setup


def _asked(step: str, who: str = "seeker") -> Callable[[World, str], tuple[Client, str, Data]]:
    def setup(world: World, instrument_id: str) -> tuple[Client, str, Data]:
        invitation = world.invitation(instrument_id)
        client = world.anonymous() if who == "anonymous" else world.signed_in(who)
        url = reverse(f"practice:asked_{step}", args=[invitation.pk])
        return client, url, {"instrument": instrument_id}

    return setup


def _asked_closed(world: World, instrument_id: str) -> tuple[Client, str, Data]:
    invitation = world.invitation(instrument_id)
    practice.stop_plan(therapist=world.therapist, client=invitation.plan.request,
                       plan=invitation.plan)  # fmt: skip
    url = reverse("practice:asked_take", args=[invitation.pk])
    return world.signed_in("seeker"), url, {"instrument": instrument_id}


def _asked_gone(world: World, instrument_id: str) -> tuple[Client, str, Data]:
    return (
        world.signed_in("seeker"),
        reverse("practice:asked_take", args=[999_999]),
        {"instrument": instrument_id},
    )


def _csrf_refused(world: World, instrument_id: str) -> tuple[Client, str, Data]:
    return (
        Client(enforce_csrf_checks=True),
        reverse("checkins:take", args=[instrument_id]),
        {"instrument": instrument_id},
    )


CHECK_IN_PATHS = [
    Path("take-anonymous", _take("anonymous")),
    Path("take-seeker", _take("seeker")),
    Path("take-therapist", _take("therapist")),
    Path("save-anonymous", _save("anonymous")),
    Path("save-seeker", _save("seeker")),
    Path("save-therapist", _save("therapist")),
    Path("asked-take", _asked("take")),
    Path("asked-save", _asked("save")),
    Path("asked-take-signed-out", _asked("take", "anonymous"), varied=False),
    Path("asked-save-signed-out", _asked("save", "anonymous"), varied=False),
    Path("asked-take-therapist", _asked("take", "therapist"), varied=False),
    Path("asked-take-no-longer-asked", _asked_closed),
    Path("asked-take-gone", _asked_gone, varied=False),
    Path("csrf-refused", _csrf_refused, varied=False),
]


@pytest.mark.parametrize("instrument_id", RISKY)
@pytest.mark.parametrize("path", CHECK_IN_PATHS, ids=lambda path: path.id)
def test_a_risk_answer_opens_on_the_crisis_response(path: Path, instrument_id: str) -> None:
    client, url, fixed = path.setup(World(), instrument_id)

    @PROPERTY
    @given(check_in_answers(instrument_id, risk=True))
    @example({"item-9": "1"})  # item 9 alone (found in issue 11)
    @example({f"item-{n}": "0" for n in range(1, 9)} | {"item-9": "3"})  # complete, valid
    @example({f"item-{n}": "0" for n in range(1, 9) if n != 4} | {"item-9": "2"})  # one skipped
    def check(data: Data) -> None:
        seen.add(run(client, url, data | fixed, assert_crisis_first))

    seen: set[int] = set()
    check()
    assert len(seen) > 1 if path.varied else len(seen) == 1, seen


@pytest.mark.parametrize("instrument_id", RISKY)
@pytest.mark.parametrize("path", CHECK_IN_PATHS, ids=lambda path: path.id)
def test_without_a_risk_answer_there_is_no_crisis_response(path: Path, instrument_id: str) -> None:
    client, url, fixed = path.setup(World(), instrument_id)

    @CONVERSE
    @given(check_in_answers(instrument_id, risk=False))
    @example({f"item-{n}": "0" for n in range(1, 10)})
    def check(data: Data) -> None:
        run(client, url, data | fixed, assert_no_crisis_block)

    check()


# --- the Find answers and program enrollment ----------------------------------------------------


@dataclass(frozen=True)
class FindPath:
    id: str
    setup: Callable[[World], tuple[Client, str]]
    prefix: str = ""
    where: bool = False


def _needs(world: World) -> tuple[Client, str]:
    client = world.anonymous()
    client.post(reverse("matching:start"), {"location": "US-CO", "formats": ["video"]})
    return client, reverse("matching:needs")


def _needs_expired(world: World) -> tuple[Client, str]:
    """The first screen's answers are gone (a new session): the needs screen is posted anyway."""
    return world.anonymous(), reverse("matching:needs")


def _enrollment(who: str) -> Callable[[World], tuple[Client, str]]:
    def setup(world: World) -> tuple[Client, str]:
        url = world.enrollment_url()
        client = world.anonymous() if who == "anonymous" else world.signed_in(who)
        return client, url

    return setup


FIND_PATHS = [
    FindPath("find-needs", _needs),
    FindPath("find-needs-session-expired", _needs_expired),
    FindPath("enrollment-answers", _enrollment("seeker"), prefix="needs", where=True),
    FindPath("enrollment-answers-signed-out", _enrollment("anonymous"), "needs", where=True),
    FindPath("enrollment-answers-therapist", _enrollment("therapist"), "needs", where=True),
]


@pytest.mark.parametrize("path", FIND_PATHS, ids=lambda path: path.id)
def test_thoughts_of_ending_my_life_opens_on_the_crisis_response(path: FindPath) -> None:
    client, url = path.setup(World())
    name = f"{path.prefix}-concerns" if path.prefix else "concerns"

    @PROPERTY
    @given(find_answers(risk=True, prefix=path.prefix, where=path.where))
    @example({name: [CRISIS_CONCERN], "max_fee": "lots", "needs-max_fee": "-5"})
    @example({name: [CRISIS_CONCERN, "burnout"], "where-location": "US-CO",
              "where-formats": ["video"]})  # fmt: skip
    def check(data: Data) -> None:
        run(client, url, data, assert_crisis_first)

    check()


@pytest.mark.parametrize("path", FIND_PATHS, ids=lambda path: path.id)
def test_other_find_answers_bring_no_crisis_response(path: FindPath) -> None:
    client, url = path.setup(World())

    @CONVERSE
    @given(find_answers(risk=False, prefix=path.prefix, where=path.where))
    def check(data: Data) -> None:
        run(client, url, data, assert_no_crisis_block)

    check()
