"""Our account pages beside allauth's: the time zone a person reads times in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from holdspace.accounts import services, time_zones
from holdspace.accounts.access import signed_in_user
from holdspace.accounts.forms import TimeZoneForm
from holdspace.core import zones
from holdspace.directory.jurisdictions import US_JURISDICTIONS


def _safe_next(request: HttpRequest, target: str) -> str:
    """``target`` if it is a path of ours, else "" (redirect() would read "bookings" or
    "a b" as a view name, so only a path is kept)."""
    if any(ord(c) < 32 for c in target):
        return ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def time_zone(request: HttpRequest) -> HttpResponse:
    """Choose the zone times are written in (also the target of the booking pages' zone
    form, which sends ``next`` to come back to)."""
    user = signed_in_user(request)
    resolved = time_zones.for_request(request)
    back = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    status = 200
    if request.method == "POST":
        form = TimeZoneForm(request.POST, current=resolved.name, next_path=back)
        if form.is_valid():
            services.set_time_zone(user=user, name=form.cleaned_data["time_zone"])
            label = zones.label(form.cleaned_data["time_zone"])
            messages.success(request, f"Times are now shown in {label}.")
            return redirect(back or "accounts:time_zone")
        status = 400
    else:
        form = TimeZoneForm(
            initial={"time_zone": resolved.name}, current=resolved.name, next_path=back
        )
    profile = getattr(user, "therapist_profile", None)
    context = {
        "form": form,
        "resolved": resolved,
        "now": timezone.now(),
        "back": back,
        "practice_zone": zones.label(profile.time_zone) if profile is not None else None,
        "state": US_JURISDICTIONS.get(resolved.jurisdiction, resolved.jurisdiction),
        "fallback": zones.label(zones.FALLBACK),
    }
    return render(request, "accounts/time_zone.html", context, status=status)


@require_POST
def browser_time_zone(request: HttpRequest) -> HttpResponse:
    """The zone a signed-in person's browser reports (sent once by accounts/time-zone.js
    while they have chosen none). JSON in and out; never a redirect, since a script reads it."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Please sign in first."}, status=403)
    user = signed_in_user(request)
    try:
        stored = services.adopt_browser_time_zone(
            user=user, name=request.POST.get("time_zone", "").strip()
        )
    except services.UnknownTimeZone as error:
        return JsonResponse({"error": error.message}, status=400)
    time_zones.forget_for_request(request)
    resolved = time_zones.for_request(request)
    return JsonResponse({"stored": stored, "time_zone": resolved.name, "label": resolved.label})
