"""Your data: what we hold, the download, and asking for deletion. Seekers only: therapists'
and coordinators' records are kept under other rules (and hold other people's care)."""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role
from holdspace.mydata import selectors, services
from holdspace.mydata.forms import ConfirmDeletionForm

seeker_required = role_required(Role.SEEKER)


@seeker_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    holdings = selectors.holdings_for(signed_in_user(request))
    return render(request, "mydata/index.html", {"holdings": holdings})


@seeker_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    data = selectors.export_for(signed_in_user(request))
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="holdspace-your-data-{day}.json"'
    response["Cache-Control"] = "no-store"  # health data: no browser or proxy keeps a copy
    return response


@seeker_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ConfirmDeletionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.request_deletion(user=user, password=form.cleaned_data["password"])
        except services.WrongPassword as error:
            form.add_error("password", str(error))
        else:
            logout(request)
            return render(request, "mydata/closed.html")
    return render(request, "mydata/delete.html", {"form": form})
