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

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
