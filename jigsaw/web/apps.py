from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jigsaw.web"
    label = "web"
