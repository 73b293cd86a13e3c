from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each role's home: "My care", "Today", the staff queue. At the top of the dependency graph:
    it reads every app through that app's selectors, and no app imports it."""

    name = "holdspace.home"
    label = "home"
