from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jigsaw.accounts"
    label = "accounts"

    def ready(self) -> None:
        from jigsaw.accounts import signals  # noqa: F401
