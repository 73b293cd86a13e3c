"""Demo data for Holdspace: realistic, varied and the same on every run with the same seed.

``seed_demo()`` (used by ``manage.py seed_demo`` and by ``bench/browse.py``) builds:

- four demo logins (seeker, therapist, coordinator, staff) with verified email addresses;
- the demo therapist "Dana Reyes, LCSW" in Colorado, built through the directory services
  (her licenses are verified by the demo staff user with ``services.decide_license``);
- ``therapists`` listed therapists, plus about 15 % more that are *not* listed so the listing
  rules can be seen: licenses waiting for verification or rejected, stale profiles (not
  confirmed for more than 30 days), therapists not accepting new clients, expired licenses
  and unpublished drafts.

The generated therapists are written with ``bulk_create`` (and bulk inserts into the
many-to-many through tables), so 300 take well under a second and 100,000 well under a
minute. ``listed_until`` is computed with exactly the rule of ``services.refresh_listing``.

Everything created here belongs to users whose email ends in ``@demo.holdspace.test`` or
``@therapists.demo.holdspace.test``; ``clear_demo()`` removes those rows first, so running
the command twice rebuilds the same data instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import zipcodes
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Max, Model, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import slugify as _slugify
from faker import Faker

from holdspace.accounts.models import Role, User
from holdspace.core import zones
from holdspace.core.compacts import COUNSELING_PRIVILEGE, PSYPACT_APIT, load_compacts
from holdspace.core.slots import WeeklyWindow
from holdspace.core.taxonomy import AUTHORIZATION_KINDS, FOCUS_AREAS, MODALITIES, PROFESSIONS
from holdspace.directory import search, services
from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import (
    Authorization,
    License,
    Term,
    TermKind,
    TherapistProfile,
    VerificationEvent,
    VerificationStatus,
)
from holdspace.scheduling import services as scheduling

DEMO_PASSWORD = "holdspace-demo-2026"  # noqa: S105 - published on purpose: it is demo data
DEMO_DOMAIN = "demo.holdspace.test"
THERAPIST_DOMAIN = f"therapists.{DEMO_DOMAIN}"

SEEKER_EMAIL = f"seeker@{DEMO_DOMAIN}"
THERAPIST_EMAIL = f"therapist@{DEMO_DOMAIN}"
COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
STAFF_EMAIL = f"staff@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    note: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(SEEKER_EMAIL, Role.SEEKER, 'a clinician looking for support, "Quiet Harbor 101"'),
    DemoLogin(THERAPIST_EMAIL, Role.THERAPIST, 'listed profile "Dana Reyes, LCSW" in Colorado'),
    DemoLogin(COORDINATOR_EMAIL, Role.COORDINATOR, "runs a clinician support program"),
    DemoLogin(STAFF_EMAIL, Role.STAFF, "verifies licenses in the admin (/admin/)"),
)


class _Draw:
    """Weighted draws from a fixed table, without replacement within one call."""

    def __init__(self, weights: dict[str, int] | dict[str, float]) -> None:
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def one(self, rng: random.Random) -> str:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]

    def some(self, rng: random.Random, k: int, exclude: Iterable[str] = ()) -> list[str]:
        chosen: list[str] = []
        taken = set(exclude)
        k = min(k, len(self.keys) - len(taken))
        while len(chosen) < k:
            pick = rng.choices(self.keys, cum_weights=self.cumulative)[0]
            if pick not in taken:
                taken.add(pick)
                chosen.append(pick)
        return chosen


# --- Reference data --------------------------------------------------------------------------

# Resident population in thousands (2020 US Census); therapists are spread in proportion,
# with a floor so that small states and territories still get a few.
POPULATION: dict[str, int] = {
    "US-AL": 5024,
    "US-AK": 733,
    "US-AZ": 7152,
    "US-AR": 3012,
    "US-CA": 39538,
    "US-CO": 5774,
    "US-CT": 3606,
    "US-DE": 990,
    "US-DC": 690,
    "US-FL": 21538,
    "US-GA": 10712,
    "US-HI": 1455,
    "US-ID": 1839,
    "US-IL": 12813,
    "US-IN": 6786,
    "US-IA": 3190,
    "US-KS": 2938,
    "US-KY": 4506,
    "US-LA": 4658,
    "US-ME": 1362,
    "US-MD": 6177,
    "US-MA": 7030,
    "US-MI": 10077,
    "US-MN": 5706,
    "US-MS": 2961,
    "US-MO": 6154,
    "US-MT": 1084,
    "US-NE": 1962,
    "US-NV": 3105,
    "US-NH": 1378,
    "US-NJ": 9289,
    "US-NM": 2118,
    "US-NY": 20201,
    "US-NC": 10439,
    "US-ND": 779,
    "US-OH": 11799,
    "US-OK": 3959,
    "US-OR": 4237,
    "US-PA": 13003,
    "US-RI": 1097,
    "US-SC": 5118,
    "US-SD": 887,
    "US-TN": 6911,
    "US-TX": 29146,
    "US-UT": 3272,
    "US-VT": 643,
    "US-VA": 8631,
    "US-WA": 7705,
    "US-WV": 1794,
    "US-WI": 5894,
    "US-WY": 577,
    "US-PR": 3286,
    "US-GU": 154,
    "US-VI": 87,
}

# Each state's main time zone (one rule for everyone: holdspace.core.zones).
STATE_TIME_ZONE = zones.JURISDICTION_ZONES
FORM_TIME_ZONES = frozenset(STATE_TIME_ZONE.values())

# (profession, weight, credentials to pick from); counselors' and social workers' titles
# depend on the state (see _credentials).
PROFESSION_MIX: tuple[tuple[str, int], ...] = (
    ("counselor", 30),
    ("social_worker", 27),
    ("psychologist", 21),
    ("mft", 12),
    ("psychiatrist", 5),
    ("nurse_practitioner", 5),
)
_COUNSELOR_TITLE = {
    **{f"US-{s}": "LMHC" for s in ["NY", "MA", "FL", "WA", "IN", "RI"]},
    **{f"US-{s}": "LPCC" for s in ["CA", "OH", "NM", "MN", "KY"]},
    **{f"US-{s}": "LCPC" for s in ["IL", "MD", "ME", "MT", "ID"]},
    **{f"US-{s}": "LCMHC" for s in ["NC", "VT", "NH"]},
}
_SOCIAL_WORK_TITLE = {f"US-{s}": "LICSW" for s in ["MA", "MN", "WA", "DC", "RI", "VT"]}
_LICENSE_PREFIX = {
    "counselor": "LPC",
    "social_worker": "CSW",
    "psychologist": "PSY",
    "mft": "MFT",
    "psychiatrist": "MD",
    "nurse_practitioner": "APN",
}
_WHO = {
    "counselor": "a licensed professional counselor",
    "social_worker": "a clinical social worker",
    "psychologist": "a psychologist",
    "mft": "a marriage and family therapist",
    "psychiatrist": "a psychiatrist",
    "nurse_practitioner": "a psychiatric nurse practitioner",
}
SERVED_PLURAL: dict[str, str] = {
    "psychologist": "psychologists",
    "counselor": "counselors",
    "social_worker": "social workers",
    "mft": "family therapists",
    "psychiatrist": "psychiatrists",
    "physician": "physicians",
    "nurse": "nurses",
    "nurse_practitioner": "nurse practitioners",
    "emt_paramedic": "paramedics",
    "trainee": "clinicians in training",
    "other": "other helpers",
}
SERVED_WEIGHTS: dict[str, int] = {
    "nurse": 10,
    "physician": 9,
    "social_worker": 7,
    "counselor": 7,
    "psychologist": 6,
    "emt_paramedic": 5,
    "trainee": 5,
    "nurse_practitioner": 4,
    "mft": 3,
    "psychiatrist": 3,
    "other": 2,
}
MODALITY_WEIGHTS: dict[str, int] = {
    "cbt": 9,
    "act": 7,
    "emdr": 7,
    "person_centered": 7,
    "mindfulness": 7,
    "psychodynamic": 6,
    "ifs": 6,
    "somatic": 5,
    "talk": 5,
    "narrative": 3,
    "dbt": 3,
    "sensorimotor": 2,
}
# What brings clinicians to therapy: the occupational toll first, then everything else.
CLINICIAN_FOCUS = (
    "burnout",
    "vicarious_trauma",
    "compassion_fatigue",
    "secondary_traumatic_stress",
    "moral_injury",
    "boundaries_caseload",
)
OTHER_FOCUS_WEIGHTS: dict[str, int] = {
    "anxiety": 8,
    "depression": 7,
    "grief_loss": 6,
    "life_transition": 6,
    "relationships": 6,
    "personal_trauma": 5,
    "meaning_purpose": 4,
    "licensing_stress": 4,
    "parenting": 4,
    "family_illness": 3,
    "identity": 3,
    "substance_use": 3,
}
SECOND_LANGUAGE_WEIGHTS: dict[str, int] = {
    "zh": 4,
    "vi": 3,
    "tl": 3,
    "fr": 3,
    "ko": 2,
    "ar": 2,
    "ru": 2,
    "ht": 2,
    "pt": 2,
    "de": 2,
    "hi": 2,
    "ase": 2,
    "it": 1,
    "pl": 1,
    "fa": 1,
    "he": 1,
    "uk": 1,
    "ja": 1,
}
# Share of therapists offering Spanish: higher where more people speak it at home.
SPANISH_SHARE = {
    "US-PR": 1.0,
    "US-TX": 0.3,
    "US-CA": 0.3,
    "US-NM": 0.35,
    "US-AZ": 0.25,
    "US-FL": 0.25,
    "US-NV": 0.2,
    "US-NY": 0.18,
    "US-NJ": 0.18,
    "US-IL": 0.15,
}

_PROFESSIONS = _Draw(dict(PROFESSION_MIX))
_PRONOUNS = _Draw({"she/her": 66, "he/him": 28, "they/them": 6})
_SECOND_LANGUAGES = _Draw(SECOND_LANGUAGE_WEIGHTS)
_MODALITIES = _Draw(MODALITY_WEIGHTS)
_OTHER_FOCUS = _Draw(OTHER_FOCUS_WEIGHTS)
_SERVED = _Draw(SERVED_WEIGHTS)
_PENDING, _VERIFIED, _REJECTED = (
    str(VerificationStatus.PENDING.value),
    str(VerificationStatus.VERIFIED.value),
    str(VerificationStatus.REJECTED.value),
)

# Categories of generated profile. "listed" ones are shown; the others show a listing rule.
LISTED = "listed"
UNLISTED_MIX: tuple[tuple[str, float], ...] = (
    ("pending", 0.30),  # license waiting for staff verification
    ("rejected", 0.05),  # license could not be verified
    ("stale", 0.25),  # not re-confirmed for more than 30 days
    ("not_accepting", 0.20),
    ("expired", 0.15),  # the only licenses have expired
    ("draft", 0.05),  # wizard not finished, never published
)
UNLISTED_SHARE = 0.15

# --- Bios ------------------------------------------------------------------------------------
# Three short, warm sentences: who I see, how we work, one practical or reassuring note.
# Placeholders: {who} {years} {served} {focus} {focus2} {modality} {modality2} {city} {state}.

_OPENINGS_WITH_YEARS = (
    "For {years} years most of the people I have seen are {served}: people who spend their "
    "days holding other people's pain.",
    "I'm {who}, and for the last {years} years I have sat with {served} who are running on empty.",
    "I have {years} years of experience with clinicians as clients, most of them {served} "
    "living with {focus}.",
    "I began seeing fellow clinicians after my own years in community mental health, and for "
    "{years} years that has been the heart of my practice.",
)
_OPENINGS = (
    "Many of the people I see are {served} who are very good at caring for everyone except "
    "themselves.",
    "Clinicians often arrive apologising for needing help; I see {served}, and I think asking "
    "is a skill, not a failure.",
    "I work with {served} carrying {focus}, the quiet weight that builds up when your job is "
    "other people's worst days.",
    "My practice is built for helpers: {served} who need one place where they don't have to be "
    "the competent one.",
    "Burnout is not a character flaw, and most of the {served} I see already know that in "
    "their heads but not yet in their bodies.",
    "I'm {who} who works almost entirely with {served}, especially around {focus} and {focus2}.",
    "Before I trained as a therapist I worked night shifts on a hospital unit, so I know the "
    "drive home afterwards, and I now see {served}.",
)
_APPROACHES = (
    "I draw on {modality} and {modality2}, and we go at a pace that leaves room for a full "
    "day of work afterwards.",
    "Our sessions lean on {modality}, with plenty of space simply to talk when that is what "
    "you need.",
    "Together we look at {focus} and {focus2} without judgment, using {modality} where it helps.",
    "I'm trained in {modality}, but what I care about most is making this the one hour in "
    "your week that asks nothing of you.",
    "We might use {modality} or {modality2}; either way, you will never have to perform being "
    "fine here.",
    "I combine {modality} with practical conversations about caseload, boundaries and the "
    "moments you can't stop replaying.",
    "My approach is collaborative and steady: {modality} for what feels stuck, and honest "
    "conversation for everything else.",
    "We work with {modality} to notice where the job lives in your body and how to set it "
    "down between shifts.",
)
_CLOSINGS = (
    "Confidentiality matters to me as much as it does to you, and I keep my caseload small.",
    "If you are not sure whether what you are feeling counts, it does, and we can start there.",
    "A first conversation is free, with no pressure to continue.",
    "I keep early-morning and evening hours for people whose shifts don't end on time.",
)
_CLOSING_IN_PERSON = "I see clients in person in {city} and by video across {state}."
_CLOSING_SLIDING = (
    "I offer a sliding scale because nobody who spends their life helping should be priced "
    "out of help."
)
_CLOSING_SPANISH = "I also offer sessions in Spanish."

DANA_BIO = (
    "I'm a clinical social worker in Boulder, and for nine years my practice has been almost "
    "entirely nurses, physicians, paramedics and fellow social workers. Many come to me after "
    "a hard case they can't put down, or when the job has quietly taken more than it gave; "
    "we use IFS, EMDR and somatic work, at a pace that leaves you able to work the next day. "
    "I meet in person in Boulder, on walking sessions along Boulder Creek, and by video "
    "anywhere I'm licensed."
)


# --- Plans (pure Python, deterministic) ------------------------------------------------------


@dataclass
class _LicensePlan:
    jurisdiction: str
    expires: dt.date
    status: str


@dataclass
class _Plan:
    category: str
    email: str
    display_name: str
    pronouns: str
    credentials: str
    profession: str
    bio: str
    modalities: list[str]
    focus: list[str]
    formats: list[str]
    languages: list[str]
    served: list[str]
    years: int
    fee: int
    sliding: bool
    accepting: bool
    capacity: int
    office_zip: str
    office_jurisdiction: str
    time_zone: str
    published: bool
    wizard_step: int
    last_confirmed: dt.date | None
    verified_at: dt.datetime
    licenses: list[_LicensePlan] = field(default_factory=list)
    authorizations: list[tuple[str, str, dt.date]] = field(default_factory=list)


@dataclass
class SeedReport:
    listed: int
    unlisted: dict[str, int]
    profiles: int
    licenses: int
    authorizations: int
    verification_events: int
    seconds: float
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@cache
def _offsets(name: str) -> tuple[dt.timedelta | None, dt.timedelta | None]:
    zone = zoneinfo.ZoneInfo(name)
    return (
        dt.datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset(),
        dt.datetime(2026, 7, 15, 12, tzinfo=zone).utcoffset(),
    )


def _form_time_zone(zip_zone: str, state: str) -> str:
    """The form's time zone that keeps the same clock as the ZIP code's zone, all year."""
    default = STATE_TIME_ZONE[state]
    if zip_zone in FORM_TIME_ZONES:
        return zip_zone
    try:
        wanted = _offsets(zip_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default
    if _offsets(default) == wanted:
        return default
    for candidate in sorted(FORM_TIME_ZONES):
        if _offsets(candidate) == wanted:
            return candidate
    return default


@cache
def _office_zips() -> dict[str, list[tuple[str, str, str]]]:
    """Per jurisdiction: (ZIP, city, time zone) of active street-address ZIP codes."""
    by_state: dict[str, list[tuple[str, str, str]]] = {}
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if row["zip_code_type"] != "STANDARD" or not row["active"]:
            continue
        state = f"US-{row['state']}"
        if state in POPULATION:
            by_state.setdefault(state, []).append(
                (row["zip_code"], row["city"], row["timezone"] or "")
            )
    return {state: sorted(rows) for state, rows in by_state.items()}


@cache
def slugify(text: str) -> str:
    return _slugify(text)


def _credentials(rng: random.Random, profession: str, state: str) -> str:
    if profession == "counselor":
        title = _COUNSELOR_TITLE.get(state, "LPC")
        extra = rng.choice(["", "", "", ", NCC", ", CCTP"])
    elif profession == "social_worker":
        title = _SOCIAL_WORK_TITLE.get(state, "LCSW")
        extra = rng.choice(["", "", "", ", CCTP", ", PhD"])
    elif profession == "psychologist":
        title = rng.choice(["PhD", "PhD", "PsyD"])
        extra = rng.choice(["", "", "", "", ", ABPP"])
    elif profession == "mft":
        title, extra = "LMFT", rng.choice(["", "", "", ", PhD"])
    elif profession == "psychiatrist":
        title, extra = rng.choice(["MD", "MD", "DO"]), ""
    else:
        title, extra = rng.choice(["PMHNP-BC", "APRN, PMHNP-BC"]), ""
    return title + extra


class _Generator:
    """Draws therapist plans from one seeded random stream (and a seeded Faker)."""

    def __init__(self, *, seed: int, today: dt.date, names: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.compacts = load_compacts()
        states = [s for s in POPULATION if s in US_JURISDICTIONS]
        total = sum(POPULATION[s] for s in states)
        floor = 1 / len(states)
        self.draw_state = _Draw({s: 0.85 * POPULATION[s] / total + 0.15 * floor for s in states})
        self.zips = _office_zips()
        # Name pools drawn once from seeded Fakers: varied, and fast to sample 100,000 times.
        english, spanish = Faker("en_US"), Faker("es_MX")
        english.seed_instance(seed)
        spanish.seed_instance(seed + 1)
        size = max(50, min(names, 1500))
        self.names = {
            ("en", "she/her"): [english.first_name_female() for _ in range(size)],
            ("en", "he/him"): [english.first_name_male() for _ in range(size)],
            ("en", "they/them"): [english.first_name_nonbinary() for _ in range(size // 4)],
            ("es", "she/her"): [spanish.first_name_female() for _ in range(size // 2)],
            ("es", "he/him"): [spanish.first_name_male() for _ in range(size // 2)],
            ("es", "they/them"): [spanish.first_name_female() for _ in range(size // 8)],
        }
        self.surnames = {
            "en": [english.last_name() for _ in range(size)],
            "es": [spanish.last_name() for _ in range(size // 2)],
        }
        self.license_serial = 0
        self.email_serial = 0

    def state(self, exclude: Iterable[str] = ()) -> str:
        return self.draw_state.some(self.rng, 1, exclude)[0]

    def license_expiry(self, category: str) -> dt.date:
        if category == "expired":
            return self.today - dt.timedelta(days=self.rng.randint(3, 240))
        return self.today + dt.timedelta(days=self.rng.randint(45, 760))

    def plan(self, category: str) -> _Plan:
        rng, today = self.rng, self.today
        profession = _PROFESSIONS.one(rng)
        home = self.state()

        # Languages: English nearly always; Spanish by region; now and then another one.
        languages = ["en"]
        if home == "US-PR" or rng.random() < SPANISH_SHARE.get(home, 0.08):
            languages.append("es")
            if home == "US-PR" and rng.random() < 0.3:
                languages.remove("en")
        if rng.random() < 0.06:
            languages.append(_SECOND_LANGUAGES.one(rng))

        # Name and pronouns.
        pronouns = _PRONOUNS.one(rng)
        origin = "es" if "es" in languages and rng.random() < 0.65 else "en"
        first = rng.choice(self.names[(origin, pronouns)])
        last = rng.choice(self.surnames[origin])
        if rng.random() < 0.15:
            pronouns = ""  # not everyone lists them
        self.email_serial += 1
        email = f"{slugify(first)}.{slugify(last)}.{self.email_serial}@{THERAPIST_DOMAIN}"

        # Formats: telehealth is the norm; about half also meet in person.
        formats = []
        if rng.random() < 0.93:
            formats.append("video")
        if rng.random() < 0.45:
            formats.append("phone")
        in_person = rng.random() < 0.45 or not formats
        if in_person:
            formats.append("in_person")
            if rng.random() < 0.12:
                formats.append("walk_and_talk")
            if rng.random() < 0.06:
                formats.append("intensive")
        office_zip = city = ""
        time_zone = STATE_TIME_ZONE[home]
        if in_person and self.zips.get(home):
            office_zip, city, zip_zone = rng.choice(self.zips[home])
            time_zone = _form_time_zone(zip_zone, home)
        elif in_person:  # no street ZIPs known for this territory: telehealth only
            formats = [f for f in formats if f not in {"in_person", "walk_and_talk", "intensive"}]
            formats = formats or ["video"]

        # Licenses: most hold one state, some two or three.
        draw = rng.random()
        count = 1 if draw < 0.70 else 2 if draw < 0.92 else 3
        states = [home]
        while len(states) < count:
            states.append(self.state(exclude=states))
        status = {
            "pending": _PENDING,
            "rejected": _REJECTED,
        }.get(category, _VERIFIED)
        licenses = []
        for position, state in enumerate(states):
            this_status = status
            if category == LISTED and position > 0 and rng.random() < 0.08:
                this_status = _PENDING  # just added, not yet checked
            licenses.append(_LicensePlan(state, self.license_expiry(category), this_status))
        if category == "draft" and rng.random() < 0.5:
            licenses = []

        # Compact authorisations, only where the compact is operational.
        authorizations: list[tuple[str, str, dt.date]] = []
        if (
            profession == "psychologist"
            and home in self.compacts.psypact
            and category != "draft"
            and rng.random() < 0.45
        ):
            authorizations.append((PSYPACT_APIT, home, today + dt.timedelta(rng.randint(60, 700))))
        if profession == "counselor" and home in self.compacts.counseling and rng.random() < 0.7:
            others = sorted(self.compacts.counseling - {home})
            for state in rng.sample(others, rng.randint(1, min(3, len(others)))):
                authorizations.append(
                    (COUNSELING_PRIVILEGE, state, today + dt.timedelta(rng.randint(60, 700)))
                )

        modalities = _MODALITIES.some(rng, rng.randint(2, 4))
        focus = rng.sample(CLINICIAN_FOCUS, rng.randint(1, 3))
        focus += _OTHER_FOCUS.some(rng, rng.randint(1, 3))
        served = _SERVED.some(rng, rng.randint(2, 5))
        years = min(int(rng.expovariate(1 / 7)), 30)

        # Fees: mostly $110-$220; a few volunteers; prescribers charge more; many slide.
        if rng.random() < 0.04:
            fee = 0
        elif profession in {"psychiatrist", "nurse_practitioner"}:
            fee = rng.randrange(170, 255, 5)
        else:
            fee = min(250, max(60, int(rng.gauss(155, 35)) // 5 * 5))
        sliding = fee > 0 and rng.random() < 0.38

        if category == "stale":
            last_confirmed: dt.date | None = today - dt.timedelta(days=rng.randint(31, 150))
        elif category == "draft":
            last_confirmed = None
        else:
            last_confirmed = today - dt.timedelta(days=rng.randint(0, 21))
        accepting = category != "not_accepting"
        capacity = rng.randint(1, 6) if accepting else 0

        bio = self.bio(
            profession=profession,
            years=years,
            served=served,
            focus=focus,
            modalities=modalities,
            city=city,
            state=home,
            sliding=sliding,
            languages=languages,
        )
        verified_at = dt.datetime.combine(
            (last_confirmed or today) - dt.timedelta(days=rng.randint(0, 300)),
            dt.time(rng.randint(14, 22), rng.randint(0, 59)),
            tzinfo=dt.UTC,
        )
        return _Plan(
            category=category,
            email=email,
            display_name=f"{first} {last}",
            pronouns=pronouns,
            credentials=_credentials(rng, profession, home),
            profession=profession,
            bio=bio,
            modalities=modalities,
            focus=focus,
            formats=formats,
            languages=languages,
            served=served,
            years=years,
            fee=fee,
            sliding=sliding,
            accepting=accepting,
            capacity=capacity,
            office_zip=office_zip,
            office_jurisdiction=home if office_zip else "",
            time_zone=time_zone,
            published=category != "draft",
            wizard_step=rng.randint(2, 4) if category == "draft" else 5,
            last_confirmed=last_confirmed,
            licenses=licenses,
            authorizations=authorizations,
            verified_at=verified_at,
        )

    def bio(
        self,
        *,
        profession: str,
        years: int,
        served: list[str],
        focus: list[str],
        modalities: list[str],
        city: str,
        state: str,
        sliding: bool,
        languages: list[str],
    ) -> str:
        rng = self.rng
        clinician_focus = [f for f in focus if f in CLINICIAN_FOCUS] or focus
        other_focus = [f for f in focus if f != clinician_focus[0]] or clinician_focus
        values: dict[str, Any] = {
            "who": _WHO[profession],
            "years": years,
            "served": _join([SERVED_PLURAL[s] for s in served[:3]]),
            "focus": FOCUS_AREAS[clinician_focus[0]].lower(),
            "focus2": FOCUS_AREAS[other_focus[0]].lower(),
            "modality": MODALITIES[modalities[0]],
            "modality2": MODALITIES[modalities[1]],
            "city": city.title(),
            "state": US_JURISDICTIONS[state],
        }
        # Just talk reads oddly as a method name inside a sentence.
        for key in ("modality", "modality2"):
            if values[key] == "Just talk":
                values[key] = "plain, unhurried conversation"
        openings = _OPENINGS + (_OPENINGS_WITH_YEARS if years >= 3 else ())
        sentences = [rng.choice(openings), rng.choice(_APPROACHES)]
        closings = list(_CLOSINGS)
        if city:
            closings += [_CLOSING_IN_PERSON] * 3
        if sliding:
            closings += [_CLOSING_SLIDING] * 2
        if "es" in languages:
            closings += [_CLOSING_SPANISH] * 3
        if rng.random() < 0.7:
            sentences.append(rng.choice(closings))
        return " ".join(sentences).format(**values)


def listed_until(
    *,
    published: bool,
    accepting: bool,
    capacity: int,
    last_confirmed: dt.date | None,
    verified_expiries: Iterable[dt.date],
) -> dt.date | None:
    """The same rule as ``services.refresh_listing``, for profiles built in bulk."""
    latest = max(verified_expiries, default=None)
    if not (published and accepting and capacity > 0 and last_confirmed and latest):
        return None
    return min(last_confirmed + dt.timedelta(days=settings.PROFILE_CONFIRM_DAYS), latest)


# --- Writing ---------------------------------------------------------------------------------


def _demo_users_q() -> Q:
    return Q(email__endswith=f"@{DEMO_DOMAIN}") | Q(email__endswith=f"@{THERAPIST_DOMAIN}")


def clear_demo() -> int:
    """Delete everything a previous run created; returns the number of users removed."""
    users = User.objects.filter(_demo_users_q())
    profiles = TherapistProfile.objects.filter(user__in=users)
    VerificationEvent.objects.filter(
        Q(decided_by__in=users)
        | Q(license__profile__in=profiles)
        | Q(authorization__profile__in=profiles)
    ).delete()
    for relation in ("modalities", "focus_areas", "formats", "languages", "professions_served"):
        through = getattr(TherapistProfile, relation).through
        through.objects.filter(therapistprofile__in=profiles).delete()
    Authorization.objects.filter(profile__in=profiles).delete()
    License.objects.filter(profile__in=profiles).delete()
    profiles.delete()
    EmailAddress.objects.filter(user__in=users).delete()
    removed, _ = users.delete()
    return removed


def _create_demo_program(*, coordinator: User, therapist: User, today: dt.date) -> None:
    """A demo hospital and its program, run by the demo coordinator, with Dana offering two
    places. The organisation and program are kept between runs (found by name)."""
    # Imported here: programs builds on the directory.
    from holdspace.programs import services as programs
    from holdspace.programs.models import Program, ProgramTherapist

    organisation = programs.create_organisation(
        name="Riverside General Hospital (demo)", kind="health_system"
    )
    programs.add_coordinator(organisation=organisation, user=coordinator)
    program = Program.objects.filter(organisation=organisation, name="After the incident").first()
    if program is None:
        program = programs.create_program(
            organisation=organisation,
            name="After the incident",
            description="Confidential support for Riverside staff after the November incident.",
            starts=today - dt.timedelta(days=14),
            ends=None,
            jurisdictions=["US-CO", "US-NM", "US-WY"],
            session_allowance=6,
            sponsor_paid=True,
        )
    ProgramTherapist.objects.update_or_create(
        program=program,
        profile=therapist.therapist_profile,
        defaults={"capacity": 2, "joined_at": timezone.now(), "left_at": None},
    )


def _split(therapists: int) -> list[str]:
    """The category of each generated profile: ``therapists`` listed ones, then the rest."""
    unlisted = max(len(UNLISTED_MIX), round(therapists * UNLISTED_SHARE))
    categories = [LISTED] * therapists
    for name, share in UNLISTED_MIX:
        categories += [name] * max(1, round(unlisted * share))
    return categories


# The demo's authenticator-app secret (base32). Published on purpose: it is demo data, and
# `manage.py demo_code` prints the current code so a demo needs no phone.
DEMO_TOTP_SECRET = "HOLDSPACEDEMOAAAAAAAAAAAAAAAAAAA"  # noqa: S105


def _give_demo_mfa(users: Iterable[User]) -> None:
    """Therapists, coordinators and staff must use two-factor sign-in; the demo ones have it."""
    from allauth.mfa.totp.internal.auth import TOTP

    for user in users:
        if user.role != Role.SEEKER:
            TOTP.activate(user, DEMO_TOTP_SECRET)


def _create_logins(password_hash: str) -> dict[str, User]:
    users = {
        SEEKER_EMAIL: User(
            email=SEEKER_EMAIL,
            role=Role.SEEKER,
            pseudonym="Quiet Harbor 101",
            profession="nurse",
        ),
        THERAPIST_EMAIL: User(email=THERAPIST_EMAIL, role=Role.THERAPIST),
        COORDINATOR_EMAIL: User(
            email=COORDINATOR_EMAIL,
            role=Role.COORDINATOR,
            legal_name="Morgan Ellis",
        ),
        STAFF_EMAIL: User(
            email=STAFF_EMAIL,
            role=Role.STAFF,
            legal_name="Sam Okafor",
            is_staff=True,
            is_superuser=True,
        ),
    }
    for user in users.values():
        user.password = password_hash
        user.save()
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users.values()
    )
    _give_demo_mfa(users.values())
    return users


def _create_demo_client(*, therapist: User) -> None:
    """A client of Dana's (who cannot sign in), so her chart shows measurement plans: a PHQ-9
    before each session and a monthly ProQOL, the first already done through its link."""
    # Imported here: outreach and practice build on the directory.
    from holdspace.checkins.forms import submission_from
    from holdspace.matching.answers import Answers, Needs, Where
    from holdspace.outreach import services as outreach
    from holdspace.practice import services as practice

    client_user = User.objects.create(
        email=f"client@{DEMO_DOMAIN}",
        role=Role.SEEKER,
        pseudonym="Steady Lantern 102",
        profession="physician",
        password=make_password(None),
    )
    request = outreach.send_request(
        seeker=client_user,
        profile=therapist.therapist_profile,
        answers=Answers(
            where=Where(location="US-CO", formats=["video"]),
            needs=Needs(concerns=["burnout"], language="en"),
            world_done=True,
        ),
        situation="Night shifts in the ICU, and a hard few months.",
    )
    client = outreach.accept_request(therapist=therapist, request=request)
    practice.start_plan(
        therapist=therapist, client=client, instrument="phq9", cadence="before_session"
    )
    proqol = practice.start_plan(
        therapist=therapist, client=client, instrument="proqol5", cadence="monthly"
    )
    practice.complete_invitation(
        seeker=client_user,
        invitation=proqol.invitations.get(),
        submission=submission_from("proqol5", {str(i): 3 for i in range(1, 31)}, "physician"),
    )


def _create_dana(
    *, user: User, staff: User, terms: dict[str, dict[str, Term]], today: dt.date
) -> TherapistProfile:
    """The demo therapist, built the way the wizard and the admin would build her."""
    profile = services.start_profile(
        user=user, display_name="Dana Reyes", profession="social_worker"
    )
    profile.pronouns = "she/her"
    profile.credentials = "LCSW"
    profile.bio = DANA_BIO
    profile.clinician_experience_years = 9
    profile.fee = 140
    profile.sliding_scale = True
    profile.accepting = True
    profile.capacity = 3
    profile.office_zip = "80302"
    profile.office_jurisdiction = "US-CO"
    profile.time_zone = "America/Denver"
    profile.wizard_step = 5
    profile.save()  # the services below refresh the listing once her terms are set
    for relation, kind, codes in (
        ("modalities", TermKind.MODALITY, ["ifs", "emdr", "somatic"]),
        (
            "focus_areas",
            TermKind.FOCUS,
            ["vicarious_trauma", "burnout", "secondary_traumatic_stress", "moral_injury"],
        ),
        ("formats", TermKind.FORMAT, ["video", "in_person", "walk_and_talk"]),
        ("languages", TermKind.LANGUAGE, ["en", "es"]),
        (
            "professions_served",
            TermKind.PROFESSION,
            ["nurse", "physician", "emt_paramedic", "social_worker"],
        ),
    ):
        getattr(profile, relation).set([terms[kind][code] for code in codes])
    for jurisdiction, number, days in (("US-CO", "CSW.09924417", 540), ("US-WY", "LCSW-3318", 300)):
        license = services.add_license(
            profile=profile,
            profession="social_worker",
            jurisdiction=jurisdiction,
            number=number,
            expires=today + dt.timedelta(days=days),
        )
        services.decide_license(license=license, decision=VerificationStatus.VERIFIED, staff=staff)
    # A license she added last week, waiting in the staff queue.
    services.add_license(
        profile=profile,
        profession="social_worker",
        jurisdiction="US-NM",
        number="LISW-0081264",
        expires=today + dt.timedelta(days=700),
    )
    services.publish_profile(profile=profile, today=today)
    # Weekday mornings and afternoons in Denver, so the demo seeker can book her.
    scheduling.set_weekly_availability(
        profile=profile,
        windows=[
            WeeklyWindow(day, start, end)
            for day in range(5)
            for start, end in ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17)))
        ],
    )
    scheduling.update_settings(
        profile=profile, video_url="https://video.example.org/dana-reyes", notice_hours=12
    )
    profile.refresh_from_db()
    return profile


class _Writer:
    """Inserts rows given as ``{attname: value}``, with primary keys chosen here so that
    related rows can point at them without reading anything back.

    By default rows go through ``bulk_create``. ``fast`` (benchmark scale) sends the same rows
    with ``executemany`` on the cursor, skipping the ORM's per-value SQL compilation, which is
    most of the cost at 100,000 profiles. Either way sequences are reset afterwards
    (PostgreSQL), and the caller holds a transaction: on SQLite it is IMMEDIATE, so nobody
    else can take the ids in between.
    """

    def __init__(self, *, fast: bool, batch_size: int) -> None:
        self.fast = fast
        self.batch_size = batch_size
        self.now = timezone.now()
        self.models: list[type[Model]] = []

    def ids(self, model: type[Model], count: int) -> range:
        start = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        return range(start, start + count)

    def insert(self, model: type[Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.models.append(model)
        if not self.fast:
            model._default_manager.bulk_create(
                [model(**row) for row in rows], batch_size=self.batch_size
            )
            return
        ops = connection.ops
        keys = rows[0].keys()
        names: list[str] = []
        adapters: list[Callable[[Any], Any]] = []
        values: list[Any] = []  # for columns the rows leave out: the field's default
        for model_field in model._meta.concrete_fields:
            if model_field.attname not in keys and model_field.primary_key:
                continue  # let the database number rows nobody points at
            names.append(ops.quote_name(str(model_field.column)))
            if isinstance(model_field, DateTimeField):
                adapters.append(cache(ops.adapt_datetimefield_value))
            elif isinstance(model_field, DateField):
                adapters.append(cache(ops.adapt_datefield_value))
            else:
                adapters.append(_same)
            if model_field.attname in keys:
                values.append(_FROM_ROW)
            else:
                auto = getattr(model_field, "auto_now", False) or getattr(
                    model_field, "auto_now_add", False
                )
                default = self.now if auto else model_field.get_default()
                values.append(model_field.get_db_prep_save(default, connection))
        attnames = [
            f.attname for f in model._meta.concrete_fields if f.attname in keys or not f.primary_key
        ]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted identifiers
            ops.quote_name(model._meta.db_table), ", ".join(names), ", ".join(["%s"] * len(names))
        )
        plan = list(zip(attnames, adapters, values, strict=True))
        with connection.cursor() as cursor:
            for offset in range(0, len(rows), self.batch_size * 10):
                cursor.executemany(
                    sql,
                    [
                        [
                            adapt(row[name]) if value is _FROM_ROW else value
                            for name, adapt, value in plan
                        ]
                        for row in rows[offset : offset + self.batch_size * 10]
                    ],
                )

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(dict.fromkeys(self.models)))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


_FROM_ROW = object()


def _same(value: Any) -> Any:
    return value


def _bulk_therapists(
    plans: list[_Plan],
    *,
    staff: User,
    terms: dict[str, dict[str, Term]],
    password_hash: str,
    writer: _Writer,
    today: dt.date,
) -> tuple[int, int, int]:
    user_ids = writer.ids(User, len(plans))
    writer.insert(
        User,
        [
            {
                "id": user_id,
                "email": plan.email,
                "role": Role.THERAPIST,
                "password": password_hash,
                "date_joined": plan.verified_at,
            }
            for plan, user_id in zip(plans, user_ids, strict=True)
        ],
    )
    profile_ids = writer.ids(TherapistProfile, len(plans))
    profiles = []
    compacts = load_compacts()
    for plan, user_id, profile_id in zip(plans, user_ids, profile_ids, strict=True):
        verified = [lic.expires for lic in plan.licenses if lic.status == "verified"]
        # The same columns services.refresh_listing keeps, computed by the same functions.
        reach = search.telehealth_reach(
            profession=plan.profession,
            licenses=[
                (lic.jurisdiction, lic.expires) for lic in plan.licenses if lic.status == "verified"
            ],
            authorizations=plan.authorizations,
            today=today,
            compacts=compacts,
        )
        profiles.append(
            {
                "id": profile_id,
                "user_id": user_id,
                "display_name": plan.display_name,
                "pronouns": plan.pronouns,
                "credentials": plan.credentials,
                "profession": plan.profession,
                "bio": plan.bio,
                "clinician_experience_years": plan.years,
                "fee": plan.fee,
                "sliding_scale": plan.sliding,
                "accepting": plan.accepting,
                "capacity": plan.capacity,
                "office_zip": plan.office_zip,
                "office_jurisdiction": plan.office_jurisdiction,
                "time_zone": plan.time_zone,
                "wizard_step": plan.wizard_step,
                "published": plan.published,
                "last_confirmed": plan.last_confirmed,
                "listed_until": listed_until(
                    published=plan.published,
                    accepting=plan.accepting,
                    capacity=plan.capacity,
                    last_confirmed=plan.last_confirmed,
                    verified_expiries=verified,
                ),
                "term_bits": search.term_bits(
                    modalities=plan.modalities,
                    focus=plan.focus,
                    formats=plan.formats,
                    professions_served=plan.served,
                ),
                "language_bits": search.language_bits(plan.languages),
                "reach_bits": reach.bits,
                "reach_until": reach.until,
            }
        )
    writer.insert(TherapistProfile, profiles)
    if not writer.fast:  # bulk inserts skip the signal that gives new profiles session types
        for profile in TherapistProfile.objects.filter(pk__in=list(profile_ids)):
            scheduling.ensure_scheduling_defaults(profile=profile)

    licenses: list[dict[str, Any]] = []
    authorizations: list[dict[str, Any]] = []
    for plan, profile_id in zip(plans, profile_ids, strict=True):
        decided = plan.verified_at
        for lic in plan.licenses:
            licenses.append(
                {
                    "profile_id": profile_id,
                    "profession": plan.profession,
                    "jurisdiction": lic.jurisdiction,
                    "number": "",  # numbered below
                    "expires": lic.expires,
                    "status": lic.status,
                    "verified_by_id": staff.pk if lic.status != "pending" else None,
                    "verified_at": decided if lic.status != "pending" else None,
                }
            )
        for kind, jurisdiction, expires in plan.authorizations:
            authorizations.append(
                {
                    "profile_id": profile_id,
                    "kind": kind,
                    "jurisdiction": jurisdiction,
                    "expires": expires,
                    "status": _VERIFIED,
                    "verified_by_id": staff.pk,
                    "verified_at": decided,
                }
            )
    for serial, (row, license_id) in enumerate(
        zip(licenses, writer.ids(License, len(licenses)), strict=True), start=10_001
    ):
        row["id"] = license_id
        row["number"] = f"{_LICENSE_PREFIX[row['profession']]}.{serial:07d}"
    for row, authorization_id in zip(
        authorizations, writer.ids(Authorization, len(authorizations)), strict=True
    ):
        row["id"] = authorization_id
    writer.insert(License, licenses)
    writer.insert(Authorization, authorizations)

    # Every decision on a generated license or authorisation has its verification record.
    license_events = [
        {
            "license_id": row["id"],
            "description": f"{PROFESSIONS[row['profession']]} license {row['number']} "
            f"({row['jurisdiction']})",
            "decision": row["status"],
            "decided_by_id": staff.pk,
            "decided_at": row["verified_at"],
        }
        for row in licenses
        if row["status"] != "pending"
    ]
    authorization_events = [
        {
            "authorization_id": row["id"],
            "description": f"{AUTHORIZATION_KINDS[row['kind']]} ({row['jurisdiction']})",
            "decision": row["status"],
            "decided_by_id": staff.pk,
            "decided_at": row["verified_at"],
        }
        for row in authorizations
    ]
    writer.insert(VerificationEvent, license_events)
    writer.insert(VerificationEvent, authorization_events)
    if not writer.fast:
        # bulk_create stamps auto_now_add fields with the current time; keep the decision time.
        for model, column in ((License, "license"), (Authorization, "authorization")):
            when = model._default_manager.filter(pk=OuterRef(f"{column}_id")).values("verified_at")[
                :1
            ]
            VerificationEvent.objects.filter(
                **{f"{column}__profile__user__email__endswith": f"@{THERAPIST_DOMAIN}"}
            ).update(decided_at=Subquery(when))

    code_ids = {
        kind: {code: term.pk for code, term in by_code.items()} for kind, by_code in terms.items()
    }
    for relation, kind, attribute in (
        ("modalities", TermKind.MODALITY, "modalities"),
        ("focus_areas", TermKind.FOCUS, "focus"),
        ("formats", TermKind.FORMAT, "formats"),
        ("languages", TermKind.LANGUAGE, "languages"),
        ("professions_served", TermKind.PROFESSION, "served"),
    ):
        through: type[Model] = getattr(TherapistProfile, relation).through
        ids = code_ids[kind]
        writer.insert(
            through,
            [
                {"therapistprofile_id": profile_id, "term_id": ids[code]}
                for plan, profile_id in zip(plans, profile_ids, strict=True)
                for code in getattr(plan, attribute)
            ],
        )
    return len(licenses), len(authorizations), len(license_events) + len(authorization_events)


def seed_demo(
    *,
    therapists: int = 300,
    seed: int = 7,
    fast: bool = False,
    today: dt.date | None = None,
    batch_size: int = 2000,
) -> SeedReport:
    """Replace the demo data: the four logins, Dana Reyes and ``therapists`` listed therapists
    (plus about 15 % unlisted ones). Deterministic for a given ``seed`` and day."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    categories = _split(therapists)
    generator = _Generator(seed=seed, today=today, names=len(categories))
    plans = [generator.plan(category) for category in categories]
    password_hash = make_password(DEMO_PASSWORD)
    unusable_hash = make_password(None)  # generated therapists cannot sign in

    with transaction.atomic():
        clear_demo()
        services.sync_terms()
        terms: dict[str, dict[str, Term]] = {}
        for term in Term.objects.all():
            terms.setdefault(term.kind, {})[term.code] = term
        missing = [code for code in PROFESSIONS if code not in terms.get(TermKind.PROFESSION, {})]
        assert not missing, f"taxonomy terms missing: {missing}"

        logins = _create_logins(password_hash)
        staff = logins[STAFF_EMAIL]
        _create_dana(user=logins[THERAPIST_EMAIL], staff=staff, terms=terms, today=today)
        _create_demo_program(
            coordinator=logins[COORDINATOR_EMAIL], therapist=logins[THERAPIST_EMAIL], today=today
        )
        _create_demo_client(therapist=logins[THERAPIST_EMAIL])
        writer = _Writer(fast=fast, batch_size=batch_size)
        licenses, authorizations, event_count = _bulk_therapists(
            plans,
            staff=staff,
            terms=terms,
            password_hash=unusable_hash,
            writer=writer,
            today=today,
        )
        writer.finish()

    unlisted: dict[str, int] = {}
    for category in categories:
        if category != LISTED:
            unlisted[category] = unlisted.get(category, 0) + 1
    return SeedReport(
        listed=therapists + 1,  # the generated ones and Dana
        unlisted=unlisted,
        profiles=len(plans) + 1,
        licenses=licenses + 3,
        authorizations=authorizations,
        verification_events=event_count + 2,
        seconds=time.perf_counter() - started,
    )
