from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from holdspace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("crisis/", views.crisis, name="crisis"),
    path("about/privacy/", views.privacy, name="privacy"),
    path("therapists/", include("holdspace.directory.urls")),
    path("find/", include("holdspace.matching.urls")),
    path("network/", include("holdspace.network.urls")),
    path("check-in/", include("holdspace.checkins.urls")),
    path("schedule/", include("holdspace.scheduling.urls")),
    path("requests/", include("holdspace.outreach.urls")),
    path("practice/", include("holdspace.practice.urls")),
    path("my-data/", include("holdspace.mydata.urls")),
    path("programs/", include("holdspace.programs.urls")),
    path("", include("holdspace.home.urls")),
    path("accounts/", include("holdspace.accounts.urls")),  # ours first, then allauth's
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# Every error is a Holdspace page with the crisis line (holdspace.errors); allauth's rate limits
# use handler429 too.
handler400 = "holdspace.errors.bad_request"
handler403 = "holdspace.errors.permission_denied"
handler404 = "holdspace.errors.page_not_found"
handler429 = "holdspace.errors.too_many_requests"
handler500 = "holdspace.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
