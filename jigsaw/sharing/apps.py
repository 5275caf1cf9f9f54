from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "jigsaw.sharing"
    verbose_name = "Sharing"
