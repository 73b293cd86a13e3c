from django.urls import path  # noqa: F401  (routes arrive with the matching pages)

app_name = "matching"
urlpatterns: list = []
