from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from holdspace.accounts import time_zones
from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.forms import TimeZoneForm
from holdspace.accounts.models import Role, User
from holdspace.accounts.ratelimit import rate_limited
from holdspace.confirmation import Review
from holdspace.core import slots, zones
from holdspace.directory.models import TherapistProfile
from holdspace.directory.selectors import get_profile_for
from holdspace.scheduling import ics, selectors, services
from holdspace.scheduling.display import clock, day_heading
from holdspace.scheduling.forms import (
    CancelForm,
    DayOffForm,
    SessionTypeForm,
    SettingsForm,
    SlotForm,
    WeeklyAvailabilityForm,
)
from holdspace.scheduling.models import Booking, BookingStatus, DayOff, SessionType

therapist_required = role_required(Role.THERAPIST)
seeker_required = role_required(Role.SEEKER)
DAYS_SHOWN = 7


# Therapist settings ------------------------------------------------------------------------


def _settings_context(profile: TherapistProfile, **forms: Any) -> dict[str, Any]:
    session_types = list(SessionType.objects.filter(profile=profile))
    return {
        "profile": profile,
        "availability_form": forms.get("availability_form")
        or WeeklyAvailabilityForm(windows=selectors.weekly_windows(profile)),
        "day_off_form": forms.get("day_off_form") or DayOffForm(),
        "settings_form": forms.get("settings_form")
        or SettingsForm(instance=selectors.settings_for(profile)),
        "type_forms": forms.get("type_forms")
        or [SessionTypeForm(instance=t, prefix=t.kind) for t in session_types],
        "days_off": DayOff.objects.filter(profile=profile, date__gte=timezone.localdate()),
        "zone": zones.label(profile.time_zone),
    }


@therapist_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Weekly availability (GET shows every form; POST saves the weekly times)."""
    profile = get_profile_for(signed_in_user(request))
    services.ensure_scheduling_defaults(profile=profile)  # profiles made before this app
    if request.method == "POST":
        form = WeeklyAvailabilityForm(request.POST, windows=[])
        if form.is_valid():
            services.set_weekly_availability(profile=profile, windows=form.cleaned_data["windows"])
            messages.success(request, "Saved your weekly times.")
            return redirect("scheduling:settings")
        return render(
            request,
            "scheduling/settings.html",
            _settings_context(profile, availability_form=form),
            status=400,
        )
    return render(request, "scheduling/settings.html", _settings_context(profile))


@require_POST
@therapist_required
def add_day_off(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for(signed_in_user(request))
    form = DayOffForm(request.POST)
    if not form.is_valid():
        context = _settings_context(profile, day_off_form=form)
        return render(request, "scheduling/settings.html", context, status=400)
    services.add_day_off(profile=profile, date=form.cleaned_data["date"])
    messages.success(request, "Added the day off.")
    return redirect("scheduling:settings")


@require_POST
@therapist_required
def remove_day_off(request: HttpRequest, day_off_id: int) -> HttpResponse:
    profile = get_profile_for(signed_in_user(request))
    services.remove_day_off(profile=profile, day_off_id=day_off_id)
    messages.success(request, "Removed the day off.")
    return redirect("scheduling:settings")


@require_POST
@therapist_required
def save_session_types(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for(signed_in_user(request))
    forms = [
        SessionTypeForm(request.POST, instance=t, prefix=t.kind)
        for t in SessionType.objects.filter(profile=profile)
    ]
    if not all(form.is_valid() for form in forms):
        context = _settings_context(profile, type_forms=forms)
        return render(request, "scheduling/settings.html", context, status=400)
    for form in forms:
        services.update_session_type(
            session_type=form.instance,
            active=form.cleaned_data["active"],
            minutes=form.cleaned_data["minutes"],
            buffer_minutes=form.cleaned_data["buffer_minutes"],
        )
    messages.success(request, "Saved your session types.")
    return redirect("scheduling:settings")


@require_POST
@therapist_required
def save_settings(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for(signed_in_user(request))
    form = SettingsForm(request.POST, instance=selectors.settings_for(profile))
    if not form.is_valid():
        context = _settings_context(profile, settings_form=form)
        return render(request, "scheduling/settings.html", context, status=400)
    services.update_settings(
        profile=profile,
        video_url=form.cleaned_data["video_url"],
        notice_hours=form.cleaned_data["notice_hours"],
    )
    messages.success(request, "Saved your video link and notice.")
    return redirect("scheduling:settings")


# Booking (seekers) -------------------------------------------------------------------------


def _viewer_zone(request: HttpRequest) -> str:
    """The zone the signed-in person reads times in (holdspace.accounts.time_zones)."""
    return time_zones.for_request(request).name


def _first_day(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        first = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today
    return min(max(first, today), today + dt.timedelta(days=selectors.BOOKING_HORIZON_DAYS))


def _slot_days(found: list[slots.Interval], zone: str) -> list[dict[str, Any]]:
    """Slots grouped by the viewer's local day, with labels in the viewer's zone."""
    by_day: dict[dt.date, list[dict[str, str]]] = defaultdict(list)
    for slot in found:
        local = slots.to_local(slot.start, zone)
        by_day[local.date()].append(
            {"value": slot.start.isoformat(), "label": clock(slot.start, zone)}
        )
    return [
        {"heading": day_heading(day), "slots": day_slots, "id": f"day-{day.isoformat()}"}
        for day, day_slots in sorted(by_day.items())
    ]


def _slot_context(
    request: HttpRequest, profile: TherapistProfile, session_type: SessionType
) -> dict[str, Any]:
    now = timezone.now()
    today = slots.to_local(now, profile.time_zone).date()
    first = _first_day(request, today)
    last = first + dt.timedelta(days=DAYS_SHOWN - 1)
    zone = _viewer_zone(request)
    found = selectors.available_slots(
        profile=profile, session_type=session_type, first_day=first, last_day=last, now=now
    )
    horizon = today + dt.timedelta(days=selectors.BOOKING_HORIZON_DAYS)
    return {
        "profile": profile,
        "session_type": session_type,
        "days": _slot_days(found, zone),
        "zone": zone,
        "zone_label": zones.label(zone),
        "therapist_zone_label": zones.label(profile.time_zone),
        "zone_form": TimeZoneForm(
            initial={"time_zone": zone},
            current=zone,
            everywhere=False,
            also=(profile.time_zone,),
            next_path=request.get_full_path(),
        ),
        "earlier": (first - dt.timedelta(days=DAYS_SHOWN)).isoformat() if first > today else None,
        "later": (last + dt.timedelta(days=1)).isoformat() if last < horizon else None,
        "first": first,
        "last": last,
    }


BOOK, CANCEL = "book", "cancel"


def _fee(profile: TherapistProfile, session_type: SessionType) -> str:
    """The fee as the seeker should expect it, in words (Holdspace takes no payment)."""
    if session_type.is_free_consultation:
        return "Free"
    if profile.fee is None:
        return f"Ask {profile.display_name}; you settle fees with them directly."
    listed = "Free" if profile.fee == 0 else f"${profile.fee} for a standard session"
    sliding = ", sliding scale available" if profile.sliding_scale else ""
    return f"{listed}{sliding}. You settle fees with {profile.display_name} directly."


def _book_review(
    request: HttpRequest,
    *,
    profile: TherapistProfile,
    session_type: SessionType,
    start: dt.datetime,
    review: Review,
    problem: str | None = None,
) -> HttpResponse:
    zone = review.values["zone"]
    day = slots.to_local(start, profile.time_zone).date()
    therapist_local = slots.to_local(start, profile.time_zone)
    return render(
        request,
        "scheduling/book_review.html",
        {
            "profile": profile,
            "session_type": session_type,
            "start": start.isoformat(),
            "start_at": start,
            "end_at": start + dt.timedelta(minutes=session_type.minutes),
            "therapist_when": zones.write(therapist_local, "long")
            if profile.time_zone != zone
            else None,
            "fee": _fee(profile, session_type),
            "back": reverse("scheduling:book", args=[profile.pk])
            + f"?type={session_type.pk}&from={day.isoformat()}",
            "review": review.token(),
            "problem": problem,
        },
        status=400 if problem else 200,
    )


def _book_post(request: HttpRequest, seeker: User, profile: TherapistProfile) -> HttpResponse:
    form = SlotForm(request.POST)
    if not form.is_valid() or form.cleaned_data["session_type"] is None:
        messages.error(request, "Choose one of the times shown.")
        return redirect(request.get_full_path())
    session_type = selectors.get_offered_session_type(profile, form.cleaned_data["session_type"])
    start = form.cleaned_data["start"].astimezone(dt.UTC)
    zone = _viewer_zone(request)
    review = Review(
        BOOK,
        seeker.pk,
        profile.pk,
        {"start": start.isoformat(), "type": str(session_type.pk), "zone": zone},
    )
    shown = {"profile": profile, "session_type": session_type, "start": start, "review": review}
    if request.POST.get("step") != "confirm":
        # Only a time the page offers now, and a kind of session this seeker may book, is
        # worth reviewing. On confirm the booking guard alone decides (and says why not).
        if not selectors.booking_allowed(
            seeker=seeker, profile=profile, session_type=session_type
        ) or not selectors.slot_offered(
            profile=profile, session_type=session_type, start=start, now=timezone.now()
        ):
            messages.error(request, "That time is no longer offered — please choose another.")
            return redirect(request.get_full_path())
        return _book_review(request, **shown)
    problem = review.problem_in(request)
    if problem is not None:
        return _book_review(request, **shown, problem=problem)
    try:
        booking = services.book(
            seeker=seeker,
            profile=profile,
            session_type=session_type,
            start=start,
            seeker_time_zone=zone,
        )
    except services.BookingError as error:
        messages.error(request, error.message)
        return redirect(request.get_full_path())
    messages.success(request, "Booked. We have emailed you the time.")
    return redirect("scheduling:detail", booking_id=booking.pk)


@rate_limited("booking")
@seeker_required
def book(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Pick a time, then review it (date, time with its zone, format, fee) and confirm.
    Nothing is booked before the confirm step; the confirm goes through ``services.book``."""
    seeker = signed_in_user(request)
    profile = selectors.get_bookable_profile(profile_id=profile_id, today=timezone.localdate())
    if request.method == "POST":
        return _book_post(request, seeker, profile)
    offered = list(selectors.offered_session_types(profile))
    chosen = _chosen_type(request, offered)
    context: dict[str, Any] = {"offered": offered, "chosen": chosen, "profile": profile}
    if chosen is not None:
        context |= _slot_context(request, profile, chosen)
        context["allowed"] = selectors.booking_allowed(
            seeker=seeker, profile=profile, session_type=chosen
        )
    return render(request, "scheduling/book.html", context)


def _chosen_type(request: HttpRequest, offered: list[SessionType]) -> SessionType | None:
    wanted = request.GET.get("type", "")
    for session_type in offered:
        if str(session_type.pk) == wanted:
            return session_type
    consultations = [t for t in offered if t.is_free_consultation]
    candidates = consultations or offered
    return candidates[0] if candidates else None


# Bookings (both parties) -------------------------------------------------------------------


def _row(user: User, booking: Booking) -> dict[str, Any]:
    # Times are written by the template (the times library), in the reader's active zone.
    return {"booking": booking, "as_therapist": booking.profile.user_id == user.pk}


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    found = list(selectors.bookings_for(user, since=now))
    rows = [_row(user, b) for b in found]
    zone = _viewer_zone(request)
    upcoming = [row for row in rows if row["booking"].holds_slot]
    cancelled = [row for row in rows if not row["booking"].holds_slot]
    return render(
        request,
        "scheduling/bookings.html",
        {
            "upcoming": upcoming,
            "cancelled": cancelled,
            "is_therapist": user.role == Role.THERAPIST,
            "zone_form": TimeZoneForm(
                initial={"time_zone": zone},
                current=zone,
                everywhere=False,
                next_path=request.get_full_path(),
            ),
        },
    )


def _detail_context(
    request: HttpRequest, user: User, booking: Booking, cancel_form: CancelForm | None = None
) -> dict[str, Any]:
    now = timezone.now()
    return _row(user, booking) | {
        "video_url": selectors.settings_for(booking.profile).video_url,
        "can_change": booking.holds_slot and booking.start > now,
        "is_late": selectors.is_late(booking, now),
        "cancel_form": cancel_form or CancelForm(),
        "pending": booking.status == BookingStatus.PENDING,
    }


@login_required
def detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.get_booking_for(user, booking_id)
    return render(request, "scheduling/detail.html", _detail_context(request, user, booking))


@require_POST
@login_required
def confirm(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.get_booking_for(user, booking_id)  # 404 for anyone else
    if booking.profile.user_id != user.pk:
        raise Http404("No such booking")
    try:
        services.confirm(therapist=user, booking_id=booking.pk)
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Confirmed. We let them know.")
    return redirect("scheduling:detail", booking_id=booking.pk)


@require_POST
@login_required
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel in two steps: the reason goes to a review page (what happens, who is told, late
    or not), and only its confirm cancels, through the booking guard. (A review rather than an
    undo: the other person is emailed at once and the time is offered to others at once.)"""
    user = signed_in_user(request)
    booking = selectors.get_booking_for(user, booking_id)  # 404 for anyone else
    form = CancelForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, user, booking, cancel_form=form)
        return render(request, "scheduling/detail.html", context, status=400)
    reason = form.cleaned_data["reason"].strip()
    review = Review(CANCEL, user.pk, booking.pk, {"reason": reason})
    problem = None
    if request.POST.get("step") == "confirm":
        problem = review.problem_in(request)
        if problem is None:
            try:
                cancelled = services.cancel(user=user, booking_id=booking.pk, reason=reason)
            except services.BookingError as error:
                messages.error(request, error.message)
            else:
                note = " It was less than 24 hours ahead." if cancelled.late_cancellation else ""
                messages.success(request, f"Cancelled; the time is free again.{note}")
            return redirect("scheduling:detail", booking_id=booking.pk)
    if not booking.holds_slot or booking.start <= timezone.now():
        messages.error(request, "This session can't be cancelled any more.")
        return redirect("scheduling:detail", booking_id=booking.pk)
    context = _detail_context(request, user, booking)
    context |= {"reason": reason, "review": review.token(), "problem": problem}
    return render(request, "scheduling/cancel_review.html", context, status=400 if problem else 200)


@login_required
def reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.get_booking_for(user, booking_id)
    if booking.seeker_id != user.pk:
        raise Http404("No such booking")  # therapists cancel; seekers move
    if request.method == "POST":
        form = SlotForm(request.POST)
        if form.is_valid():
            try:
                services.reschedule(
                    seeker=user, booking_id=booking.pk, start=form.cleaned_data["start"]
                )
            except services.BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Moved to the new time.")
                return redirect("scheduling:detail", booking_id=booking.pk)
        else:
            messages.error(request, "Choose one of the times shown.")
        return redirect(request.get_full_path())
    context = _slot_context(request, booking.profile, booking.session_type)
    context["booking"] = booking
    return render(request, "scheduling/reschedule.html", context)


# Calendars ---------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _video_url(booking: Booking) -> str:
    return selectors.settings_for(booking.profile).video_url


@require_GET
@login_required
def booking_ics(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.get_booking_for(user, booking_id)
    entry = (booking, _viewer_zone(request), _video_url(booking))
    content = ics.calendar_for([entry], stamp=timezone.now())
    return _ics_response(content, f"holdspace-session-{booking.pk}.ics")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A private calendar subscription: no sign-in; the unguessable token is the key."""
    user = selectors.feed_user(token)
    since = timezone.now() - dt.timedelta(days=selectors.FEED_HISTORY_DAYS)
    zone = time_zones.zone_for(user)  # no sign-in here: the feed's owner's zone
    entries = [
        (booking, zone, _video_url(booking))
        for booking in selectors.bookings_for(user, since=since)
    ]
    content = ics.calendar_for(entries, stamp=timezone.now())
    return _ics_response(content, "holdspace.ics")


FEED_TOKEN_KEY = "scheduling_new_feed_token"  # noqa: S105  (a session key name)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    token = request.session.pop(FEED_TOKEN_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("scheduling:feed", args=[token])) if token else None
    )
    return render(
        request,
        "scheduling/calendar.html",
        {"has_feed": selectors.has_feed(user), "feed_url": feed_url},
    )


@require_POST
@login_required
def renew_feed(request: HttpRequest) -> HttpResponse:
    # The token is shown once (only its hash is kept): carried to the next page in the session.
    request.session[FEED_TOKEN_KEY] = services.renew_feed(user=signed_in_user(request))
    return redirect("scheduling:calendar")


@require_POST
@login_required
def revoke_feed(request: HttpRequest) -> HttpResponse:
    services.revoke_feed(user=signed_in_user(request))
    messages.success(request, "Your calendar link no longer works.")
    return redirect("scheduling:calendar")
