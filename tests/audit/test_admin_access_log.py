"""Every page a staff member opens in the Django admin writes an access-log row (who, what,
when, from where), naming the person the object belongs to; the access log itself is in the
admin, read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.audit.services import chain_problems, record_access
from tests.conftest import client_for
from tests.factories import make_client, make_session, make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return make_staff()


@pytest.fixture
def staff_client(staff: User) -> Client:
    return client_for(staff)


def rows() -> list[tuple[str, str, int | None, str]]:
    return [
        (row.action, row.target, row.subject_id, row.actor_label.split(":")[0])
        for row in AccessLog.objects.order_by("pk")
    ]


def test_a_changelist_is_logged(staff: User, staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert rows() == [("admin_view", "accounts.user:changelist", None, str(staff.pk))]
    assert AccessLog.objects.get().address == "127.0.0.1"


def test_opening_a_persons_record_names_them(staff_client: Client, seeker: User) -> None:
    response = staff_client.get(reverse("admin:accounts_user_change", args=[seeker.pk]))
    assert response.status_code == 200
    ((action, target, subject, _),) = rows()
    assert (action, target, subject) == ("admin_view", f"accounts.user:{seeker.pk}", seeker.pk)


def test_an_object_is_logged_against_its_owner(staff_client: Client, therapist: User) -> None:
    client = make_client(therapist)
    booking = make_session(client, start=dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC))
    AccessLog.objects.all().delete()  # setting up wrote none, but start from a clean slate
    staff_client.get(reverse("admin:scheduling_booking_change", args=[booking.pk]))
    license = therapist.therapist_profile.licenses.get()
    staff_client.get(reverse("admin:directory_license_change", args=[license.pk]))
    assert [(a, t, s) for a, t, s, _ in rows()] == [
        ("admin_view", f"scheduling.booking:{booking.pk}", client.seeker_id),
        ("admin_view", f"directory.license:{license.pk}", therapist.pk),
    ]


def test_a_change_is_logged_as_a_change(staff_client: Client, seeker: User) -> None:
    url = reverse("admin:accounts_user_change", args=[seeker.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(pseudonym="Renamed Harbor", groups=[], is_active="on")
    data.pop("password", None)
    data.pop("last_login", None)
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    seeker.refresh_from_db()
    assert seeker.pseudonym == "Renamed Harbor"
    assert [a for a, *_ in rows()] == ["admin_view", "admin_change"]
    assert rows()[-1][1:3] == (f"accounts.user:{seeker.pk}", seeker.pk)


def test_history_and_deletion_pages_are_told_apart(staff_client: Client, seeker: User) -> None:
    staff_client.get(reverse("admin:accounts_user_history", args=[seeker.pk]))
    staff_client.get(reverse("admin:accounts_user_delete", args=[seeker.pk]))
    assert [(t, s) for _, t, s, _ in rows()] == [
        (f"accounts.user:{seeker.pk}:history", seeker.pk),
        (f"accounts.user:{seeker.pk}:delete", seeker.pk),
    ]


def test_the_index_and_app_pages_are_logged(staff_client: Client) -> None:
    staff_client.get(reverse("admin:index"))
    staff_client.get(reverse("admin:app_list", args=["accounts"]))
    assert [t for _, t, *_ in rows()] == ["admin:index", "admin:app_list:accounts"]


def test_people_who_are_not_staff_write_nothing(therapist: User) -> None:
    assert Client().get(reverse("admin:accounts_user_changelist")).status_code == 302
    assert client_for(therapist).get(reverse("admin:index")).status_code == 302
    assert rows() == []


def test_an_attempt_on_a_missing_object_is_still_logged(staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:accounts_user_change", args=[99999]))
    assert response.status_code == 302  # the admin sends staff back with "doesn't exist"
    assert [(a, t, s) for a, t, s, _ in rows()] == [("admin_view", "accounts.user:99999", None)]


def test_the_log_is_readable_in_the_admin_and_cannot_be_changed(
    staff_client: Client, therapist: User, seeker: User
) -> None:
    entry = record_access(actor=therapist, action="view_chart", subject=seeker, target="chart:1")
    listing = staff_client.get(reverse("admin:audit_accesslog_changelist"))
    assert listing.status_code == 200
    assert "view_chart" in listing.content.decode()
    detail = staff_client.get(reverse("admin:audit_accesslog_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert staff_client.get(reverse("admin:audit_accesslog_add")).status_code == 403
    delete_url = reverse("admin:audit_accesslog_delete", args=[entry.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    change = staff_client.post(
        reverse("admin:audit_accesslog_change", args=[entry.pk]), {"action": "nothing"}
    )
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "view_chart"
    assert AccessLog.objects.filter(target="audit.accesslog:changelist").exists()
    assert chain_problems() == []


def test_a_coordinator_is_not_staff(db: None) -> None:
    coordinator = make_user(Role.COORDINATOR)
    assert client_for(coordinator).get(reverse("admin:index")).status_code == 302
    assert rows() == []
