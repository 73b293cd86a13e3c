from django.urls import path

from holdspace.mydata import views

app_name = "mydata"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("delete/", views.delete, name="delete"),
]
