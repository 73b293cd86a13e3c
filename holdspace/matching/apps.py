from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "holdspace.matching"
    label = "matching"
    verbose_name = "Matching"
