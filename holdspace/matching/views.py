"""The Find flow: three short screens, then a shortlist. Thin views over the session copy of
the answers (``answers``), the selectors (the shortlist) and the services (saving)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.crisis import signal_in
from holdspace.directory.models import TherapistProfile
from holdspace.directory.selectors import listed_profiles
from holdspace.matching import answers as store
from holdspace.matching import selectors, services
from holdspace.matching import world as world_store
from holdspace.matching.answers import CRISIS_CHOICE, Answers, Needs, Person, Place, Where
from holdspace.matching.forms import NeedsForm, StrictnessForm, WhereForm
from holdspace.matching.selectors import saved_world
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
    if seeker is None:
        return answers
    # Only a session that has never started the flow picks up saved where and needs ("start
    # over" leaves an empty copy behind, so it really starts over).
    if store.SESSION_KEY not in request.session:
        saved = services.saved_answers(user=seeker)
        if saved is not None:  # a signed-in seeker picks up where they left off
            store.store(request.session, saved)
            return saved
    # The world is saved as it is changed: the saved one is the seeker's, in every session.
    answers.world = saved_world(seeker)
    return answers


def _store(request: HttpRequest, answers: Answers) -> None:
    """Keep the answers in the session, and a signed-in seeker's in their account too: what
    they answer is saved as they go, like their world (the crisis answer never is)."""
    store.store(request.session, answers)
    seeker = _seeker(request)
    if seeker is not None and answers.where is not None and answers.needs is not None:
        services.save_search(user=seeker, answers=answers)


def _context(request: HttpRequest, answers: Answers, step: int, **extra: Any) -> dict[str, Any]:
    profession = answers.needs.profession if answers.needs else request.POST.get("profession", "")
    context = {
        "steps": STEPS,
        "step": step,
        "answers": answers,
        "seeker": _seeker(request),
        "profession": profession,
        **extra,
    }
    if "reaching" not in context:
        context["reaching"] = _reaching(request)
    return context


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
            _store(request, answers)
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
            _store(request, answers)
            if crisis:  # no redirect: the resources must be in the response to this submit
                editor = world_store.editor_for(_seeker(request), answers)
                return _world_page(request, answers, editor)
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


def _reaching(request: HttpRequest) -> TherapistProfile | None:
    """The listed therapist this seeker set out to reach before Find, if any."""
    target = store.reach_out_target(request.session)
    if target is None:
        return None
    return listed_profiles(today=timezone.localdate()).filter(pk=target).first()


def _world_page(
    request: HttpRequest,
    answers: Answers,
    editor: world_store.Editor,
    *,
    standalone: bool = False,
    place_form: PlaceForm | None = None,
    avoid_form: AvoidForm | None = None,
    tie_form: TieForm | None = None,
    strictness_form: StrictnessForm | None = None,
    suggestions: list[Entity] | None = None,
) -> HttpResponse:
    listing = editor.listing()
    return render(
        request,
        "matching/my_world.html" if standalone else "matching/world.html",
        _context(
            request,
            answers,
            3,
            crisis=answers.crisis,
            listing=listing,
            saved=editor.saved,
            undo=world_store.pending_undo(request.session),
            undo_minutes=world_store.UNDO_MINUTES,
            reaching=None if standalone else _reaching(request),
            action=request.path,
            place_form=place_form or PlaceForm(prefix="place"),
            avoid_form=avoid_form or AvoidForm(prefix="avoid"),
            tie_form=tie_form or TieForm(prefix="tie"),
            strictness_form=strictness_form
            or StrictnessForm(initial={"strictness": listing.strictness}),
            suggestions=suggestions or [],
        ),
    )


def _filled(form: PlaceForm | AvoidForm | TieForm) -> bool:
    return form.has_changed()


@never_cache
@sensitive_post_parameters("avoid-value", "tie-value")
@require_http_methods(["GET", "POST"])
def world(request: HttpRequest) -> HttpResponse:
    """Screen 3: places, people to avoid, people close to you, standard or strict."""
    answers = _answers(request)
    if answers.where is None:
        return redirect("matching:start")
    if answers.needs is None:
        return redirect("matching:needs")
    return _edit_world(request, answers, standalone=False)


@seeker_required
@never_cache
@sensitive_post_parameters("avoid-value", "tie-value")
@require_http_methods(["GET", "POST"])
def my_world(request: HttpRequest) -> HttpResponse:
    """The same lists outside the Find flow: a signed-in seeker's saved world ("Your world")."""
    return _edit_world(request, _answers(request), standalone=True)


def _keep(request: HttpRequest, answers: Answers, editor: world_store.Editor) -> None:
    """Bring the session copy in line: a signed-in seeker's is a copy of the saved world."""
    seeker = _seeker(request)
    if seeker is not None:
        answers.world = saved_world(seeker)
    store.store(request.session, answers)


def _edit_world(request: HttpRequest, answers: Answers, *, standalone: bool) -> HttpResponse:
    """Each filled row is applied on its own as soon as it is valid, so a problem in one never
    loses the others; people are hashed on arrival and only the hash (and a masked reminder)
    is kept. A signed-in seeker's changes are saved to their account as they are made."""
    editor = world_store.editor_for(_seeker(request), answers)
    if request.method == "GET":
        return _world_page(request, answers, editor, standalone=standalone)
    here = request.path

    if "undo" in request.POST:
        undone = world_store.take_undo(request.session, request.POST.get("undo", ""))
        if undone is None:
            messages.info(request, "It's too late to undo that. You can add them again below.")
        else:
            section, entry = undone
            editor.add(section, entry)
            _keep(request, answers, editor)
            messages.success(request, _undone_message(editor, section, entry))
        return redirect(here)

    for section in world_store.SECTIONS:
        key = request.POST.get(f"remove_{section}")
        if key is None:
            continue
        try:
            removed = editor.remove(section, key[:20])
        except Http404:  # gone already (a second click), or never theirs: nothing to remove
            removed = None
        if removed is not None:
            world_store.remember_removal(request.session, section, removed)
            _keep(request, answers, editor)
            return redirect(here)
        if "strictness" not in request.POST:  # a Remove button's own form, nothing else in it
            messages.info(request, "That entry was already removed.")
            return redirect(here)
        # A stray remove key in the main form never swallows what else was submitted.

    problems = False
    added: list[str] = []
    strictness_form = StrictnessForm(request.POST)
    if strictness_form.is_valid():
        if editor.set_strictness(strictness_form.cleaned_data["strictness"]):
            added.append(f"{strictness_form.cleaned_data['strictness']} separation")
    else:
        problems = True

    suggestions: list[Entity] = []
    place_form = PlaceForm(request.POST, prefix="place", empty_permitted=True,
                           use_required_attribute=False)  # fmt: skip
    if _filled(place_form):
        if place_form.is_valid():
            place, suggestions = _place(place_form)
            if place is not None:
                editor.add(world_store.PLACE, place)
                added.append(place.name)
                place_form = PlaceForm(prefix="place")
        problems = problems or bool(suggestions) or bool(place_form.errors)

    avoid_form = AvoidForm(request.POST, prefix="avoid", empty_permitted=True,
                           use_required_attribute=False)  # fmt: skip
    if _filled(avoid_form):
        if avoid_form.is_valid():
            person = Person(
                avoid_form.cleaned_data["identifier_kind"], avoid_form.digest,
                label=avoid_form.label,
            )  # fmt: skip
            if editor.add(world_store.AVOID, person):
                added.append(world_store.describe(person))
            avoid_form = AvoidForm(prefix="avoid")
        else:
            problems = True

    tie_form = TieForm(request.POST, prefix="tie", empty_permitted=True,
                       use_required_attribute=False)  # fmt: skip
    if _filled(tie_form):
        if tie_form.is_valid():
            data = tie_form.cleaned_data
            person = Person(data["identifier_kind"], tie_form.digest, tie_kind=data["tie_kind"],
                            label=tie_form.label)  # fmt: skip
            if editor.add(world_store.TIE, person):
                added.append(world_store.describe(person))
            tie_form = TieForm(prefix="tie")
        else:
            problems = True

    _keep(request, answers, editor)
    if added:  # a calm "saved" for an account; a plain note for this visit only
        level = messages.SUCCESS if editor.saved else messages.INFO
        messages.add_message(request, level, _added_message(editor, added))
    if problems:
        return _world_page(
            request, answers, editor, standalone=standalone, place_form=place_form,
            avoid_form=avoid_form, tie_form=tie_form, strictness_form=strictness_form,
            suggestions=suggestions,
        )  # fmt: skip
    if request.POST.get("action") == "done" and not standalone:
        answers.world_done = True
        store.store(request.session, answers)
        return _after_find(request)
    return redirect(here)


def _added_message(editor: world_store.Editor, added: list[str]) -> str:
    what = "; ".join(f"“{text}”" for text in added)
    if editor.saved:
        return f"Saved to your account: {what}. Only you can see it."
    return f"Added for this visit only: {what}. It is not saved."


def _undone_message(editor: world_store.Editor, section: str, entry: world_store.Entry) -> str:
    where = world_store.SECTION_NAMES[section]
    what = world_store.describe(entry)
    if editor.saved:
        return f"Put back in {where} and saved: “{what}”."
    return f"Put back in {where}: “{what}”."


def _after_find(request: HttpRequest) -> HttpResponse:
    """The shortlist, or the request form the seeker set out for before Find."""
    target = store.reach_out_target(request.session)
    if target is None:
        return redirect("matching:results")
    store.forget_reach_out(request.session)
    if listed_profiles(today=timezone.localdate()).filter(pk=target).exists():
        messages.success(request, "Thank you: that's everything we need.")
        return redirect("outreach:new", profile_id=target)
    messages.info(
        request, "That therapist isn't taking requests right now. Here is your shortlist."
    )
    return redirect("matching:results")


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
    """Save the session's answers now. Pages no longer need it (a signed-in seeker's answers
    are saved as they go); kept for results pages still open from before."""
    answers = store.load(request.session)
    if answers.where is None or answers.needs is None:
        return redirect("matching:start")
    services.save_answers(user=signed_in_user(request), answers=answers)
    messages.success(request, "Saved. Next time you open Find, your answers will be here.")
    return redirect("matching:results")


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Start over: forget this session's answers (and saved ones, if asked). A signed-in
    seeker's world stays: it is removed entry by entry, never as a side effect."""
    store.store(request.session, Answers())
    store.forget_reach_out(request.session)
    seeker = _seeker(request)
    if seeker is not None and request.POST.get("saved") == "delete":
        services.forget_saved_answers(user=seeker)
        messages.success(
            request,
            "Your saved answers are deleted. Your places and people to avoid are kept, "
            "and still apply: change them under “Your world”.",
        )
    return redirect("matching:start")
