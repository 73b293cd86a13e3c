from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "holdspace.practice"
    label = "practice"
    verbose_name = "Practice"
