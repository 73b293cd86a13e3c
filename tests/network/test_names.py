"""Near-duplicate entity names normalise to one entity per kind."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from holdspace.network import services
from holdspace.network.models import Entity
from holdspace.network.names import normalise_entity_name


@pytest.mark.parametrize(
    "name",
    [
        "St. Mary's Hospital — Emergency Department",
        "st marys emergency dept",
        "Saint Mary’s Hospital, Emergency Department",
        "  ST. MARY'S   HOSPITAL - EMERGENCY DEPARTMENT ",
        "The St Mary's Emergency Department",
    ],
)
def test_spellings_of_one_place_normalise_alike(name: str) -> None:
    assert normalise_entity_name(name) == "st marys emergency department"


def test_ampersand_suffixes_and_accents() -> None:
    assert normalise_entity_name("Smith & Jones Counseling, Inc.") == "smith and jones counseling"
    assert normalise_entity_name("Clínica Señora") == "clinica senora"


@pytest.mark.django_db
def test_find_or_create_returns_the_existing_entity() -> None:
    first = services.find_or_create_entity(
        kind="employer_unit", name="St. Mary's Hospital — ED", created_by=None
    )
    again = services.find_or_create_entity(
        kind="employer_unit", name="saint marys ed", created_by=None
    )
    other_kind = services.find_or_create_entity(
        kind="health_system", name="St Mary's ED", created_by=None
    )
    assert again.pk == first.pk
    assert other_kind.pk != first.pk


@pytest.mark.django_db
def test_the_database_keeps_one_entity_per_normalised_name_and_kind() -> None:
    Entity.objects.create(kind="practice", name="Calm Waters LLC")
    with pytest.raises(IntegrityError):
        Entity.objects.create(kind="practice", name="calm waters")
