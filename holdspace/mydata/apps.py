from django.apps import AppConfig


class MyDataConfig(AppConfig):
    name = "holdspace.mydata"
    label = "mydata"
    verbose_name = "Your data"
