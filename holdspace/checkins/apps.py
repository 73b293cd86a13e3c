from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "holdspace.checkins"
    label = "checkins"
    verbose_name = "Check-ins"
