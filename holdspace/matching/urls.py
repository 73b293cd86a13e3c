from django.urls import path

from holdspace.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.start, name="start"),
    path("needs/", views.needs, name="needs"),
    path("world/", views.world, name="world"),
    path("results/", views.results, name="results"),
    path("your-world/", views.my_world, name="my_world"),
    path("save/", views.save, name="save"),
    path("start-over/", views.forget, name="forget"),
]
