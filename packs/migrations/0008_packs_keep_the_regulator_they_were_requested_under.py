from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("packs", "0007_pack_files_by_sha256")]

    operations = [
        # Packs built before regulators were data were all Social Work England's.
        migrations.AddField(
            model_name="evidencepack",
            name="regulator",
            field=models.CharField(default="swe", max_length=12),
        ),
        migrations.AddField(
            model_name="evidencepack",
            name="registered_on",
            field=models.DateField(blank=True, null=True),
        ),
    ]
