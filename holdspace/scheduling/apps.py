from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "holdspace.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from holdspace.scheduling import signals  # noqa: F401  (connects the receivers)
