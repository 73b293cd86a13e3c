"""The therapist's private network page and the shared entity search. Thin views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role, User
from holdspace.network import selectors, services
from holdspace.network.forms import PlaceForm, TieForm
from holdspace.numbers import small_int

therapist_required = role_required(Role.THERAPIST)


def _page(
    request: HttpRequest,
    user: User,
    *,
    place_form: PlaceForm | None = None,
    tie_form: TieForm | None = None,
    suggestions: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "network/mine.html",
        {
            "affiliations": selectors.affiliations_of(user),
            "ties": selectors.ties_of(user),
            "place_form": place_form or PlaceForm(prefix="place", seeker=False),
            "tie_form": tie_form or TieForm(prefix="tie"),
            "suggestions": suggestions or [],
        },
        status=status,
    )


@role_required(Role.THERAPIST, Role.SEEKER)
@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if user.is_seeker:
        # A seeker's world has one page, the one Find uses, with the same saved lists.
        return redirect("matching:my_world")
    return _page(request, user)


@therapist_required
@never_cache
@require_POST
def add_place(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PlaceForm(request.POST, prefix="place", seeker=False)
    if not form.is_valid():
        return _page(request, user, place_form=form, status=400)
    data = form.cleaned_data
    lookup = selectors.lookup_place(kind=data["kind"], name=data["name"], entity_id=data["entity"])
    entity = lookup.entity
    pick = data.get("pick") or ""
    if entity is None and (picked := small_int(pick)) is not None:
        entity = next((e for e in lookup.suggestions if e.pk == picked), None)
    if entity is None and lookup.suggestions and pick != "new":
        return _page(request, user, place_form=form, suggestions=lookup.suggestions, status=200)
    if entity is None:
        entity = services.find_or_create_entity(
            kind=data["kind"], name=data["name"], created_by=user
        )
    start, end = form.dates()
    services.add_affiliation(user=user, entity=entity, start=start, end=end)
    messages.success(request, "Added. Only you can see this list.")
    return redirect("network:mine")


@therapist_required
@require_POST
def remove_place(request: HttpRequest, affiliation_id: int) -> HttpResponse:
    affiliation = selectors.get_affiliation_for(signed_in_user(request), affiliation_id)
    services.remove_affiliation(affiliation=affiliation)
    messages.success(request, "Removed.")
    return redirect("network:mine")


@therapist_required
@never_cache
@sensitive_post_parameters("tie-value")
@require_POST
def add_tie(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TieForm(request.POST, prefix="tie")
    if not form.is_valid():
        return _page(request, user, tie_form=form, status=400)
    services.add_tie_digest(
        user=user,
        kind=form.cleaned_data["tie_kind"],
        identifier_kind=form.cleaned_data["identifier_kind"],
        digest=form.digest,
        label=form.label,
    )
    messages.success(
        request, f"Saved: “{form.label}”. We kept only a scrambled fingerprint and these initials."
    )
    return redirect("network:mine")


@therapist_required
@require_POST
def remove_tie(request: HttpRequest, tie_id: int) -> HttpResponse:
    tie = selectors.get_tie_for(signed_in_user(request), tie_id)
    services.remove_tie(tie=tie)
    messages.success(request, "Removed.")
    return redirect("network:mine")


@require_GET
def entity_search(request: HttpRequest) -> JsonResponse:
    """Autocomplete for shared entities: id, name and kind, at most 10. Open to everyone,
    because seekers use it without an account; it says nothing about members."""
    results = selectors.search_entities(
        query=request.GET.get("q", "")[:200], kind=request.GET.get("kind", "")[:24]
    )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "no-store"
    return response
