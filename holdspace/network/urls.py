from django.urls import path  # noqa: F401  (routes arrive with the network pages)

app_name = "network"
urlpatterns: list = []
