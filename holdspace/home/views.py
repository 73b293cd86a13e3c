"""The role homes: thin views over ``selectors`` (each app's figures, gathered)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.homes import home_url
from holdspace.accounts.models import Role
from holdspace.audit.services import record_access
from holdspace.checkins.selectors import peek_pending
from holdspace.home import selectors
from holdspace.practice import services as practice


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """ "Home" for whoever is signed in: their own home."""
    return redirect(home_url(request.user))


@require_GET
@role_required(Role.SEEKER)
def seeker(request: HttpRequest) -> HttpResponse:
    """ "My care": requests, messages, sessions, check-ins, shortlist and programs."""
    user = signed_in_user(request)
    now = timezone.now()
    home = selectors.seeker_home(user, now=now, today=timezone.localdate(now))
    return render(
        request, "home/my_care.html", {"home": home, "pending": peek_pending(request.session)}
    )


@require_GET
@role_required(Role.THERAPIST)
def therapist(request: HttpRequest) -> HttpResponse:
    """ "Today": what needs the therapist now, their sessions, and their listing's health."""
    user = signed_in_user(request)
    with transaction.atomic():
        home = selectors.therapist_home(user, now=timezone.now())
        if home.attention:  # clients named with their flags: a read of the caseload
            practice.log_read_caseload(therapist=user, request=request)
        return render(request, "home/today.html", {"home": home})


@require_GET
@role_required(Role.STAFF)
def staff(request: HttpRequest) -> HttpResponse:
    """Licenses and authorisations waiting for verification, with the way into the admin."""
    user = signed_in_user(request)
    with transaction.atomic():
        home = selectors.staff_home()
        record_access(actor=user, action="view_verification_queue", target="licenses",
                      request=request)  # fmt: skip
        return render(request, "home/staff.html", {"home": home})
