"""Practice pages. Therapists: thin views that check access through ``get_client_for``, read or
write through selectors/services, and log every read of a client's record in the same
transaction as the read (the page is rendered inside it too). Seekers: the check-ins their
therapist asked for, taken through the check-ins app's own pages (``take_flow``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts import drafts
from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.checkins import fhir
from holdspace.checkins import views as checkin_pages
from holdspace.checkins.forms import INSTRUMENT_FIELD
from holdspace.crisis import signal_in
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import exports, selectors, services
from holdspace.practice.forms import AmendmentForm, NoteForm, PlanForm
from holdspace.practice.models import CheckInInvitation, SignedNoteError

therapist_required = role_required(Role.THERAPIST)
seeker_required = role_required(Role.SEEKER)


def _chart_context(
    client: ConsultationRequest, *, plan_form: PlanForm | None = None
) -> dict[str, Any]:
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
        "plans": list(selectors.plans_for(client)),
        "plan_form": plan_form or PlanForm(),
        # A deleted ("Former client") or closing account: the record stays, nothing is sent.
        "closed": not client.seeker.is_active,
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
        kept = _take_kept(request, therapist) if request.method == "GET" else ""
        if kept and note is not None and note.is_signed:  # signed meanwhile: amend instead
            amend_form = AmendmentForm(initial={"text": kept})
            amend_form.mark_restored()
        elif kept:
            form = NoteForm(initial={"text": kept})
            form.mark_restored()
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
                "kept": bool(kept),
            },
            status=status,
        )


def _take_kept(request: HttpRequest, therapist: User) -> str:
    """What the therapist was writing on this page when their session timed out (the note or
    an amendment), taken back from where the sign-out kept it; "" when nothing was kept."""
    kept = (
        drafts.take_kept(user=therapist, path=request.path, form=form)
        for form in ("note", "amendment")
    )
    return "\n\n".join(text for text in kept if text)


def _already_signed(
    request: HttpRequest, request_id: int, booking_id: int, *, text: str
) -> HttpResponse:
    """The note was signed meanwhile (in another window): what was written is offered as an
    amendment rather than dropped."""
    messages.error(
        request,
        "This note was already signed, so it can't be changed. What you wrote is below as an "
        "amendment: add it, or copy what you need.",
    )
    amend_form = AmendmentForm(initial={"text": text})
    amend_form.mark_restored()
    return _note_page(request, request_id, booking_id, amend_form=amend_form, status=409)


def _write_note(
    request: HttpRequest, request_id: int, booking_id: int, *, sign: bool
) -> HttpResponse:
    """Save (or save and sign) the text posted from the note page. Whatever goes wrong, the
    page comes back with that text in it."""
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    booking = selectors.get_session_for(found, booking_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _note_page(request, request_id, booking_id, form=form, status=400)
    write = services.sign_note if sign else services.save_draft
    try:
        write(
            therapist=therapist, client=found, booking=booking,
            text=form.cleaned_data["text"], request=request,
        )  # fmt: skip
    except SignedNoteError:
        return _already_signed(request, request_id, booking_id, text=form.cleaned_data["text"])
    except services.NoteError as error:
        form.add_error("text", str(error))
        return _note_page(request, request_id, booking_id, form=form, status=400)
    if sign:
        messages.success(request, "Signed. From now on it can only be amended.")
    else:
        messages.success(request, "Draft saved.")
    return redirect("practice:note", request_id, booking_id)


@drafts.keeps_draft(page="practice:note", form="note", field="text")
@never_cache
@require_http_methods(["GET", "POST"])
@therapist_required
def note(request: HttpRequest, request_id: int, booking_id: int) -> HttpResponse:
    if request.method == "GET":
        return _note_page(request, request_id, booking_id)
    return _write_note(request, request_id, booking_id, sign=False)


@drafts.keeps_draft(page="practice:note", form="note", field="text")
@never_cache
@require_POST
@therapist_required
def sign(request: HttpRequest, request_id: int, booking_id: int) -> HttpResponse:
    """Sign the text on screen (posted with the button), saved and signed in one step."""
    return _write_note(request, request_id, booking_id, sign=True)


@drafts.keeps_draft(page="practice:note", form="amendment", field="text")
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
        body = fhir.to_json(exports.scores_bundle(found, selectors.shared_checkins(found)))
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


# --- measurement plans (therapist) -----------------------------------------------------------


@require_POST
@therapist_required
def start_plan(request: HttpRequest, request_id: int) -> HttpResponse:
    therapist = signed_in_user(request)
    found = selectors.get_client_for(therapist, request_id)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.start_plan(
                therapist=therapist, client=found, instrument=form.cleaned_data["instrument"],
                cadence=form.cleaned_data["cadence"], request=request,
            )  # fmt: skip
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Plan started. Your client gets an e-mail when each check-in is due."
            )
            return redirect("practice:client", request_id)
    # The chart again, with the form's errors: a read of the record, logged like any other.
    with transaction.atomic():
        found = _read_client(request, request_id, action="view_chart")
        return render(
            request, "practice/client.html", _chart_context(found, plan_form=form), status=400
        )


@require_POST
@therapist_required
def stop_plan(request: HttpRequest, request_id: int, plan_id: int) -> HttpResponse:
    therapist = signed_in_user(request)
    with transaction.atomic():
        found = selectors.get_client_for(therapist, request_id)
        plan = selectors.get_plan_for(found, plan_id)
        try:
            services.stop_plan(therapist=therapist, client=found, plan=plan, request=request)
        except services.PlanError as error:
            messages.error(request, str(error))
            return redirect("practice:client", request_id)
    messages.success(request, "Plan stopped. Your client won't be asked for this check-in again.")
    return redirect("practice:client", request_id)


# --- check-ins asked for (seeker) ------------------------------------------------------------


@never_cache
@require_GET
@seeker_required
def asked(request: HttpRequest) -> HttpResponse:
    seeker = signed_in_user(request)
    return render(
        request,
        "practice/asked.html",
        {
            "rows": selectors.asked_rows(seeker, now=timezone.now()),
            "done": list(selectors.recently_completed_for(seeker)),
        },
    )


def _closed(
    request: HttpRequest, invitation: CheckInInvitation, instrument_id: str
) -> HttpResponse | None:
    """Where to send someone whose invitation is done or no longer asked for; None if open."""
    if invitation.is_completed:
        note = "You have already done this check-in. Thank you."
        target = (
            reverse("checkins:detail", args=[invitation.checkin_id])
            if invitation.checkin_id is not None
            else reverse("practice:asked")
        )
    elif not selectors.is_open(invitation, now=timezone.now()):
        note = "That check-in is no longer needed. Nothing else to do."
        target = reverse("practice:asked")
    else:
        return None
    if signal_in(request, instrument_id=instrument_id) is not None:
        return _kept_privately(request, instrument_id, note)
    messages.info(request, note)
    return redirect(target)


def _kept_privately(request: HttpRequest, instrument_id: str, note: str) -> HttpResponse:
    """Answers with a risk answer that can't go to this invitation are never dropped for a
    redirect: the person's own check-in pages show them, crisis response first, shared with
    nobody (they may still save them to their own account)."""
    messages.info(request, f"{note} These answers are not shared with your therapist.")
    return checkin_pages.take_flow(request, instrument_id)


def _flow(invitation: CheckInInvitation) -> dict[str, str]:
    """What the check-ins app's pages say and where they post, for a check-in asked for."""
    return {
        "form_action": reverse("practice:asked_take", args=[invitation.pk]),
        "save_action": reverse("practice:asked_save", args=[invitation.pk]),
        "save_label": "Save and share with my therapist",
        "save_note": (
            "Your therapist asked for this check-in. Saving keeps it in your account and shows "
            "your therapist the scores, never your answers. If you leave without saving, "
            "nothing is stored or shared."
        ),
        "leave_url": reverse("practice:asked"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@seeker_required
def asked_take(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(signed_in_user(request), invitation_id)
    closed = _closed(request, invitation, invitation.plan.instrument)
    if closed is not None:
        return closed
    # The check-ins app's own pages: same questions, scoring and crisis block.
    return checkin_pages.take_flow(request, invitation.plan.instrument, flow=_flow(invitation))


@never_cache
@require_POST
@seeker_required
def asked_save(request: HttpRequest, invitation_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    invitation = selectors.get_invitation_for(seeker, invitation_id)
    closed = _closed(
        request, invitation, request.POST.get(INSTRUMENT_FIELD) or invitation.plan.instrument
    )
    if closed is not None:
        return closed
    _, submission, page = checkin_pages.read_carried(request, flow=_flow(invitation))
    if submission is None:
        assert page is not None
        return page
    try:
        checkin = services.complete_invitation(
            seeker=seeker, invitation=invitation, submission=submission, request=request
        )
    except services.PlanError as error:
        if signal_in(request, instrument_id=submission.instrument_id) is not None:
            return _kept_privately(request, submission.instrument_id, str(error))
        messages.error(request, str(error))
        return redirect("practice:asked")
    messages.success(request, "Saved to your account and shared with your therapist.")
    return redirect("checkins:detail", checkin_id=checkin.pk)
