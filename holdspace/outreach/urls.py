from django.urls import path  # noqa: F401  (routes arrive with the outreach pages)

app_name = "outreach"
urlpatterns: list[object] = []
