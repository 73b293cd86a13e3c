from django.urls import path

from holdspace.home import views

app_name = "home"
urlpatterns = [
    path("home/", views.index, name="index"),
    path("my-care/", views.seeker, name="seeker"),
    path("today/", views.therapist, name="therapist"),
    path("staff/", views.staff, name="staff"),
]
