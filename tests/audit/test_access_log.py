"""The access log is append-only in effect: any change or deletion breaks its hash chain."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from holdspace.accounts.models import Role
from holdspace.audit.models import AccessLog
from holdspace.audit.services import chain_problems, record_access
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def three_rows() -> list[AccessLog]:
    therapist, client = make_user(Role.THERAPIST), make_user(Role.SEEKER)
    return [
        record_access(actor=therapist, action="view_chart", subject=client, target=f"chart:{n}")
        for n in range(3)
    ]


def test_an_untouched_log_verifies() -> None:
    three_rows()
    assert chain_problems() == []
    call_command("verify_access_log")


def test_a_changed_row_is_detected() -> None:
    rows = three_rows()
    AccessLog.objects.filter(pk=rows[1].pk).update(action="nothing_to_see")
    assert chain_problems() == [f"row {rows[1].pk}: its contents were changed"]
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_access_log")


def test_a_deleted_row_is_detected() -> None:
    rows = three_rows()
    AccessLog.objects.filter(pk=rows[1].pk).delete()
    assert chain_problems() == [f"row {rows[2].pk}: the row before it was changed or deleted"]
