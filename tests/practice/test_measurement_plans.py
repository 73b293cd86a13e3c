"""Measurement plans: the therapist asks for check-ins on a cadence from the client chart, the
client takes them through the check-ins app's own pages, and what they save lands on the chart
marked as asked for. Every write is logged once; bad input saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.accounts.models import Role, User
from holdspace.audit.models import AccessLog
from holdspace.checkins.models import CheckIn
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.practice import cadence, selectors, services
from holdspace.practice.models import CheckInInvitation, MeasurementPlan, PlanStatus
from holdspace.scheduling.models import Booking, BookingStatus
from tests.checkins.helpers import answers, form
from tests.conftest import client_for
from tests.factories import make_session, make_user
from tests.practice.conftest import logs

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


def _chart(client: ConsultationRequest) -> str:
    return reverse("practice:client", args=[client.pk])


def _start(client: ConsultationRequest) -> str:
    return reverse("practice:start_plan", args=[client.pk])


def _plan(
    therapist: User, client: ConsultationRequest, instrument: str = "phq9", how: str = "monthly"
) -> MeasurementPlan:
    return services.start_plan(
        therapist=therapist, client=client, instrument=instrument, cadence=how
    )


def _take(invitation: CheckInInvitation) -> str:
    return reverse("practice:asked_take", args=[invitation.pk])


def _save(invitation: CheckInInvitation) -> str:
    return reverse("practice:asked_save", args=[invitation.pk])


# --- the therapist's side ---------------------------------------------------------------------


def test_therapist_starts_a_plan_from_the_chart_and_sees_its_status(
    therapist: User, client_request: ConsultationRequest
) -> None:
    browser = client_for(therapist)
    response = browser.post(_start(client_request), {"instrument": "proqol5", "cadence": "monthly"})
    assert response.status_code == 302
    plan = MeasurementPlan.objects.get()
    assert (plan.instrument, plan.cadence, plan.status) == ("proqol5", "monthly", "active")
    assert plan.created_by == therapist
    # A periodic plan's first check-in is due the day it starts.
    assert plan.invitations.count() == 1
    row = AccessLog.objects.get(action="start_plan")
    assert (row.actor, row.subject, row.target) == (
        therapist,
        client_request.seeker,
        f"plan:{plan.pk}",
    )
    page = browser.get(_chart(client_request)).content.decode()
    plans = page.split('id="plans-title"')[1]
    assert "ProQOL 5" in plans
    assert "Monthly" in plans
    assert "Active since" in plans
    assert "Not yet" in plans  # nothing completed yet


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"instrument": "beck", "cadence": "monthly"}, "Choose one of the check-ins listed."),
        ({"instrument": "phq9", "cadence": "hourly"}, "Choose one of the options listed."),
        ({"instrument": "", "cadence": "monthly"}, "Choose a check-in."),
        ({"cadence": "monthly"}, "Choose a check-in."),
        ({"instrument": "phq9"}, "Choose how often to ask."),
        ({"instrument": "phq9\x00", "cadence": "monthly"}, "Choose one of the check-ins listed."),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(
    therapist: User, client_request: ConsultationRequest, data: dict[str, str], message: str
) -> None:
    response = client_for(therapist).post(_start(client_request), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeasurementPlan.objects.exists()
    assert not CheckInInvitation.objects.exists()
    assert logs("start_plan") == 0


@pytest.mark.parametrize(
    "data",
    [
        {"instrument": ["phq9", "gad7"], "cadence": ["monthly", "daily"]},
        {"instrument": "x" * 100_000, "cadence": "\u202emonthly"},
        {"instrument": "🙂", "cadence": "-1"},
        {"csrfmiddlewaretoken": "junk"},
    ],
)
def test_junk_never_breaks_the_page(
    therapist: User, client_request: ConsultationRequest, data: dict[str, object]
) -> None:
    response = client_for(therapist).post(_start(client_request), data)
    assert response.status_code == 400
    assert "Ask for a check-in" in response.content.decode()
    assert not MeasurementPlan.objects.exists()


def test_the_service_refuses_unknown_values_too(
    therapist: User, client_request: ConsultationRequest
) -> None:
    with pytest.raises(services.PlanError):
        _plan(therapist, client_request, instrument="beck")
    with pytest.raises(services.PlanError):
        _plan(therapist, client_request, how="daily")
    assert not MeasurementPlan.objects.exists()


def test_one_active_plan_per_check_in(therapist: User, client_request: ConsultationRequest) -> None:
    _plan(therapist, client_request, "phq9", "monthly")
    response = client_for(therapist).post(
        _start(client_request), {"instrument": "phq9", "cadence": "two_weeks"}
    )
    assert response.status_code == 400
    assert "There is already an active PHQ-9 plan" in response.content.decode()
    assert MeasurementPlan.objects.count() == 1
    assert logs("start_plan") == 1


def test_stopping_a_plan_is_logged_once_and_ends_the_open_check_in(
    therapist: User, client_request: ConsultationRequest
) -> None:
    plan = _plan(therapist, client_request)
    browser = client_for(therapist)
    url = reverse("practice:stop_plan", args=[client_request.pk, plan.pk])
    assert browser.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STOPPED
    assert plan.stopped_at is not None
    again = browser.post(url, follow=True)
    assert "This plan is already stopped." in again.content.decode()
    assert logs("stop_plan") == 1
    # What was asked and not done disappears from the client's list.
    assert not selectors.open_invitations_for(client_request.seeker, now=timezone.now()).exists()
    # A new plan for the same check-in can start after the old one stopped.
    _plan(therapist, client_request, "phq9", "two_weeks")
    assert MeasurementPlan.objects.filter(status="active").count() == 1


def test_other_people_cannot_touch_a_clients_plans(
    therapist: User,
    other_therapist: User,
    client_request: ConsultationRequest,
    other_client: ConsultationRequest,
) -> None:
    plan = _plan(therapist, client_request)
    stop = reverse("practice:stop_plan", args=[client_request.pk, plan.pk])
    data = {"instrument": "gad7", "cadence": "monthly"}
    outsider = client_for(other_therapist)
    assert outsider.post(_start(client_request), data).status_code == 404
    assert outsider.post(stop).status_code == 404
    # Their own client id with my plan id: still nothing.
    mixed = reverse("practice:stop_plan", args=[other_client.pk, plan.pk])
    assert outsider.post(mixed).status_code == 404
    the_client = client_for(client_request.seeker)
    assert the_client.post(_start(client_request), data).status_code == 403
    assert the_client.post(stop).status_code == 403
    assert Client().post(stop).status_code == 302  # to sign in
    plan.refresh_from_db()
    assert plan.is_active
    assert MeasurementPlan.objects.count() == 1


# --- the client's side -------------------------------------------------------------------------


def test_client_takes_an_asked_check_in_and_it_lands_on_the_chart(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "gad7", "two_weeks").invitations.get()
    seeker = client_request.seeker
    browser = client_for(seeker)
    listing = browser.get(reverse("practice:asked")).content.decode()
    assert "Check-ins your therapist asked for" in listing
    assert "GAD-7" in listing
    assert _take(invitation) in listing

    questions = browser.get(_take(invitation)).content.decode()
    assert f'action="{_take(invitation)}"' in questions
    results = browser.post(_take(invitation), form(answers("gad7", 2)))
    assert results.status_code == 200
    body = results.content.decode()
    assert f'action="{_save(invitation)}"' in body
    assert "Save and share with my therapist" in body
    assert not CheckIn.objects.exists()  # nothing stored until they choose to save

    saved = browser.post(_save(invitation), form(answers("gad7", 2), instrument="gad7"))
    checkin = CheckIn.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("checkins:detail", args=[checkin.pk])
    assert (checkin.user, checkin.instrument, checkin.scales) == (seeker, "gad7", {"total": 14})
    invitation.refresh_from_db()
    assert invitation.checkin == checkin
    assert invitation.completed_at is not None
    assert logs("complete_checkin") == 1

    chart = client_for(therapist).get(_chart(client_request)).content.decode()
    checkins_section = chart.split('id="checkins-title"')[1].split('id="plans-title"')[0]
    assert "GAD-7" in checkins_section
    assert "Asked for by you" in checkins_section
    # It is no longer asked for; the list says where the results are.
    after = browser.get(reverse("practice:asked")).content.decode()
    assert _take(invitation) not in after
    assert reverse("checkins:detail", args=[checkin.pk]) in after


def test_a_check_in_not_asked_for_is_not_marked(
    therapist: User, client_request: ConsultationRequest
) -> None:
    from tests.practice.conftest import phq9

    phq9(client_request.seeker)
    chart = client_for(therapist).get(_chart(client_request)).content.decode()
    assert "Asked for by you" not in chart.split('id="plans-title"')[0]


def test_crisis_resources_show_in_the_same_response_as_the_answers(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "phq9", "monthly").invitations.get()
    browser = client_for(client_request.seeker)
    body = browser.post(_take(invitation), form(answers("phq9", 0, _9=1))).content.decode()
    assert "988" in body
    assert body.index('id="crisis-resources"') < body.index('id="results-title"')
    browser.post(_save(invitation), form(answers("phq9", 0, _9=1), instrument="phq9"))
    checkin = CheckIn.objects.get()
    assert checkin.self_harm
    detail = browser.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    assert "988" in detail
    assert selectors.open_flags(client_request).get() == checkin


def test_invalid_answers_show_the_questions_again_and_save_nothing(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "phq9", "monthly").invitations.get()
    browser = client_for(client_request.seeker)
    partial = form(answers("phq9", 1, _3=9))
    response = browser.post(_take(invitation), partial)
    assert response.status_code == 400
    assert f'action="{_take(invitation)}"' in response.content.decode()
    junk = browser.post(_save(invitation), {"instrument": "phq9", "item-1": "x" * 500})
    assert junk.status_code == 400
    other = browser.post(_save(invitation), form(answers("gad7", 1), instrument="gad7"))
    assert other.status_code == 302
    nothing = browser.post(_save(invitation), {"instrument": "nope"})
    assert nothing.status_code == 404
    assert not CheckIn.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.is_completed
    assert logs("complete_checkin") == 0


def test_a_completed_check_in_is_not_saved_twice(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "gad7", "monthly").invitations.get()
    browser = client_for(client_request.seeker)
    data = form(answers("gad7", 1), instrument="gad7")
    browser.post(_save(invitation), data)
    again = browser.post(_save(invitation), data)
    checkin = CheckIn.objects.get()
    assert again["Location"] == reverse("checkins:detail", args=[checkin.pk])
    assert browser.get(_take(invitation))["Location"] == again["Location"]
    assert logs("complete_checkin") == 1


def test_nobody_else_can_open_or_complete_an_invitation(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "gad7", "monthly").invitations.get()
    data = form(answers("gad7", 1), instrument="gad7")
    stranger = client_for(make_user(Role.SEEKER))
    assert stranger.get(_take(invitation)).status_code == 404
    assert stranger.post(_save(invitation), data).status_code == 404
    assert client_for(therapist).get(_take(invitation)).status_code == 403
    assert Client().post(_save(invitation), data).status_code == 302  # to sign in
    assert not CheckIn.objects.exists()
    assert "GAD-7" not in stranger.get(reverse("practice:asked")).content.decode()


def test_when_care_ends_the_client_is_no_longer_asked(
    therapist: User, client_request: ConsultationRequest
) -> None:
    invitation = _plan(therapist, client_request, "gad7", "monthly").invitations.get()
    ConsultationRequest.objects.filter(pk=client_request.pk).update(status=Status.WITHDRAWN)
    browser = client_for(client_request.seeker)
    assert "GAD-7" not in browser.get(reverse("practice:asked")).content.decode()
    response = browser.post(_save(invitation), form(answers("gad7", 1), instrument="gad7"))
    assert response["Location"] == reverse("practice:asked")
    assert not CheckIn.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=40), tick=False):
        assert services.send_due_checkins() == 0
    assert CheckInInvitation.objects.count() == 1


# --- what falls due ----------------------------------------------------------------------------


def _confirmed(client: ConsultationRequest, start: dt.datetime, kind: str = "session") -> Booking:
    return make_session(client, start=start, kind=kind)


@time_machine.travel(NOW, tick=False)
def test_before_each_session_asks_once_per_confirmed_session_within_48_hours(
    therapist: User, client_request: ConsultationRequest
) -> None:
    plan = _plan(therapist, client_request, "phq9", "before_session")
    assert not plan.invitations.exists()  # nothing booked yet
    soon = _confirmed(client_request, NOW + dt.timedelta(hours=47))
    _confirmed(client_request, NOW + dt.timedelta(hours=72))  # later: not yet
    pending = _confirmed(client_request, NOW + dt.timedelta(hours=30, minutes=5))
    Booking.objects.filter(pk=pending.pk).update(status=BookingStatus.PENDING)
    _confirmed(client_request, NOW + dt.timedelta(hours=20), kind="consultation")
    assert services.send_due_checkins() == 1
    assert services.send_due_checkins() == 0  # idempotent
    invitation = plan.invitations.get()
    assert invitation.booking == soon
    assert invitation.expires_at == soon.end
    # The client sees when the session is, in their own zone.
    listing = client_for(client_request.seeker).get(reverse("practice:asked")).content.decode()
    assert "Best done before your session on" in listing


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_session_takes_its_check_in_away(
    therapist: User, client_request: ConsultationRequest
) -> None:
    booking = _confirmed(client_request, NOW + dt.timedelta(hours=10))
    _plan(therapist, client_request, "phq9", "before_session")
    assert CheckInInvitation.objects.count() == 1  # started with a session 10 hours away
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    assert not selectors.open_invitations_for(client_request.seeker, now=NOW).exists()


def test_periodic_plans_fall_due_after_their_interval(
    therapist: User, client_request: ConsultationRequest
) -> None:
    with time_machine.travel(NOW, tick=False):
        fortnightly = _plan(therapist, client_request, "gad7", "two_weeks")
        monthly = _plan(therapist, client_request, "proqol5", "monthly")
        assert services.send_due_checkins() == 0  # both sent their first on starting
    with time_machine.travel(NOW + dt.timedelta(days=13, hours=8), tick=False):
        assert services.send_due_checkins() == 0
    with time_machine.travel(NOW + dt.timedelta(days=14, hours=-6), tick=False):
        assert services.send_due_checkins() == 1  # a day's work, not to the second
        assert services.send_due_checkins() == 0
    # An older periodic invitation closes when the next is due: one open per plan.
    with time_machine.travel(NOW + dt.timedelta(days=15), tick=False):
        open_ones = selectors.open_invitations_for(client_request.seeker, now=timezone.now())
        assert [i.plan.instrument for i in open_ones] == ["gad7", "proqol5"]
    with time_machine.travel(dt.datetime(2026, 12, 25, 9, tzinfo=dt.UTC), tick=False):
        assert services.send_due_checkins() == 1  # the third fortnightly one (24 Dec)
    with time_machine.travel(dt.datetime(2026, 12, 26, 9, tzinfo=dt.UTC), tick=False):
        assert services.send_due_checkins() == 1  # the monthly one, the same day next month
    assert fortnightly.invitations.count() == 3
    assert monthly.invitations.count() == 2


def test_a_stopped_plan_sends_nothing_more(
    therapist: User, client_request: ConsultationRequest
) -> None:
    plan = _plan(therapist, client_request, "gad7", "two_weeks")
    services.stop_plan(therapist=therapist, client=client_request, plan=plan)
    with time_machine.travel(timezone.now() + dt.timedelta(days=60), tick=False):
        assert services.send_due_checkins() == 0
    assert plan.invitations.count() == 1


def test_months_keep_to_the_end_of_short_months() -> None:
    assert cadence.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert cadence.add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert cadence.next_due("two_weeks", dt.date(2026, 11, 26)) == dt.date(2026, 12, 10)
    with pytest.raises(ValueError, match="not a periodic"):
        cadence.next_due("before_session", dt.date(2026, 11, 26))


# --- write history -----------------------------------------------------------------------------


def test_every_clinical_write_leaves_exactly_one_log_row(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    from tests.practice.conftest import phq9

    phq9(client_request.seeker, item9=1)
    flagged = client_request.seeker.checkins.get()
    before = AccessLog.objects.count()
    note = services.save_draft(
        therapist=therapist, client=client_request, booking=past_session, text="draft"
    )
    note = services.sign_note(
        therapist=therapist, client=client_request, booking=past_session, text=note.text
    )
    services.amend_note(therapist=therapist, client=client_request, note=note, text="later")
    services.acknowledge_flag(therapist=therapist, client=client_request, checkin=flagged)
    plan = _plan(therapist, client_request)
    services.stop_plan(therapist=therapist, client=client_request, plan=plan)
    actions = list(AccessLog.objects.order_by("pk").values_list("action", flat=True)[before:])
    assert actions == [
        "write_note",
        "sign_note",
        "amend_note",
        "acknowledge_risk",
        "start_plan",
        "stop_plan",
    ]
    assert set(AccessLog.objects.filter(action__in=actions).values_list("subject", flat=True)) == {
        client_request.seeker.pk
    }


def test_the_check_in_history_points_to_what_was_asked(
    therapist: User, client_request: ConsultationRequest
) -> None:
    browser = client_for(client_request.seeker)
    history = reverse("checkins:history")
    assert reverse("practice:asked") not in browser.get(history).content.decode()
    _plan(therapist, client_request, "gad7", "monthly")
    page = browser.get(history).content.decode()
    assert "Your therapist asked for a check-in." in page
    assert reverse("practice:asked") in page
