"""Site-wide pages that belong to no single app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from holdspace.accounts.homes import home_url


def home(request: HttpRequest) -> HttpResponse:
    """The landing page; a signed-in person is taken to their own home instead (the landing
    page stays at /about/ for them)."""
    if request.user.is_authenticated:
        return redirect(home_url(request.user))
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    """The landing page, for anyone (signed in or not)."""
    return render(request, "home.html")


def crisis(request: HttpRequest) -> HttpResponse:
    return render(request, "crisis.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")
