from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "holdspace.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
