"""Packs made before the name was recorded take the owner's name as it is now: the best
record there is of who exported them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def record_current_names(apps, schema_editor):
    EvidencePack = apps.get_model("packs", "EvidencePack")
    User = apps.get_model("accounts", "User")
    EvidencePack.objects.filter(exporter_name="").update(
        exporter_name=Subquery(User.objects.filter(pk=OuterRef("owner_id")).values("display_name"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("packs", "0003_evidencepack_exporter_name"),
    ]

    operations = [
        migrations.RunPython(record_current_names, migrations.RunPython.noop, elidable=True),
    ]
