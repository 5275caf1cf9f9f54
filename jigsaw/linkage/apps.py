from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jigsaw.linkage"
    verbose_name = "Linkage"
