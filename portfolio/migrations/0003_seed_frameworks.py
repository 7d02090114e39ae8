from django.db import migrations

from portfolio.frameworks import load_framework_data, sync_frameworks


def seed(apps, schema_editor):
    sync_frameworks(
        apps.get_model("portfolio", "Framework"),
        apps.get_model("portfolio", "Capability"),
        load_framework_data(),
    )


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
