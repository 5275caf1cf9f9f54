from django.db import migrations

from jigsaw.guidance.categories import NATIONAL


def load(apps, schema_editor):
    Category = apps.get_model("chronology", "Category")
    for position, definition in enumerate(NATIONAL, start=1):
        Category.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "serious": definition.serious,
                "neglect_indicator": definition.neglect_indicator,
                "absence_indicator": definition.absence_indicator,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("chronology", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
