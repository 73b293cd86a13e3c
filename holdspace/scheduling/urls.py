from django.urls import path  # noqa: F401  (routes arrive with the scheduling pages)

app_name = "scheduling"
urlpatterns: list[object] = []
