"""The Find flow: three short screens, then a shortlist. Thin views over the session copy of
the answers (``answers``), the selectors (the shortlist) and the services (saving)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.crisis import signal_in
from holdspace.matching import answers as store
from holdspace.matching import selectors, services
from holdspace.matching.answers import CRISIS_CHOICE, Answers, Needs, Person, Place, Where
from holdspace.matching.forms import NeedsForm, StrictnessForm, WhereForm
from holdspace.network import selectors as network
from holdspace.network.forms import AvoidForm, PlaceForm, TieForm
from holdspace.network.models import Entity
from holdspace.numbers import small_int

STEPS = ("Where and how", "What you need", "Keep your world separate")
seeker_required = role_required(Role.SEEKER)


def _seeker(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_seeker else None


def _answers(request: HttpRequest) -> Answers:
    answers = store.load(request.session)
    seeker = _seeker(request)
    # Only a session that has never started the flow picks up saved answers ("start over"
    # leaves an empty copy behind, so it really starts over).
    if store.SESSION_KEY not in request.session and seeker is not None:
        saved = services.saved_answers(user=seeker)
        if saved is not None:  # a signed-in seeker picks up where they left off
            store.store(request.session, saved)
            return saved
    return answers


def _context(request: HttpRequest, answers: Answers, step: int, **extra: Any) -> dict[str, Any]:
    profession = answers.needs.profession if answers.needs else request.POST.get("profession", "")
    return {
        "steps": STEPS,
        "step": step,
        "answers": answers,
        "seeker": _seeker(request),
        "profession": profession,
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Screen 1: where you'll be during sessions and how you'd like to meet."""
    answers = _answers(request)
    if request.method == "POST":
        form = WhereForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            answers.where = Where(
                location=data["location"], formats=data["formats"], zip=data["zip"],
                max_km=form.max_km(),
            )  # fmt: skip
            store.store(request.session, answers)
            return redirect("matching:needs")
    else:
        initial: dict[str, Any] = {}
        if answers.where is not None:
            where = answers.where
            miles = round(where.max_km / 1.609344) if where.max_km else ""
            initial = {"location": where.location, "formats": where.formats, "zip": where.zip,
                       "max_miles": str(miles)}  # fmt: skip
        form = WhereForm(initial=initial)
    return render(request, "matching/where.html", _context(request, answers, 1, form=form))


@never_cache
@require_http_methods(["GET", "POST"])
def needs(request: HttpRequest) -> HttpResponse:
    """Screen 2: what's weighing on you, approaches, budget, language, profession."""
    answers = _answers(request)
    # A risk signal is acted on in this very response: valid form or not, session or not.
    crisis = signal_in(request) is not None
    if answers.where is None:
        if crisis:  # the first screen's answers are gone (the visit ended): it comes next
            return _where_again(request, answers)
        return redirect("matching:start")
    if request.method == "POST":
        form = NeedsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            answers.needs = Needs(
                concerns=[c for c in data["concerns"] if c != CRISIS_CHOICE],
                crisis=crisis,
                modalities=data["modalities"],
                max_fee=data["max_fee"],
                language=data["language"],
                profession=data["profession"],
            )
            store.store(request.session, answers)
            if crisis:  # no redirect: the resources must be in the response to this submit
                return _world_page(request, answers)
            return redirect("matching:world")
    else:
        crisis = answers.crisis
        seeker = _seeker(request)
        initial: dict[str, Any] = {"profession": seeker.profession if seeker else ""}
        if answers.needs is not None:
            n = answers.needs
            initial = {
                "concerns": n.concerns + ([CRISIS_CHOICE] if n.crisis else []),
                "modalities": n.modalities, "max_fee": n.max_fee, "language": n.language,
                "profession": n.profession,
            }  # fmt: skip
        form = NeedsForm(initial=initial)
    return render(
        request, "matching/needs.html", _context(request, answers, 2, form=form, crisis=crisis)
    )


def _where_again(request: HttpRequest, answers: Answers) -> HttpResponse:
    """Screen 1 again, for a risk answer sent after the visit's earlier answers expired:
    crisis resources first, then a plain word about why the first screen is back."""
    form = NeedsForm(request.POST)
    kept = form.is_valid()
    if kept:  # for when screen 2 comes round again
        data = form.cleaned_data
        answers.needs = Needs(
            concerns=[c for c in data["concerns"] if c != CRISIS_CHOICE], crisis=True,
            modalities=data["modalities"], max_fee=data["max_fee"], language=data["language"],
            profession=data["profession"],
        )  # fmt: skip
        store.store(request.session, answers)
    context = _context(request, answers, 1, form=WhereForm(), crisis=True, expired=True, kept=kept)
    return render(request, "matching/where.html", context)


def _world_page(
    request: HttpRequest,
    answers: Answers,
    *,
    place_form: PlaceForm | None = None,
    avoid_form: AvoidForm | None = None,
    tie_form: TieForm | None = None,
    strictness_form: StrictnessForm | None = None,
    suggestions: list[Entity] | None = None,
) -> HttpResponse:
    return render(
        request,
        "matching/world.html",
        _context(
            request,
            answers,
            3,
            crisis=answers.crisis,
            place_form=place_form or PlaceForm(prefix="place"),
            avoid_form=avoid_form or AvoidForm(prefix="avoid"),
            tie_form=tie_form or TieForm(prefix="tie"),
            strictness_form=strictness_form
            or StrictnessForm(initial={"strictness": answers.world.strictness}),
            suggestions=suggestions or [],
        ),
    )


def _filled(form: PlaceForm | AvoidForm | TieForm) -> bool:
    return form.has_changed()


@never_cache
@sensitive_post_parameters("avoid-value", "tie-value")
@require_http_methods(["GET", "POST"])
def world(request: HttpRequest) -> HttpResponse:
    """Screen 3: places, people to avoid, people close to you, standard or strict.

    Each filled row is applied on its own as soon as it is valid, so a problem in one never
    loses the others; people are hashed on arrival and only the hash is kept.
    """
    answers = _answers(request)
    if answers.where is None:
        return redirect("matching:start")
    if answers.needs is None:
        return redirect("matching:needs")
    if request.method == "GET":
        return _world_page(request, answers)

    world = answers.world
    for name, items in (("remove_place", world.places), ("remove_avoid", world.avoid),
                        ("remove_tie", world.ties)):  # fmt: skip
        position = small_int(request.POST.get(name, ""))
        if position is not None and position < len(items):
            del items[position]
            store.store(request.session, answers)
            return redirect("matching:world")

    problems = False
    strictness_form = StrictnessForm(request.POST)
    if strictness_form.is_valid():
        world.strictness = strictness_form.cleaned_data["strictness"]
    else:
        problems = True

    suggestions: list[Entity] = []
    place_form = PlaceForm(request.POST, prefix="place", empty_permitted=True,
                           use_required_attribute=False)  # fmt: skip
    if _filled(place_form):
        if place_form.is_valid():
            place, suggestions = _place(place_form)
            if place is not None:
                world.places.append(place)
                place_form = PlaceForm(prefix="place")
        problems = problems or bool(suggestions) or bool(place_form.errors)

    avoid_form = AvoidForm(request.POST, prefix="avoid", empty_permitted=True,
                           use_required_attribute=False)  # fmt: skip
    if _filled(avoid_form):
        if avoid_form.is_valid():
            person = Person(avoid_form.cleaned_data["identifier_kind"], avoid_form.digest)
            if person not in world.avoid:
                world.avoid.append(person)
            avoid_form = AvoidForm(prefix="avoid")
        else:
            problems = True

    tie_form = TieForm(request.POST, prefix="tie", empty_permitted=True,
                       use_required_attribute=False)  # fmt: skip
    if _filled(tie_form):
        if tie_form.is_valid():
            data = tie_form.cleaned_data
            person = Person(data["identifier_kind"], tie_form.digest, tie_kind=data["tie_kind"])
            if person not in world.ties:
                world.ties.append(person)
            tie_form = TieForm(prefix="tie")
        else:
            problems = True

    store.store(request.session, answers)
    if problems:
        return _world_page(
            request, answers, place_form=place_form, avoid_form=avoid_form, tie_form=tie_form,
            strictness_form=strictness_form, suggestions=suggestions,
        )  # fmt: skip
    if request.POST.get("action") == "done":
        answers.world_done = True
        store.store(request.session, answers)
        return redirect("matching:results")
    return redirect("matching:world")


def _place(form: PlaceForm) -> tuple[Place | None, list[Entity]]:
    """The place a valid form names, or suggestions to choose from first."""
    data = form.cleaned_data
    lookup = network.lookup_place(kind=data["kind"], name=data["name"], entity_id=data["entity"])
    entity = lookup.entity
    pick = data.get("pick") or ""
    if entity is None and (picked := small_int(pick)) is not None:
        entity = next((e for e in lookup.suggestions if e.pk == picked), None)
    if entity is None and lookup.suggestions and pick != "new":
        return None, lookup.suggestions
    # A new name stays in the session only; it becomes an entity if a signed-in seeker saves.
    place = Place(
        kind=entity.kind if entity else data["kind"],
        name=entity.name if entity else " ".join(data["name"].split()),
        entity=entity.pk if entity else None,
        start_year=data["start_year"],
        end_year=data["end_year"],
        exclude_all=bool(data.get("exclude_all")),
    )
    return place, []


@never_cache
def results(request: HttpRequest) -> HttpResponse:
    """The shortlist. Crisis resources come first when the seeker chose that concern."""
    answers = _answers(request)
    if answers.where is None:
        return redirect("matching:start")
    if answers.needs is None:
        return redirect("matching:needs")
    if not answers.world_done:
        return redirect("matching:world")
    shortlist = selectors.shortlist_for(
        answers=answers, seeker_user=_seeker(request), today=timezone.localdate()
    )
    return render(
        request,
        "matching/results.html",
        _context(request, answers, 4, crisis=answers.crisis, shortlist=shortlist),
    )


@seeker_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    answers = store.load(request.session)
    if answers.where is None or answers.needs is None:
        return redirect("matching:start")
    services.save_answers(user=signed_in_user(request), answers=answers)
    messages.success(request, "Saved. Next time you open Find, your answers will be here.")
    return redirect("matching:results")


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Start over: forget this session's answers (and saved ones, if asked)."""
    store.store(request.session, Answers())
    seeker = _seeker(request)
    if seeker is not None and request.POST.get("saved") == "delete":
        services.forget_saved_answers(user=seeker)
        messages.success(request, "Your saved answers are deleted.")
    return redirect("matching:start")
