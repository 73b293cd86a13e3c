from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from holdspace.accounts.access import role_required, signed_in_user
from holdspace.accounts.models import Role
from holdspace.directory import compare_list, comparison, selectors, services
from holdspace.directory.completeness import Completeness, completeness
from holdspace.directory.forms import (
    AboutForm,
    AuthorizationForm,
    BrowseForm,
    FeesForm,
    LicenseForm,
    PracticeForm,
)
from holdspace.directory.models import TherapistProfile
from holdspace.paging import PageLink, page_links, requested_page
from holdspace.scheduling.selectors import has_weekly_availability

PAGE_SIZE = 20
MAX_PAGE = 500
# Counting every match was the slowest query of the browse page: count up to this many and say
# "more than 1,000" beyond it (nobody reads 50 pages; the filters narrow the list).
COUNT_CAP = 1000
# A profile's ``from`` when it was opened from the seeker's Find shortlist (else browse filters).
SHORTLIST = "shortlist"


@dataclass(frozen=True)
class ResultPage:
    """One page of results, the (capped) total, and a plain note when the page asked for
    could not be shown as asked (out of range, or not a number)."""

    number: int
    items: list[TherapistProfile]
    total: int  # at most COUNT_CAP, unless the total is exact
    total_capped: bool  # there are more than COUNT_CAP matches
    last: int  # the last page we know exists
    has_next: bool
    note: str = ""

    @property
    def headline(self) -> str:
        if self.total_capped:
            return f"More than {COUNT_CAP:,} therapists"
        return f"{self.total:,} therapist{'' if self.total == 1 else 's'}"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def end(self) -> int:
        return self.start + len(self.items) - 1

    @property
    def only_page(self) -> bool:
        return self.number == 1 and not self.has_next

    @property
    def links(self) -> list[PageLink]:
        return page_links(self.number, max(self.last, self.number), more=self.total_capped)


def _pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def result_page(profiles: QuerySet[TherapistProfile], page: str | None) -> ResultPage:
    asked = requested_page(page)
    note = "" if asked is not None else "That page number didn't work, so here is the first page."
    number = asked or 1
    total = selectors.count_upto(profiles, COUNT_CAP + 1)
    capped = total > COUNT_CAP
    last = _pages(min(total, COUNT_CAP))
    if capped and number > MAX_PAGE:
        note = f"We show up to {MAX_PAGE} pages. Narrow the list to see the rest."
        number = MAX_PAGE
    if capped and number > last:
        # Past the pages the capped count vouches for: count as far as this page reaches.
        reach = selectors.count_upto(profiles, number * PAGE_SIZE)
        last = max(last, _pages(reach))
    if number > last:
        pages = "one page" if last == 1 else f"{last} pages"
        verb = "is" if last == 1 else "are"
        where = "here it is" if last == 1 else "here is the last one"
        note = f"There {verb} only {pages} of results for these choices, so {where}."
        number = last
    offset = (number - 1) * PAGE_SIZE
    rows = list(profiles[offset : offset + PAGE_SIZE + 1])
    return ResultPage(
        number=number,
        items=rows[:PAGE_SIZE],
        total=min(total, COUNT_CAP),
        total_capped=capped,
        last=last,
        has_next=len(rows) > PAGE_SIZE,
        note=note,
    )


WIZARD_STEPS = {
    1: ("About you", AboutForm),
    2: ("How you work", PracticeForm),
    3: ("Fees and office", FeesForm),
    4: ("Licenses", None),
    5: ("Review and publish", None),
}

therapist_required = role_required(Role.THERAPIST)


def browse(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    form.is_valid()  # invalid fields are reported on the page; the valid ones still filter
    data = getattr(form, "cleaned_data", {})
    filters = selectors.BrowseFilters(
        location=data.get("location") or "",
        format=data.get("format") or "",
        modality=data.get("modality") or "",
        focus=data.get("focus") or "",
        language=data.get("language") or "",
        max_fee=data.get("max_fee"),
    )
    profiles = selectors.browse_profiles(filters=filters, today=timezone.localdate())
    page = result_page(profiles, request.GET.get("page"))
    return render(
        request,
        "directory/browse.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "active_filters": sum(1 for value in data.values() if value not in ("", None)),
            "back_query": request.GET.urlencode(),
        },
    )


def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    today = timezone.localdate()
    profile = selectors.get_listed_profile(profile_id=profile_id, today=today)
    licensed_in = selectors.licensed_in(profile=profile, today=today)
    opened_from = request.GET.get("from", "")
    return render(
        request,
        "directory/profile.html",
        {
            "profile": profile,
            "licensed_in": licensed_in,
            "from_shortlist": opened_from == SHORTLIST,
            "back_query": browse_query(opened_from),
        },
    )


def browse_query(text: str) -> str:
    """The browse filters a profile was opened from (its ``from`` parameter), rebuilt from the
    browse form's own fields only: the "Back to results" link can lead nowhere but browse."""
    given = QueryDict(text[:1000])
    kept = QueryDict(mutable=True)
    for name in (*BrowseForm.base_fields, "page"):
        value = given.get(name, "")
        if value and len(value) <= 40:
            kept[name] = value
    return kept.urlencode()


def _back_to(request: HttpRequest, fallback: str) -> str:
    """Where a save/remove button sends the person back to: the page it was on (``next``, a
    path on this site), else ``fallback``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _refuse_without_list(request: HttpRequest) -> None:
    if not selectors.keeps_compare_list(request.user):
        raise PermissionDenied("The compare list is for people looking for a therapist.")


@require_POST
def save_to_compare(request: HttpRequest, profile_id: int) -> HttpResponse:
    _refuse_without_list(request)
    profile = selectors.get_listed_profile(profile_id=profile_id, today=timezone.localdate())
    back = _back_to(request, reverse("directory:profile", args=[profile.pk]))
    try:
        compare_list.add(request, profile)
    except services.CompareListFull:
        messages.error(
            request,
            f"Your compare list is full ({selectors.MAX_SAVED} therapists). "
            "Remove someone from it first.",
        )
        return redirect(back)
    visit = "" if request.user.is_authenticated else " Your list lasts for this visit only."
    messages.success(request, f"Saved {profile.display_name} to compare.{visit}")
    return redirect(back)


@require_POST
def remove_from_compare(request: HttpRequest, profile_id: int) -> HttpResponse:
    _refuse_without_list(request)
    if compare_list.remove(request, profile_id):
        messages.success(request, "Removed from your compare list.")
    return redirect(_back_to(request, reverse("directory:compare")))


def compare(request: HttpRequest) -> HttpResponse:
    _refuse_without_list(request)
    ids = compare_list.saved_ids(request)
    profiles = selectors.listed_in_order(ids, today=timezone.localdate())
    return render(
        request,
        "directory/compare.html",
        {
            "compared": comparison.compare(
                profiles, today=timezone.localdate(), now=timezone.now()
            ),
            "not_listed": len(ids) - len(profiles),
            "max_saved": selectors.MAX_SAVED,
            "visit_only": not request.user.is_authenticated,
        },
    )


def _own_profile_or_none(request: HttpRequest) -> TherapistProfile | None:
    try:
        return selectors.get_profile_for(signed_in_user(request))
    except Http404:
        return None


@therapist_required
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = _own_profile_or_none(request)
    if profile is None:
        return redirect("directory:wizard", step=1)
    today = timezone.localdate()
    return render(
        request,
        "directory/dashboard.html",
        {
            "profile": profile,
            "problems": selectors.listing_problems(profile=profile, today=today),
            "days_since_confirmed": (today - profile.last_confirmed).days
            if profile.last_confirmed
            else None,
            "steps": WIZARD_STEPS,
            "completeness": profile_completeness(profile, today=today),
        },
    )


def profile_completeness(profile: TherapistProfile, *, today: dt.date) -> Completeness:
    """What a seeker needs to see on this profile, and what is missing (for its therapist)."""
    return completeness(
        selectors.profile_facts(
            profile=profile, today=today, has_availability=has_weekly_availability(profile)
        )
    )


@therapist_required
def preview(request: HttpRequest) -> HttpResponse:
    """The therapist's own profile exactly as a seeker would see it, listed or not."""
    profile = selectors.get_profile_for(signed_in_user(request))
    today = timezone.localdate()
    return render(
        request,
        "directory/profile.html",
        {
            "profile": profile,
            "licensed_in": selectors.licensed_in(profile=profile, today=today),
            "preview": True,
            "problems": selectors.listing_problems(profile=profile, today=today),
        },
    )


@therapist_required
def wizard(request: HttpRequest, step: int) -> HttpResponse:
    if step not in WIZARD_STEPS:
        raise Http404("No such step")
    profile = _own_profile_or_none(request)
    if profile is None and step != 1:
        return redirect("directory:wizard", step=1)
    title, form_class = WIZARD_STEPS[step]
    context: dict[str, Any] = {
        "profile": profile,
        "step": step,
        "steps": WIZARD_STEPS,
        "title": title,
    }
    if form_class is not None:
        form = form_class(
            request.POST or None,
            request.FILES or None,
            instance=profile or TherapistProfile(user=signed_in_user(request)),
        )
        if request.method == "POST" and form.is_valid():
            services.save_profile_form(form=form, next_step=step + 1)
            messages.success(request, f"Saved “{title}”.")
            if request.POST.get("then") == "listing":  # one change, made from the listing page
                return redirect("directory:dashboard")
            return redirect("directory:wizard", step=step + 1)
        context["form"] = form
    elif step == 4:
        assert profile is not None
        return _licenses_step(request, profile)
    return render(request, "directory/wizard.html", context)


def _licenses_step(
    request: HttpRequest,
    profile: TherapistProfile,
    *,
    license_form: LicenseForm | None = None,
    authorization_form: AuthorizationForm | None = None,
) -> HttpResponse:
    """Wizard step 4; a form passed in is one that failed validation (kept, with status 400)."""
    failed = license_form is not None or authorization_form is not None
    context = {
        "profile": profile,
        "step": 4,
        "steps": WIZARD_STEPS,
        "title": WIZARD_STEPS[4][0],
        "license_form": license_form or LicenseForm(prefix="license"),
        "authorization_form": authorization_form or AuthorizationForm(prefix="authorization"),
    }
    return render(request, "directory/wizard.html", context, status=400 if failed else 200)


@therapist_required
@require_POST
def add_license(request: HttpRequest) -> HttpResponse:
    profile = selectors.get_profile_for(signed_in_user(request))
    form = LicenseForm(request.POST, prefix="license")
    if form.is_valid():
        try:
            services.add_license(profile=profile, **form.cleaned_data)
        except IntegrityError:
            form.add_error("number", "This license is already listed on Holdspace.")
        else:
            messages.success(request, "License added. We'll verify it soon.")
            return redirect("directory:wizard", step=4)
    return _licenses_step(request, profile, license_form=form)


@therapist_required
@require_POST
def add_authorization(request: HttpRequest) -> HttpResponse:
    profile = selectors.get_profile_for(signed_in_user(request))
    form = AuthorizationForm(request.POST, prefix="authorization")
    if form.is_valid():
        try:
            services.add_authorization(profile=profile, **form.cleaned_data)
        except IntegrityError:
            form.add_error("jurisdiction", "You have already added this authorisation.")
        else:
            messages.success(request, "Authorisation added. We'll verify it soon.")
            return redirect("directory:wizard", step=4)
    return _licenses_step(request, profile, authorization_form=form)


@therapist_required
@require_POST
def remove_license(request: HttpRequest, license_id: int) -> HttpResponse:
    license = selectors.get_license_for(signed_in_user(request), license_id)
    services.remove_license(license=license)
    messages.success(request, "License removed.")
    return redirect("directory:wizard", step=4)


@therapist_required
@require_POST
def remove_authorization(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = selectors.get_authorization_for(signed_in_user(request), authorization_id)
    services.remove_authorization(authorization=authorization)
    messages.success(request, "Authorisation removed.")
    return redirect("directory:wizard", step=4)


@therapist_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    profile = selectors.get_profile_for(signed_in_user(request))
    services.publish_profile(profile=profile)
    messages.success(
        request, "Your profile is published. It appears in search once a license is verified."
    )
    return redirect("directory:dashboard")


@therapist_required
@require_POST
def unpublish(request: HttpRequest) -> HttpResponse:
    profile = selectors.get_profile_for(signed_in_user(request))
    services.unpublish_profile(profile=profile)
    messages.success(request, "Your profile is hidden from search.")
    return redirect("directory:dashboard")


@therapist_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    profile = selectors.get_profile_for(signed_in_user(request))
    services.confirm_profile(profile=profile)
    messages.success(request, "Thank you — your profile is confirmed for another 30 days.")
    return redirect(reverse("directory:dashboard"))
