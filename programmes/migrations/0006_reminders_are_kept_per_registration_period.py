from django.db import migrations, models


def year_to_period_end(apps, schema_editor):
    """A reminder sent before regulators were data was about the CPD year ending in ``year``:
    its last day is the period it was about."""
    from core.cpd_year import cpd_year_ending_in

    ReminderSent = apps.get_model("programmes", "ReminderSent")
    for year in ReminderSent.objects.values_list("year", flat=True).distinct():
        ReminderSent.objects.filter(year=year).update(period_end=cpd_year_ending_in(year).end)


def period_end_to_year(apps, schema_editor):
    ReminderSent = apps.get_model("programmes", "ReminderSent")
    ReminderSent.objects.update(year=models.functions.ExtractYear("period_end"))


class Migration(migrations.Migration):
    dependencies = [("programmes", "0005_notifications_know_their_submission")]

    operations = [
        migrations.AddField(
            model_name="remindersent", name="period_end", field=models.DateField(null=True)
        ),
        migrations.AlterField(
            model_name="remindersent", name="year", field=models.PositiveSmallIntegerField(null=True)
        ),
        migrations.RunPython(year_to_period_end, period_end_to_year),
        migrations.RemoveConstraint(model_name="remindersent", name="reminder_sent_once"),
        migrations.RemoveField(model_name="remindersent", name="year"),
        migrations.AlterField(
            model_name="remindersent", name="period_end", field=models.DateField()
        ),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(
                fields=("user", "period_end", "days_before"), name="reminder_sent_once_a_period"
            ),
        ),
        migrations.AddIndex(
            model_name="remindersent",
            index=models.Index(fields=["period_end", "days_before"], name="reminder_sent_point_idx"),
        ),
    ]
