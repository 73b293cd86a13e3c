from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "holdspace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from holdspace.accounts import signals  # noqa: F401  (connects the receivers)
