from django.db import migrations

from jigsaw.chronology.apps import ensure_national_categories


def load(apps, schema_editor):
    ensure_national_categories(None, using=schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("chronology", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
