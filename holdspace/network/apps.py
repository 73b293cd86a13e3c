from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "holdspace.network"
    label = "network"
    verbose_name = "Professional network (private)"
