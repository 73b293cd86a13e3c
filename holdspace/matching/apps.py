from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "holdspace.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        # A world added before signing up or in is kept in the account.
        from holdspace.matching import signals

        signals.connect()
