from django.urls import path  # noqa: F401  (routes arrive with the practice pages)

app_name = "practice"
urlpatterns: list[object] = []
