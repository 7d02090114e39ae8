from django.db import migrations

from portfolio.frameworks import load_framework_data, sync_frameworks


def seed(apps, schema_editor):
    """The frameworks file gained the SSSC's core learning elements (regulators/data)."""
    sync_frameworks(
        apps.get_model("portfolio", "Framework"),
        apps.get_model("portfolio", "Capability"),
        load_framework_data(),
    )


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0008_pending_evidence_held_for_a_form")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
