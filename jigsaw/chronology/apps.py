from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "jigsaw.chronology"
    verbose_name = "Chronology"
