"""Check-in pages. Thin: parse the form, check access, call a selector or service, render.

Anonymous check-ins are scored and shown in the same response and never written anywhere:
the answers travel in the results page's own form (hidden fields) and are re-checked and
re-scored on the server whenever they come back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.checkins import content, exports, fhir, forms, selectors, services, words
from holdspace.checkins.models import CheckIn
from holdspace.checkins.presenters import results_for, summary_text
from holdspace.core.instruments import INSTRUMENT_IDS, SELF_HARM, instrument
from holdspace.crisis import Signal, signal_in

seeker_required = role_required(Role.SEEKER)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _default_word(request: HttpRequest) -> str:
    user = _user(request)
    return words.word_for(user.profession) if user is not None else words.GENERIC_WORD


def _credit(instrument_id: str) -> dict[str, Any]:
    inst = instrument(instrument_id)
    return {
        "name": content.INSTRUMENTS[instrument_id].short_name,
        "title": inst.name,
        "credit_line": inst.credit_line,
        "terms": inst.terms,
        "url": inst.license_url,
    }


def _pending_for(request: HttpRequest) -> selectors.Pending | None:
    user = _user(request)
    return selectors.peek_pending(request.session) if user and user.is_seeker else None


# --- taking a check-in ---------------------------------------------------------------------


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    cards = []
    for instrument_id in INSTRUMENT_IDS:
        inst = instrument(instrument_id)
        optional = sum(1 for item in inst.items if item.show_if)
        cards.append(
            {
                "id": instrument_id,
                "copy": content.INSTRUMENTS[instrument_id],
                "questions": len(inst.items) - optional,
                "optional": optional,
                "minutes": forms.minutes(inst),
                "period": inst.period,
                "credit": _credit(instrument_id),
            }
        )
    return render(
        request,
        "checkins/start.html",
        {
            "cards": cards,
            "words": words.PROFESSION_WORDS,
            "default_word": _default_word(request),
            "pending": _pending_for(request),
        },
    )


def _unknown_instrument(request: HttpRequest) -> HttpResponse:
    choices = [(i, content.INSTRUMENTS[i].short_name) for i in INSTRUMENT_IDS]
    context = {"choices": choices, "crisis": signal_in(request)}
    return render(request, "checkins/unknown.html", context, status=404)


def _form_page(
    request: HttpRequest,
    instrument_id: str,
    *,
    answers: dict[str, int],
    problems: forms.Problems,
    word: str,
    status: int = 200,
    flow: Mapping[str, Any] | None = None,
    crisis: Signal | None = None,
) -> HttpResponse:
    """The questions; sent back with problems, a risk answer among them puts the crisis
    response first (it owns the h1), then the problems, then every answer kept."""
    inst = instrument(instrument_id)
    items = forms.item_views(inst, answers=answers, problems=problems, profession_word=word)
    heading = 2 if crisis else 1
    return render(
        request,
        "checkins/take.html",
        {
            "crisis": crisis,
            "heading": heading,
            "subheading": heading + 1,
            "instrument_field": forms.INSTRUMENT_FIELD,
            "instrument_id": instrument_id,
            "copy": content.INSTRUMENTS[instrument_id],
            "instructions": forms.item_text(inst, inst.instructions, word)
            if inst.instructions
            else None,
            "items": items,
            "errors": [item for item in items if item.error],
            "general_errors": problems.general,
            "questions": len(items),
            "optional": sum(1 for item in items if item.note),
            "main_questions": sum(1 for item in items if not item.note),
            "all_required": all(item.required or item.note for item in items),
            "minutes": forms.minutes(inst),
            "word": word,
            "uses_word": bool(inst.placeholders),
            "credit": _credit(instrument_id),
            **(flow or {}),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, instrument_id: str) -> HttpResponse:
    return take_flow(request, instrument_id)


def take_flow(
    request: HttpRequest, instrument_id: str, *, flow: Mapping[str, Any] | None = None
) -> HttpResponse:
    """The questions on GET; the results (crisis block first) or the questions again on POST.

    ``flow`` lets another app run these same pages for its own purpose (a check-in a therapist
    asked for): it is added to the pages' context and may set ``form_action`` and
    ``save_action`` (where the forms post), ``save_note``, ``save_label`` and ``leave_url``."""
    if instrument_id not in INSTRUMENT_IDS:
        return _unknown_instrument(request)
    inst = instrument(instrument_id)
    if request.method == "POST":
        # Read before anything else is checked: a risk answer is acted on whatever is wrong.
        crisis = signal_in(request, instrument_id=instrument_id)
        submission, kept, problems = forms.read(instrument_id, request.POST)
        if submission is not None:
            return _results_page(request, submission, flow=flow, crisis=crisis)
        word = forms.profession_word_for(inst, request.POST.get("word"), _default_word(request))
        return _form_page(
            request, instrument_id, answers=kept, problems=problems, word=word, status=400,
            flow=flow, crisis=crisis,
        )  # fmt: skip
    word = forms.profession_word_for(inst, request.GET.get("word"), _default_word(request))
    return _form_page(
        request, instrument_id, answers={}, problems=forms.Problems(), word=word, flow=flow
    )


def _results_context(
    *, instrument_id: str, scales: dict[str, float], bands: dict[str, str | None], self_harm: bool
) -> dict[str, Any]:
    # With the crisis block first, it owns the page's h1 and the results move down a level.
    heading = 2 if self_harm else 1
    return {
        "results": results_for(instrument_id, scales, bands),
        "self_harm": self_harm,
        "crisis": Signal.CHECK_IN if self_harm else None,
        "heading": heading,
        "subheading": heading + 1,
        "credit": _credit(instrument_id),
        "content": content,
    }


def _crisis_for(request: HttpRequest, submission: forms.Submission) -> Signal | None:
    """The risk in a valid submission: its score's flag, or anything else the request carried
    (the core's rule reads every copy of a repeated field; the score reads the last)."""
    if SELF_HARM in submission.score.flags:
        return Signal.CHECK_IN
    return signal_in(request, instrument_id=submission.instrument_id)


def _results_page(
    request: HttpRequest,
    submission: forms.Submission,
    *,
    flow: Mapping[str, Any] | None = None,
    crisis: Signal | None = None,
) -> HttpResponse:
    """Results in the same response as the answers: the crisis block, if any, comes first."""
    user = _user(request)
    crisis = Signal.CHECK_IN if SELF_HARM in submission.score.flags else crisis
    context = _results_context(
        instrument_id=submission.instrument_id,
        scales=submission.score.scales,
        bands=submission.score.bands,
        self_harm=crisis is not None,
    )
    context["crisis"] = crisis
    context.update(
        submission=submission,
        hidden_fields=submission.hidden_fields(),
        can_save=user is None or user.is_seeker,
        signed_in_seeker=user is not None and user.is_seeker,
    )
    context.update(flow or {})
    return render(request, "checkins/results.html", context)


# --- saving --------------------------------------------------------------------------------


def _read_carried(
    request: HttpRequest, *, flow: Mapping[str, Any] | None = None
) -> tuple[str, forms.Submission | None, HttpResponse | None]:
    """The answers a results page carried back, re-validated; or a page to show instead."""
    instrument_id = request.POST.get(forms.INSTRUMENT_FIELD, "")
    if instrument_id not in INSTRUMENT_IDS:
        return instrument_id, None, _unknown_instrument(request)
    submission, kept, problems = forms.read(instrument_id, request.POST)
    if submission is None:
        inst = instrument(instrument_id)
        word = forms.profession_word_for(inst, request.POST.get("word"), _default_word(request))
        page = _form_page(
            request, instrument_id, answers=kept, problems=problems, word=word, status=400,
            flow=flow, crisis=signal_in(request, instrument_id=instrument_id),
        )  # fmt: skip
        return instrument_id, None, page
    return instrument_id, submission, None


# The save step's reading, for another app's flow (see take_flow).
read_carried = _read_carried


@never_cache
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    _, submission, page = _read_carried(request)
    if submission is None:
        assert page is not None
        return page
    user = _user(request)
    crisis = _crisis_for(request, submission)
    if user is None:
        # Nothing is held yet: the next page asks whether to keep the answers while they sign in.
        return render(
            request,
            "checkins/save_signin.html",
            {
                "submission": submission,
                "hidden_fields": submission.hidden_fields(),
                "short_name": content.INSTRUMENTS[submission.instrument_id].short_name,
                "hours": settings.SESSION_COOKIE_AGE // 3600,
                "crisis": crisis,
            },
        )
    if not user.is_seeker:
        return render(request, "checkins/not_saved.html", {"crisis": crisis}, status=403)
    checkin = services.save_checkin(user=user, submission=submission)
    messages.success(request, "Saved to your account.")
    return redirect("checkins:detail", checkin_id=checkin.pk)


@never_cache
@require_POST
def hold(request: HttpRequest) -> HttpResponse:
    """The anonymous person chose to keep their answers in the session while they sign in."""
    if _user(request) is not None:
        return save(request)
    _, submission, page = _read_carried(request)
    if submission is None:
        assert page is not None
        return page
    services.hold_pending(session=request.session, submission=submission)
    target = "account_signup" if request.POST.get("then") == "sign_up" else "account_login"
    query = urlencode({"next": reverse("checkins:resume")})
    return redirect(f"{reverse(target)}?{query}")


@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    pending = selectors.peek_pending(request.session)
    if request.method == "POST":
        if request.POST.get("action") == "save":
            checkin = services.save_pending(user=signed_in_user(request), session=request.session)
            if checkin is not None:
                messages.success(request, "Saved to your account.")
                return redirect("checkins:detail", checkin_id=checkin.pk)
        else:
            services.clear_pending(session=request.session)
            messages.info(request, "Those answers are gone; nothing was saved.")
        return redirect("checkins:history")
    if pending is None:
        return redirect("checkins:history")
    context = _results_context(
        instrument_id=pending.submission.instrument_id,
        scales=pending.submission.score.scales,
        bands=pending.submission.score.bands,
        self_harm=SELF_HARM in pending.submission.score.flags,
    )
    context["pending"] = pending
    return render(request, "checkins/resume.html", context)


# --- history -------------------------------------------------------------------------------


@never_cache
@seeker_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    saved = list(selectors.checkins_for(user))
    latest_phq9 = next((c for c in saved if c.instrument == "phq9"), None)
    return render(
        request,
        "checkins/history.html",
        {
            "checkins": saved,
            "rows": _rows(saved),
            "trends": selectors.trends_for(user),
            "pending": _pending_for(request),
            "self_harm": bool(latest_phq9 and latest_phq9.self_harm),
        },
    )


@never_cache
@seeker_required
@require_GET
def print_summary(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    saved = list(selectors.checkins_for(user))
    used = {checkin.instrument for checkin in saved}
    return render(
        request,
        "checkins/print.html",
        {
            "checkins": saved,
            "rows": _rows(saved),
            "trends": selectors.trends_for(user),
            "credits": [_credit(i) for i in INSTRUMENT_IDS if i in used],
            "now": timezone.now(),
        },
    )


def _rows(checkins: list[CheckIn]) -> list[dict[str, Any]]:
    return [
        {
            "checkin": checkin,
            "name": content.INSTRUMENTS[checkin.instrument].short_name,
            "summary": summary_text(checkin.instrument, checkin.scales),
        }
        for checkin in checkins
    ]


def _answer_rows(checkin: CheckIn) -> list[tuple[int, str, str]]:
    inst = instrument(checkin.instrument)
    rows = []
    for number, item in enumerate(inst.items, start=1):
        value = checkin.answers.get(item.id)
        label = next((o.label for o in item.options if o.value == value), "Not answered")
        rows.append((number, forms.item_text(inst, item.text, checkin.profession_word), label))
    return rows


@never_cache
@seeker_required
@require_GET
def detail(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = selectors.get_checkin_for(signed_in_user(request), checkin_id)
    context = _results_context(
        instrument_id=checkin.instrument,
        scales=checkin.scales,
        bands=checkin.bands,
        self_harm=checkin.self_harm,
    )
    context.update(checkin=checkin, answer_rows=_answer_rows(checkin))
    return render(request, "checkins/detail.html", context)


@never_cache
@seeker_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = selectors.get_checkin_for(signed_in_user(request), checkin_id)
    if request.method == "POST":
        services.delete_checkin(checkin=checkin)
        messages.success(request, "That check-in has been deleted.")
        return redirect("checkins:history")
    name = content.INSTRUMENTS[checkin.instrument].short_name
    return render(request, "checkins/delete.html", {"checkin": checkin, "name": name})


# --- exports -------------------------------------------------------------------------------


def _download(body: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@seeker_required
@require_GET
def export_checkin_fhir(request: HttpRequest, checkin_id: int) -> HttpResponse:
    user = signed_in_user(request)
    checkin = selectors.get_checkin_for(user, checkin_id)
    day = timezone.localtime(checkin.taken_at).date().isoformat()
    return _download(
        fhir.to_json(fhir.bundle([checkin], subject=fhir.own_subject(user))),
        content_type="application/fhir+json",
        filename=f"holdspace-{checkin.instrument}-{day}.fhir.json",
    )


@never_cache
@seeker_required
@require_GET
def export_history_fhir(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    saved = selectors.checkins_for(user).order_by("taken_at", "pk")
    return _download(
        fhir.to_json(fhir.bundle(saved, subject=fhir.own_subject(user))),
        content_type="application/fhir+json",
        filename="holdspace-check-ins.fhir.json",
    )


@never_cache
@seeker_required
@require_GET
def export_history_csv(request: HttpRequest) -> HttpResponse:
    saved = selectors.checkins_for(signed_in_user(request)).order_by("taken_at", "pk")
    return _download(
        exports.csv_text(saved),
        content_type="text/csv; charset=utf-8",
        filename="holdspace-check-ins.csv",
    )
