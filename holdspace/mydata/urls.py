from django.urls import URLPattern

app_name = "mydata"
urlpatterns: list[URLPattern] = []
