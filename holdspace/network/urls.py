from django.urls import path

from holdspace.network import views

app_name = "network"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("places/add/", views.add_place, name="add_place"),
    path("places/<int:affiliation_id>/remove/", views.remove_place, name="remove_place"),
    path("people/add/", views.add_tie, name="add_tie"),
    path("people/<int:tie_id>/remove/", views.remove_tie, name="remove_tie"),
    path("entities/", views.entity_search, name="entity_search"),
]
