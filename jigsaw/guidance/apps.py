from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "jigsaw.guidance"
    label = "guidance"
