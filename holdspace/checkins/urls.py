from django.urls import path  # noqa: F401  (routes arrive with the checkins pages)

app_name = "checkins"
urlpatterns: list = []
