"""Building blocks for the form fuzzer (``test_form_fuzzing.py``): finding every form class in
the project, Hypothesis strategies for a form field's values (plausible and junk), posted data
as Django sees it, and cheap row counts of every table.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import holdspace

# --- discovery ------------------------------------------------------------------------------

SKIPPED_MODULE_PARTS = (".migrations", ".__main__")


def import_every_module() -> None:
    """Import every module of the ``holdspace`` package, so every form class is defined."""
    for module in pkgutil.walk_packages(holdspace.__path__, "holdspace."):
        if not any(part in module.name for part in SKIPPED_MODULE_PARTS):
            importlib.import_module(module.name)


def project_forms() -> set[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the ``holdspace`` package."""
    import_every_module()
    found: set[type[forms.BaseForm]] = set()
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return {form for form in found if form.__module__.startswith("holdspace.")}


def form_name(form: type[forms.BaseForm]) -> str:
    return f"{form.__module__}.{form.__qualname__}"


# --- row counts -----------------------------------------------------------------------------

IGNORED_TABLES = {"django_session"}  # sessions change on every request


def counted_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table not in IGNORED_TABLES
    ]


class RowCounter:
    """Counts the rows of every table in one query (a SELECT of one COUNT subquery per table),
    so it is cheap enough to run before and after every example."""

    def __init__(self) -> None:
        self.labels = [model._meta.label for model in counted_models()]
        quote = connection.ops.quote_name
        parts = [
            f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608  (model tables)
            for model in counted_models()
        ]
        self.sql = "SELECT " + ", ".join(parts)

    def snapshot(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            row = cursor.fetchone()
        return dict(zip(self.labels, row, strict=True))

    @staticmethod
    def delta(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
        return {
            label: after[label] - before[label] for label in before if after[label] != before[label]
        }


# --- posted data ------------------------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Upload:
    """A file to post; a fresh file object is made for every use."""

    name: str
    content: bytes
    content_type: str

    def file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content, content_type=self.content_type)

    def __repr__(self) -> str:
        return f"Upload({self.name!r}, {len(self.content)} bytes, {self.content_type!r})"


Value = str | list[str] | Upload
Data = dict[str, Value]


def as_request_data(data: Data) -> tuple[QueryDict, MultiValueDict[str, Any]]:
    """The data and files as the view's ``request.POST`` / ``request.FILES`` would hold them."""
    query = QueryDict(mutable=True)
    files: MultiValueDict[str, Any] = MultiValueDict()
    for name, value in data.items():
        if isinstance(value, Upload):
            files.setlist(name, [value.file()])
        elif isinstance(value, list):
            query.setlist(name, value)
        else:
            query.setlist(name, [value])
    return query, files


def as_client_data(data: Data) -> dict[str, Any]:
    return {
        name: value.file() if isinstance(value, Upload) else value for name, value in data.items()
    }


# --- strategies -------------------------------------------------------------------------------

SPECIAL_TEXT = [
    "",
    " ",
    "\t\n ",
    "a\x00b",
    "\x00",
    "\u202eevil.exe",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "😀👩🏽‍⚕️🏳️‍🌈",
    "\u200b",  # zero-width space
    "\ufeffbom",
    "e\u0301\u0301\u0301",  # stacked combining marks
    "𝕳𝖔𝖑𝖉",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE accounts_user; --',
    "%s %(name)s {0} {{ x }}",
    "../../etc/passwd",
    "\r\n\r\n",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "-1",
    "0",
    "1e309",
    "NaN",
    "0x1F",
    "٣٤",  # Arabic-Indic digits
    "１２",  # full-width digits
    "9" * 4400,  # more digits than Python converts by default
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "12/31/2030",
    "25:61",
    "24:00",
]
_HUGE_PIECES = ["a", "é", "😀", "ש", "\u202e", "x y ", "\x00", "<b>", "9"]


def huge_text() -> SearchStrategy[str]:
    """Strings of 100 to 5,000 characters, built cheaply by repetition."""
    return st.builds(
        lambda piece, length: (piece * length)[:length],
        st.sampled_from(_HUGE_PIECES),
        st.integers(100, 5000),
    )


def junk_text() -> SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SPECIAL_TEXT),
        st.text(max_size=30),
        huge_text(),
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.dates().map(dt.date.isoformat),
    )


def _flat_choices(choices: Iterable[Any]) -> list[str]:
    values: list[str] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            values += _flat_choices(label)
        else:
            values.append(str(value))
    return values


def _text_of_length(low: int, high: int) -> SearchStrategy[str]:
    alphabet = st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])
    return st.one_of(
        st.text(alphabet, min_size=low, max_size=min(high, 60)),
        st.builds(lambda n: ("Plausible words " * (n // 16 + 1))[:n], st.integers(low, high)),
    )


def _integers(field: forms.IntegerField) -> SearchStrategy[str]:
    low = field.min_value if isinstance(field.min_value, int) else -1000
    high = field.max_value if isinstance(field.max_value, int) else low + 5000
    return st.one_of(
        st.integers(low, high).map(str),
        st.sampled_from([low, high, low - 1, high + 1]).map(str),
    )


def _dates() -> SearchStrategy[str]:
    today = timezone.localdate()
    near = st.integers(-800, 800).map(lambda days: (today + dt.timedelta(days=days)).isoformat())
    return st.one_of(near, near, st.dates().map(dt.date.isoformat))


def _times() -> SearchStrategy[str]:
    return st.one_of(
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(6, 21), st.sampled_from([0, 30])),
        st.sampled_from(["", "00:00", "23:59", "23:59:59.999999", "12:00:00"]),
    )


def _png(size: tuple[int, int] = (4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def _uploads() -> SearchStrategy[Upload | str]:
    return st.one_of(
        st.just(Upload("photo.png", _png(), "image/png")),
        st.binary(max_size=200).map(lambda content: Upload("photo.png", content, "image/png")),
        st.just(Upload("photo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")),
        st.just(Upload("../../evil.png", _png(), "image/png")),
        st.just(Upload("empty", b"", "application/octet-stream")),
        st.just("not a file"),
    )


def plausible(field: forms.Field) -> SearchStrategy[Any]:
    """Values a careful person could post for ``field`` (mostly valid, from its own choices)."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        assert field.queryset is not None
        codes = [str(code) for code in field.queryset.values_list(key, flat=True)]
        if isinstance(field, forms.ModelMultipleChoiceField):
            return st.lists(st.sampled_from(codes), max_size=4, unique=True)
        return st.sampled_from(codes)
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices  # normalised to pairs (and groups) by the field
        if isinstance(field, forms.MultipleChoiceField):
            return st.lists(st.sampled_from(_flat_choices(choices)), max_size=4, unique=True)
        return st.sampled_from(_flat_choices(choices))
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false", "1", "0"])
    if isinstance(field, forms.IntegerField):
        return _integers(field)
    if isinstance(field, forms.DateField):
        return _dates()
    if isinstance(field, forms.TimeField):
        return _times()
    if isinstance(field, forms.FileField):
        return _uploads()
    if isinstance(field, forms.URLField):
        return st.sampled_from(
            [
                "https://video.example.test/room-1",
                "http://meet.example.test",
                "",
                "https://x.y/" + "a" * 300,
            ]
        )
    if isinstance(field, forms.EmailField):
        return st.builds(lambda n: f"person{n}@example.test", st.integers(1, 10**6))
    if isinstance(field, forms.CharField):
        high = field.max_length or 300
        low = 1 if field.required else 0
        return st.one_of(_text_of_length(low, high), st.sampled_from([" " * low, "x" * high]))
    raise TypeError(f"No fuzzing strategy for {type(field).__name__}: add one to plausible()")


def junk(field: forms.Field | None = None) -> SearchStrategy[Any]:
    """Anything at all: junk text, lists where one value is expected, values just off the list."""
    single = junk_text()
    if field is not None and isinstance(field, forms.ChoiceField):
        near = plausible(field).map(lambda v: v[0] if isinstance(v, list) and v else str(v))
        single = st.one_of(single, near.map(str.upper), near.map(lambda v: f" {v} "))
    if field is not None and isinstance(field, forms.CharField) and field.max_length:
        single = st.one_of(single, st.just("y" * (field.max_length + 1)))
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


@st.composite
def posted(
    draw: st.DrawFn,
    fields: Mapping[str, tuple[SearchStrategy[Any], SearchStrategy[Any]]],
    linked: Mapping[str, str],
) -> Data:
    """A dict of posted values: each field plausible, junk or missing, at a drawn junk rate
    (zero-junk examples are the ones that can get through, and show what a success saves)."""
    junk_percent = draw(st.sampled_from([0, 0, 10, 30, 70]))
    data: Data = {}
    for name, (good, bad) in fields.items():
        roll = draw(st.integers(0, 99))
        if roll < junk_percent // 3:
            continue  # missing
        value = draw(bad if roll < junk_percent else good)
        if value is MISSING:
            continue
        if isinstance(value, list) and not value:
            continue  # an empty list posts nothing
        data[name] = value
    for name, source in linked.items():  # e.g. the repeated password
        if source in data and draw(st.booleans()):
            data[name] = data[source]
    if draw(st.integers(0, 9)) == 0:  # fields nobody asked for, mass-assignment style
        extra = draw(
            st.dictionaries(
                st.sampled_from(
                    ["is_staff", "is_superuser", "role", "user", "id", "status", "x" * 200]
                ),
                st.sampled_from(["on", "1", "staff", "-1"]),
                max_size=3,
            )
        )
        data = extra | data
    return data


FieldStrategies = dict[str, tuple[SearchStrategy[Any], SearchStrategy[Any]]]
Override = Callable[..., tuple[SearchStrategy[Any], SearchStrategy[Any]]]


def strategies_for(
    fields: Mapping[str, forms.Field],
    overrides: Mapping[str, tuple[SearchStrategy[Any], SearchStrategy[Any]]] | None = None,
) -> FieldStrategies:
    """(plausible, junk) strategies for each posted name."""
    overrides = overrides or {}
    return {
        name: overrides.get(name) or (plausible(field), junk(field))
        for name, field in fields.items()
    }
