from django.urls import path

from holdspace.accounts import views

app_name = "accounts"
urlpatterns = [
    path("time-zone/", views.time_zone, name="time_zone"),
    path("time-zone/browser/", views.browser_time_zone, name="browser_time_zone"),
]
