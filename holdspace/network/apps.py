from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "holdspace.network"
    label = "network"
    verbose_name = "Professional network (private)"

    def ready(self) -> None:
        # Identity keys follow email, names and license numbers wherever they are edited.
        from holdspace.network import signals

        signals.connect()
