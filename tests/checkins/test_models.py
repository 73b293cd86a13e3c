"""The database itself refuses check-ins that break the rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from holdspace.accounts.models import User
from holdspace.checkins.models import CheckIn

pytestmark = pytest.mark.django_db


def make(user: User, **fields: object) -> None:
    values: dict[str, object] = {
        "instrument": "gad7",
        "answers": {},
        "scales": {},
        "bands": {},
    }
    values.update(fields)
    with transaction.atomic():
        CheckIn.objects.create(user=user, **values)


def test_unknown_instrument_is_refused(seeker: User) -> None:
    with pytest.raises(IntegrityError):
        make(seeker, instrument="beck")


def test_self_harm_flag_only_on_an_instrument_with_a_safety_item(seeker: User) -> None:
    make(seeker, instrument="phq9", self_harm=True)
    with pytest.raises(IntegrityError):
        make(seeker, instrument="gad7", self_harm=True)


def test_profession_word_only_from_the_list_and_only_for_proqol(seeker: User) -> None:
    make(seeker, instrument="proqol5", profession_word="nurse")
    with pytest.raises(IntegrityError):
        make(seeker, instrument="proqol5", profession_word="emergency physician")
    with pytest.raises(IntegrityError):
        make(seeker, instrument="proqol5", profession_word="")
    with pytest.raises(IntegrityError):
        make(seeker, instrument="phq9", profession_word="nurse")


def test_check_ins_are_not_in_the_admin() -> None:
    from django.contrib import admin

    assert CheckIn not in admin.site._registry
