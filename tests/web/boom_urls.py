"""The site's URLs and error handlers, plus a page that fails: for the 500 page tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from holdspace.urls import handler400, handler403, handler404, handler429, handler500
from holdspace.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler429", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, on purpose")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
