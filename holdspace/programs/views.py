"""Program pages: thin views over ``selectors`` (permission-checked reads), ``services`` (writes)
and ``reports`` (aggregates). Coordinators reach their own programs only (404 otherwise) and
never a page that lists people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role
from holdspace.confirmation import Review
from holdspace.crisis import signal_in
from holdspace.matching import services as matching_services
from holdspace.matching.answers import CRISIS_CHOICE, Answers, Needs, Where
from holdspace.matching.forms import NeedsForm, WhereForm
from holdspace.programs import reports, selectors, services
from holdspace.programs.forms import (
    CapacityForm,
    EditProgramForm,
    EnrollForm,
    InvitationForm,
    ProgramForm,
    SharingForm,
)
from holdspace.programs.models import AllocationRun, EnrollmentStatus, Organisation

coordinator_required = role_required(Role.COORDINATOR)
therapist_required = role_required(Role.THERAPIST)
seeker_required = role_required(Role.SEEKER)
signed_in = role_required(*Role.values)


# --- everyone: the programs page of their role --------------------------------------------------


@never_cache
@signed_in
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if user.role == Role.COORDINATOR:
        # The coordinator's home: each program with the report's figures and its last run.
        today = timezone.localdate()
        programs = list(selectors.programs_for(user))
        for program in programs:
            services.sync_placements(program=program)  # as the report does, so they agree
        return render(
            request,
            "programs/coordinator_home.html",
            {
                "overviews": [
                    (reports.overview(program), program.status_on(today)) for program in programs
                ],
                "today": today,
                "can_create": _organisations(request).exists(),
            },
        )
    if user.role == Role.THERAPIST:
        places = list(selectors.places_for(user))
        for place in places:
            services.sync_placements(program=place.program)
        return render(
            request,
            "programs/therapist_home.html",
            {"places": [(p, selectors.program_requests(p)) for p in places]},
        )
    if user.role == Role.SEEKER:
        return render(
            request,
            "programs/seeker_home.html",
            {"enrollments": selectors.enrollments_for(user), "today": timezone.localdate()},
        )
    return render(request, "programs/seeker_home.html", {"enrollments": []})


# --- coordinators -------------------------------------------------------------------------------


def _organisations(request: HttpRequest) -> Any:
    return Organisation.objects.filter(memberships__user=signed_in_user(request))


def _program_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: data[key]
        for key in ("name", "description", "starts", "ends", "jurisdictions",
                    "session_allowance", "sponsor_paid")
    }  # fmt: skip


@never_cache
@coordinator_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = ProgramForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                organisation=form.cleaned_data["organisation"], **_program_fields(form.cleaned_data)
            )
        except services.ProgramError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Program created. Share its code with the people it's for.")
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@never_cache
@coordinator_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.get_program_for(signed_in_user(request), program_id)
    initial = {
        "organisation": program.organisation, "name": program.name,
        "description": program.description, "starts": program.starts, "ends": program.ends,
        "jurisdictions": program.jurisdictions, "session_allowance": program.session_allowance,
        "sponsor_paid": program.sponsor_paid, "active": program.active,
    }  # fmt: skip
    form = EditProgramForm(
        request.POST or None,
        initial=initial,
        organisations=Organisation.objects.filter(pk=program.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(
                program=program,
                active=form.cleaned_data["active"],
                **_program_fields(form.cleaned_data),
            )
        except services.ProgramError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Saved.")
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@never_cache
@coordinator_required
def detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.get_program_for(signed_in_user(request), program_id)
    latest = AllocationRun.objects.filter(program=program).first()
    now = timezone.now()
    invitations = selectors.invitations_for(program, now=now)
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "status": program.status_on(timezone.localdate(now)),
            "starts_later": program.starts_later(timezone.localdate(now)),
            "latest": latest,
            "summary": reports.run_summary(latest) if latest else None,
            "places": reports.capacity_summary(program),
            "invitations": invitations,
            "invitation_counts": selectors.invitation_counts(invitations),
            "enroll_link": services.enroll_link(),
        },
    )


@never_cache
@coordinator_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.get_program_for(signed_in_user(request), program_id)
    form = InvitationForm(request.POST or None)
    link = ""
    if request.method == "POST" and form.is_valid():
        _, token = services.create_invitation(program=program, email=form.cleaned_data["email"])
        link = services.invitation_link(token)
        form = InvitationForm()
    return render(request, "programs/invite.html", {"program": program, "form": form, "link": link})


ALLOCATE = "allocate"
REJECTED = (
    "The allocation didn't pass its safety check, so nothing was sent. "
    "The Holdspace team has been told."
)


def _run_message(outcome: services.RunOutcome) -> tuple[int, str]:
    """What a finished run did, honestly: "offers go out" only when offers were made."""
    if outcome.considered == 0:
        return messages.INFO, "Nobody was waiting to be placed, so no offers were sent."
    if outcome.placed == 0:
        why = (
            "the therapists it proposed couldn't take them on a final check"
            if outcome.refused
            else "no free place fit their needs without a tie to their world"
        )
        return messages.WARNING, (
            f"Allocation finished, but no one could be offered a therapist: {why}. "
            "Everyone stays on the waiting list, and allocation tries again every night."
        )
    text = "Allocation finished. Offers go out by email."
    if outcome.refused:
        text += (
            " Some proposed offers couldn't go ahead on a final check; "
            "those people stay on the waiting list."
        )
    elif outcome.waiting:
        text += " Those not placed stay on the waiting list."
    return messages.SUCCESS, text


@never_cache
@coordinator_required
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, program_id: int) -> HttpResponse:
    """Review the dry run's figures, then "Run and send offers". The run goes ahead only if it
    would make exactly the offers reviewed; otherwise the new figures are shown."""
    user = signed_in_user(request)
    program = selectors.get_program_for(user, program_id)
    problem, status = None, 200
    if request.method == "POST":
        proposal = request.POST.get("proposal", "")
        problem = Review(ALLOCATE, user.pk, program.pk, {"proposal": proposal}).problem_in(request)
        status = 400 if problem else 200
        if problem is None:
            try:
                outcome = services.run_allocation(
                    program=program, trigger=AllocationRun.Trigger.COORDINATOR, expect=proposal
                )
            except services.ProposalChanged as changed:
                problem = changed.message
            except services.NotStarted as not_started:
                messages.error(request, not_started.message)
                return redirect("programs:detail", program_id=program.pk)
            except services.AllocationRejected:
                messages.error(request, REJECTED)
                return redirect("programs:detail", program_id=program.pk)
            else:
                level, text = _run_message(outcome)
                messages.add_message(request, level, text)
                return redirect("programs:detail", program_id=program.pk)
    try:
        proposed = services.run_allocation(program=program, dry_run=True)
    except services.AllocationRejected:
        messages.error(request, REJECTED)
        return redirect("programs:detail", program_id=program.pk)
    counts = reports.counts_summary(
        considered=proposed.considered, placed=proposed.placed, waiting=proposed.waiting
    )
    stats = proposed.allocation.stats
    review = Review(ALLOCATE, user.pk, program.pk, {"proposal": proposed.fingerprint})
    return render(
        request,
        "programs/run_review.html",
        {
            "program": program,
            "proposed": proposed,
            "counts": counts,
            "fit": reports.fit_summary(
                placed_shown=counts["placed"] is not None,
                total_fit=stats.total_fit,
                lp_bound=stats.lp_bound,
                min_fit=stats.min_fit,
            ),
            "proposal": proposed.fingerprint,
            "review": review.token(),
            "starts_later": program.starts_later(timezone.localdate()),
            "problem": problem,
        },
        status=status,
    )


@never_cache
@coordinator_required
def report(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.get_program_for(signed_in_user(request), program_id)
    services.sync_placements(program=program)
    return render(
        request,
        "programs/report.html",
        {"program": program, "report": reports.program_report(program)},
    )


@never_cache
@coordinator_required
def report_csv(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.get_program_for(signed_in_user(request), program_id)
    services.sync_placements(program=program)
    response = HttpResponse(
        reports.report_csv(reports.program_report(program)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="program-{program.pk}-report.csv"'
    return response


# --- therapists ----------------------------------------------------------------------------------


@never_cache
@therapist_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation(token, now=timezone.now())
    if invitation is None:
        return render(request, "programs/join_invalid.html", status=404)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(
                token=token, therapist=signed_in_user(request),
                capacity=form.cleaned_data["capacity"],
            )  # fmt: skip
        except services.ProgramError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"You've joined {invitation.program.name}.")
            return redirect("programs:home")
    program = invitation.program
    return render(
        request,
        "programs/join.html",
        {
            "program": program,
            "form": form,
            "token": token,
            "starts_later": program.starts_later(timezone.localdate()),
        },
    )


@therapist_required
@require_POST
def decline_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation(token, now=timezone.now())
    if invitation is None:
        return render(request, "programs/join_invalid.html", status=404)
    try:
        services.decline_invitation(token=token, therapist=signed_in_user(request))
    except services.ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Thank you for letting them know. The coordinator of {invitation.program.name} "
            "sees that you declined; nothing else changes.",
        )
    return redirect("programs:home")


@therapist_required
@require_POST
def leave_place(request: HttpRequest, place_id: int) -> HttpResponse:
    place = selectors.get_place_for(signed_in_user(request), place_id)
    services.leave_as_therapist(place=place)
    messages.success(
        request, f"You've left {place.program.name}. Requests already sent to you stay open."
    )
    return redirect("programs:home")


# --- seekers -------------------------------------------------------------------------------------


@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest) -> HttpResponse:
    form = EnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enroll(
                seeker=signed_in_user(request),
                code=form.cleaned_data["code"],
                need=form.cleaned_data["need"],
                share_outcomes=form.cleaned_data["share_outcomes"],
            )
        except services.ProgramError as error:
            form.add_error("code" if error.message == services.WRONG_CODE else None, error.message)
        else:
            program = enrollment.program
            later = (
                f" It starts on {date_format(program.starts, 'j F')}; placements begin then."
                if program.starts_later(timezone.localdate())
                else ""
            )
            messages.success(request, f"You're enrolled in {program.name}.{later}")
            return redirect("programs:answers", enrollment_id=enrollment.pk)
    return render(request, "programs/enroll.html", {"form": form})


def _where_initial(answers: Answers | None) -> dict[str, Any]:
    if answers is None or answers.where is None:
        return {}
    where = answers.where
    miles = round(where.max_km / 1.609344) if where.max_km else ""
    return {"location": where.location, "formats": where.formats, "zip": where.zip,
            "max_miles": str(miles)}  # fmt: skip


def _needs_initial(answers: Answers | None, profession: str) -> dict[str, Any]:
    if answers is None or answers.needs is None:
        return {"profession": profession}
    n = answers.needs
    return {"concerns": n.concerns, "modalities": n.modalities, "max_fee": n.max_fee,
            "language": n.language, "profession": n.profession}  # fmt: skip


@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def answers(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The Find answers (where, what you need), with the Find flow's own forms, saved as the
    seeker's saved answers. Places and people to keep away are on the "Your world" page."""
    seeker = signed_in_user(request)
    enrollment = selectors.get_enrollment_for(seeker, enrollment_id)
    saved = matching_services.saved_answers(user=seeker)
    # A risk signal is acted on in this very response, whatever else the form says.
    crisis = signal_in(request) is not None
    just_saved = False
    if request.method == "POST":
        where_form = WhereForm(request.POST, prefix="where")
        needs_form = NeedsForm(request.POST, prefix="needs")
        if where_form.is_valid() and needs_form.is_valid():
            w, n = where_form.cleaned_data, needs_form.cleaned_data
            answers = Answers(
                where=Where(
                    location=w["location"],
                    formats=w["formats"],
                    zip=w["zip"],
                    max_km=where_form.max_km(),
                ),
                needs=Needs(
                    concerns=[c for c in n["concerns"] if c != CRISIS_CHOICE],
                    modalities=n["modalities"],
                    max_fee=n["max_fee"],
                    language=n["language"],
                    profession=n["profession"],
                ),
                world_done=True,
            )
            try:
                services.save_enrollment_answers(enrollment=enrollment, answers=answers)
            except services.ProgramError as error:
                where_form.add_error("location", error.message)
            else:
                if not crisis:
                    messages.success(request, "Saved. We'll look for a place for you.")
                    return redirect("programs:enrollment", enrollment_id=enrollment.pk)
                just_saved = True  # said after the crisis resources, on this page
    else:
        where_form = WhereForm(prefix="where", initial=_where_initial(saved))
        needs_form = NeedsForm(prefix="needs", initial=_needs_initial(saved, seeker.profession))
    return render(
        request,
        "programs/answers.html",
        {
            "enrollment": enrollment,
            "where_form": where_form,
            "needs_form": needs_form,
            "crisis": crisis,
            "just_saved": just_saved,
            "profession": seeker.profession,
            "saved": enrollment.find_profile_id is not None,
        },
    )


@never_cache
@seeker_required
def enrollment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    enrollment = selectors.get_enrollment_for(seeker, enrollment_id)
    services.sync_placements(program=enrollment.program)
    enrollment.refresh_from_db()
    return render(
        request,
        "programs/enrollment.html",
        {
            "enrollment": enrollment,
            "program": enrollment.program,
            "placement": selectors.active_placement(enrollment),
            "starts_later": enrollment.program.starts_later(timezone.localdate()),
            "outside": selectors.outside_program(enrollment),
            "sharing_form": SharingForm(initial={"share_outcomes": enrollment.share_outcomes}),
            "Status": EnrollmentStatus,
        },
    )


@seeker_required
@require_POST
def decline(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    enrollment = selectors.get_enrollment_for(seeker, enrollment_id)
    try:
        services.decline_offer(seeker=seeker, enrollment=enrollment)
    except services.ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Declined. You're back on the waiting list; we'll keep trying.")
    return redirect("programs:enrollment", enrollment_id=enrollment.pk)


@seeker_required
@require_POST
def leave(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    enrollment = selectors.get_enrollment_for(seeker, enrollment_id)
    services.leave_program(seeker=seeker, enrollment=enrollment)
    messages.success(request, f"You've left {enrollment.program.name}.")
    return redirect("programs:home")


@seeker_required
@require_POST
def sharing(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    enrollment = selectors.get_enrollment_for(seeker, enrollment_id)
    form = SharingForm(request.POST)
    share = form.is_valid() and bool(form.cleaned_data["share_outcomes"])
    services.set_sharing(enrollment=enrollment, share=share)
    messages.success(request, "Saved your choice about sharing.")
    return redirect("programs:enrollment", enrollment_id=enrollment.pk)
