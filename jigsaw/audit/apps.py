from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jigsaw.audit"
    label = "audit"
