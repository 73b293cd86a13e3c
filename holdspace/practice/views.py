"""Practice pages for therapists. Thin: check access through ``get_client_for``, read or write
through selectors/services, and log every read of a client's record in the same transaction
as the read (the page is rendered inside it too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role
from holdspace.checkins import fhir
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import exports, selectors, services
from holdspace.practice.forms import AmendmentForm, NoteForm
from holdspace.practice.models import SignedNoteError

therapist_required = role_required(Role.THERAPIST)


def _chart_context(client: ConsultationRequest) -> dict[str, Any]:
    upcoming, past = selectors.upcoming_and_past(client, now=timezone.now())
    return {
        "client": client,
        "name": selectors.display_name(client),
        "upcoming": upcoming,
        "past": past,
        "rows": selectors.checkin_rows(client),
        "trends": selectors.trends(client),
        "flags": list(selectors.open_flags(client)),
        "acknowledgements": list(selectors.acknowledgements(client)),
    }


@never_cache
@require_GET
@therapist_required
def caseload(request: HttpRequest) -> HttpResponse:
    therapist = signed_in_user(request)
    with transaction.atomic():
        clients = [
            {
                "client": c,
                "name": selectors.display_name(c),
                "flags": selectors.open_flags(c).count(),
            }
            for c in selectors.clients_for(therapist).select_related("reveal")
        ]
        if clients:
            services.log_read_caseload(therapist=therapist, request=request)
        return render(request, "practice/caseload.html", {"clients": clients})


def _read_client(request: HttpRequest, request_id: int, *, action: str) -> ConsultationRequest:
    """The therapist's client, with the access-log row for this read (call inside the
    transaction that renders the data)."""
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    services.log_read(
        therapist=therapist, client=found, action=action, target=f"client:{found.pk}",
        request=request,
    )  # fmt: skip
    return found


@never_cache
@require_GET
@therapist_required
def client(request: HttpRequest, request_id: int) -> HttpResponse:
    with transaction.atomic():
        found = _read_client(request, request_id, action="view_chart")
        return render(request, "practice/client.html", _chart_context(found))


@require_POST
@therapist_required
def acknowledge(request: HttpRequest, request_id: int, checkin_id: int) -> HttpResponse:
    therapist = signed_in_user(request)
    with transaction.atomic():
        found = selectors.get_client_for(therapist, request_id)
        checkin = selectors.get_flag_for(found, checkin_id)
        services.acknowledge_flag(
            therapist=therapist, client=found, checkin=checkin, request=request
        )
    messages.success(request, "Acknowledged. It stays on the record with your name and time.")
    return redirect("practice:client", request_id)


def _note_page(
    request: HttpRequest, request_id: int, booking_id: int, *, form: NoteForm | None = None,
    amend_form: AmendmentForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    therapist = signed_in_user(request)
    with transaction.atomic():
        found = selectors.get_client_for(therapist, request_id)
        booking = selectors.get_session_for(found, booking_id)
        note = selectors.note_for(booking)
        if note is not None:
            services.log_read(
                therapist=therapist, client=found, action="view_note",
                target=f"note:{note.pk}", request=request,
            )  # fmt: skip
        if form is None and (note is None or not note.is_signed):
            form = NoteForm(initial={"text": note.text if note else ""})
        return render(
            request,
            "practice/note.html",
            {
                "client": found,
                "name": selectors.display_name(found),
                "booking": booking,
                "note": note,
                "amendments": list(selectors.amendments(note)) if note else [],
                "form": form,
                "amend_form": amend_form or AmendmentForm(),
            },
            status=status,
        )


@never_cache
@require_http_methods(["GET", "POST"])
@therapist_required
def note(request: HttpRequest, request_id: int, booking_id: int) -> HttpResponse:
    if request.method == "GET":
        return _note_page(request, request_id, booking_id)
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    booking = selectors.get_session_for(found, booking_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _note_page(request, request_id, booking_id, form=form, status=400)
    try:
        services.save_draft(
            therapist=therapist, client=found, booking=booking,
            text=form.cleaned_data["text"], request=request,
        )  # fmt: skip
    except SignedNoteError as error:
        messages.error(request, str(error))
        return redirect("practice:note", request_id, booking_id)
    except services.NoteError as error:
        form.add_error("text", str(error))
        return _note_page(request, request_id, booking_id, form=form, status=400)
    messages.success(request, "Draft saved.")
    return redirect("practice:note", request_id, booking_id)


@require_POST
@therapist_required
def sign(request: HttpRequest, request_id: int, booking_id: int) -> HttpResponse:
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    booking = selectors.get_session_for(found, booking_id)
    note = selectors.note_for(booking)
    if note is None:
        messages.error(request, "Write the note before signing it.")
        return redirect("practice:note", request_id, booking_id)
    try:
        services.sign_note(therapist=therapist, client=found, note=note, request=request)
    except SignedNoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Signed. From now on it can only be amended.")
    return redirect("practice:note", request_id, booking_id)


@require_POST
@therapist_required
def amend(request: HttpRequest, request_id: int, booking_id: int) -> HttpResponse:
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    booking = selectors.get_session_for(found, booking_id)
    note = selectors.note_for(booking)
    form = AmendmentForm(request.POST)
    if note is None or not note.is_signed:
        messages.error(request, "Only a signed note can be amended.")
        return redirect("practice:note", request_id, booking_id)
    if not form.is_valid():
        return _note_page(request, request_id, booking_id, amend_form=form, status=400)
    try:
        services.amend_note(
            therapist=therapist, client=found, note=note,
            text=form.cleaned_data["text"], request=request,
        )  # fmt: skip
    except services.NoteError as error:
        form.add_error("text", str(error))
        return _note_page(request, request_id, booking_id, amend_form=form, status=400)
    messages.success(request, "Amendment added beside the signed note.")
    return redirect("practice:note", request_id, booking_id)


@never_cache
@require_GET
@therapist_required
def export_fhir(request: HttpRequest, request_id: int) -> HttpResponse:
    with transaction.atomic():
        found = _read_client(request, request_id, action="export_fhir")
        body = fhir.to_json(exports.scores_bundle(selectors.shared_checkins(found)))
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="client-{found.pk}-record.json"'
    return response


@never_cache
@require_GET
@therapist_required
def print_record(request: HttpRequest, request_id: int) -> HttpResponse:
    with transaction.atomic():
        found = _read_client(request, request_id, action="export_print")
        context = _chart_context(found)
        context["notes"] = selectors.signed_notes(found)
        return render(request, "practice/print.html", context)
