"""Consultation requests, threads and reveals: thin views over ``selectors`` (permission-checked
reads) and ``services`` (writes). Only the request's two parties ever get a page (404 else)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from holdspace.accounts import drafts
from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.accounts.ratelimit import rate_limited
from holdspace.confirmation import Review
from holdspace.directory.selectors import get_listed_profile
from holdspace.matching import answers as find_answers
from holdspace.matching import services as matching_services
from holdspace.matching.answers import Answers
from holdspace.matching.selectors import saved_world
from holdspace.numbers import small_int
from holdspace.outreach import selectors, services
from holdspace.outreach.forms import DeclineForm, MessageForm, RequestForm, RevealForm
from holdspace.outreach.models import ConsultationRequest, Reveal, Status

seeker_required = role_required(Role.SEEKER)
therapist_required = role_required(Role.THERAPIST)


def _find_answers(request: HttpRequest, seeker: User) -> Answers | None:
    """This session's Find answers, else the seeker's saved ones (both screens answered). The
    world is always the saved one: another tab or device may have changed it since."""
    answers = find_answers.load(request.session)
    if answers.where is None or answers.needs is None:
        answers = matching_services.saved_answers(user=seeker) or answers
    if answers.where is None or answers.needs is None:
        return None
    answers.world = saved_world(seeker)
    return answers


def _draft(req: ConsultationRequest) -> dict[str, str]:
    return {
        "profession": req.profession,
        "setting": req.setting,
        "situation": req.situation,
        "preferred_times": req.preferred_times,
    }


def _next(seeker: User, answers: Answers | None) -> list[Any]:
    if answers is None:
        return []
    now = timezone.now()
    return selectors.next_matches(
        seeker=seeker, answers=answers, today=timezone.localdate(now), now=now
    )


@rate_limited("outreach_request")
@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, profile_id: int) -> HttpResponse:
    seeker = signed_in_user(request)
    profile = get_listed_profile(profile_id=profile_id, today=timezone.localdate())
    answers = _find_answers(request, seeker)
    if answers is None:
        # The detour keeps the seeker's intent: after Find they come back to this form (each
        # Find screen says so).
        find_answers.remember_reach_out(request.session, profile.pk)
        return redirect("matching:start")
    if request.method == "GET" and not selectors.request_possible(
        seeker=seeker, profile=profile, answers=answers, now=timezone.now()
    ):
        # Said before anything is written, in the same words whatever the rule (licensure,
        # not accepting, or a tie nobody may learn of).
        return render(
            request,
            "outreach/refused.html",
            {"profile": profile, "matches": _next(seeker, answers), "draft": {}},
        )
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                sent = services.send_request(
                    seeker=seeker, profile=profile, answers=answers, **form.cleaned_data
                )
            except services.NotAvailable as refusal:
                return render(
                    request,
                    "outreach/refused.html",
                    {
                        "refusal": refusal.message,
                        "matches": _next(seeker, answers),
                        "draft": form.cleaned_data,
                    },
                )
            except services.OutreachError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Sent. They have 72 hours to answer; we'll email you.")
                return redirect("outreach:detail", request_id=sent.pk)
    else:
        initial: dict[str, str] = {"profession": seeker.profession}
        earlier = small_int(request.GET.get("from", ""))
        if earlier is not None:
            previous = selectors.get_request_for(seeker, earlier)
            if previous.seeker_id == seeker.pk:
                initial = _draft(previous)
        form = RequestForm(initial=initial)
    return render(request, "outreach/new.html", {"form": form, "profile": profile})


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "outreach/inbox.html",
        {
            "requests": selectors.with_unread(selectors.requests_for(user), user),
            "as_therapist": user.is_therapist,
            "now": timezone.now(),
        },
    )


def _reveal(req: ConsultationRequest) -> Reveal | None:
    return Reveal.objects.filter(request=req).first()


def _shown_name(req: ConsultationRequest) -> str:
    reveal = _reveal(req)
    return reveal.legal_name if reveal else req.seeker.pseudonym


@never_cache
@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_for(user, request_id)
    as_therapist = req.profile.user_id == user.pk
    services.mark_opened(user=user, request=req)
    context: dict[str, Any] = {
        "req": req,
        "unread": selectors.unread_in(user, req),
        "as_therapist": as_therapist,
        "reveal": _reveal(req),
        "seeker_name": _shown_name(req),
    }
    if as_therapist and req.is_open:
        context["decline_form"] = DeclineForm()
    if not as_therapist and req.status in (Status.DECLINED, Status.EXPIRED):
        answers = selectors.load_answers(req.answers) or _find_answers(request, user)
        context |= {"matches": _next(user, answers), "draft": _draft(req)}
    return render(request, "outreach/detail.html", context)


ACCEPT = "accept"


@never_cache
@therapist_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, request_id: int) -> HttpResponse:
    """Accept in two steps: a short page saying what accepting sets in motion, then confirm.
    (A review rather than an undo: the seeker is told at once, and an acceptance taken back
    minutes later would hurt more than one extra tap costs.)"""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, request_id)
    if req.profile.user_id != user.pk:
        return redirect("outreach:detail", request_id=req.pk)
    if not req.is_open:
        messages.info(request, "This request has already been answered or closed.")
        return redirect("outreach:detail", request_id=req.pk)
    review = Review(ACCEPT, user.pk, req.pk)
    problem = None
    if request.method == "POST":
        problem = review.problem_in(request)
        if problem is None:
            try:
                services.accept_request(therapist=user, request=req)
            except services.OutreachError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, "Accepted. We've told them; they can now book a time and write to you."
                )
            return redirect("outreach:detail", request_id=req.pk)
    return render(
        request,
        "outreach/accept_review.html",
        {
            "req": req,
            "seeker_name": _shown_name(req),
            "review": review.token(),
            "problem": problem,
        },
        status=400 if problem else 200,
    )


@therapist_required
@require_POST
def decline(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_for(user, request_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reason to decline.")
        return redirect("outreach:detail", request_id=req.pk)
    try:
        services.decline_request(therapist=user, request=req, **form.cleaned_data)
    except services.OutreachError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Declined. They are offered other therapists at once.")
    return redirect("outreach:detail", request_id=req.pk)


@seeker_required
@require_POST
def withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_for(user, request_id)
    try:
        services.withdraw_request(seeker=user, request=req)
    except services.OutreachError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Withdrawn.")
    return redirect("outreach:detail", request_id=req.pk)


@drafts.keeps_draft(page="outreach:thread", form="message", field="body")
@rate_limited("outreach_message")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_thread_for(user, request_id)
    form = MessageForm()
    # What they were writing when their session timed out, back in the box (and no longer kept).
    kept = (
        drafts.take_kept(user=user, path=request.path, form="message")
        if request.method == "GET"
        else None
    )
    if kept:
        form = MessageForm(initial={"body": kept})
        form.mark_restored()
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.post_message(sender=user, request=req, body=form.cleaned_data["body"])
            except services.OutreachError as error:
                messages.error(request, error.message)
            else:
                return redirect("outreach:thread", request_id=req.pk)
    else:
        services.mark_read(user=user, request=req)
    as_therapist = req.profile.user_id == user.pk
    seeker_name = _shown_name(req)
    return render(
        request,
        "outreach/thread.html",
        {
            "req": req,
            "form": form,
            "thread": selectors.thread_messages(req),
            "as_therapist": as_therapist,
            "seeker_name": seeker_name,
            "other_name": seeker_name if as_therapist else req.profile.display_name,
            # Shown instead of the form: a closed conversation or a closed account.
            "refusal": selectors.message_refusal(req, user),
            "kept": bool(kept),
            # Text that can't be sent (the conversation closed), shown back to copy.
            "unsent": form.data.get("body", "") if form.is_bound else kept or "",
        },
    )


REVEAL = "reveal"


def _reveal_values(form: RevealForm) -> dict[str, str]:
    """What the seeker chose to show, as the review page and its confirm form carry it."""
    data = form.cleaned_data
    return {
        "legal_name": data["legal_name"].strip(),
        "share_email": "on" if data["share_email"] else "",
        "phone": data["phone"].strip(),
    }


@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def reveal(request: HttpRequest, request_id: int) -> HttpResponse:
    """Share who you are, in two steps: choose what to show, then see exactly what the
    therapist will see and confirm. Nothing is shared before the confirm step."""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, request_id)
    if req.seeker_id != user.pk:  # a seeker who is also this request's therapist? never
        return redirect("outreach:detail", request_id=req.pk)
    context: dict[str, Any] = {"req": req, "reveal": _reveal(req)}
    if context["reveal"] is not None and request.method == "POST":
        messages.info(request, "You have already shared who you are with this therapist.")
        return redirect("outreach:detail", request_id=req.pk)
    if request.method != "POST":
        context["form"] = RevealForm(initial={"legal_name": user.legal_name})
        return render(request, "outreach/reveal.html", context)
    form = RevealForm(request.POST)
    step = request.POST.get("step", "")
    if not form.is_valid() or step == "edit":
        return render(request, "outreach/reveal.html", context | {"form": form})
    values = _reveal_values(form)
    review = Review(REVEAL, user.pk, req.pk, values)
    if step == "confirm":
        problem = review.problem_in(request)
        if problem is None:
            try:
                services.reveal_identity(seeker=user, request=req, **form.cleaned_data)
            except services.OutreachError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Shared with {req.profile.display_name} only.")
            return redirect("outreach:detail", request_id=req.pk)
        context["problem"] = problem
    return render(
        request,
        "outreach/reveal_review.html",
        context
        | {
            "values": values,
            "email": user.email,
            "review": review.token(),
        },
        status=400 if context.get("problem") else 200,
    )
