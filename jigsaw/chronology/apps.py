from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_national_categories(sender, using="default", apps=None, **kwargs):
    """Every national category exists after migrate (and after a test flush): DOMAIN.md's list is law."""
    from jigsaw.guidance.categories import NATIONAL

    if apps is None:
        from django.apps import apps
    try:
        category = apps.get_model("chronology", "Category")
    except LookupError:
        return
    for position, definition in enumerate(NATIONAL, start=1):
        category.objects.using(using).get_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "serious": definition.serious,
                "neglect_indicator": definition.neglect_indicator,
                "absence_indicator": definition.absence_indicator,
                "position": position * 10,
            },
        )


class ChronologyConfig(AppConfig):
    name = "jigsaw.chronology"
    verbose_name = "Chronology"

    def ready(self):
        post_migrate.connect(ensure_national_categories, sender=self, dispatch_uid="national_categories")
