from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "holdspace.programs"
    label = "programs"
    verbose_name = "Programs"
