from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "holdspace.outreach"
    label = "outreach"
    verbose_name = "Reaching out"
