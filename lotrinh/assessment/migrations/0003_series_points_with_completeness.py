from django.db import migrations, models


def forget_assessments(apps, schema_editor):
    """Stored points lack their completeness: assessments are derived data, so they are removed and
    recomputed (`lotrinh assess`, or each programme when it is first shown)."""
    apps.get_model("assessment", "Assessment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_assessment_status_not_achieved"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="series",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Every point (date, value, source, completeness, territory covered, "
                "whether the status rests on it), for charts and audits.",
                verbose_name="values used",
            ),
        ),
        migrations.RunPython(forget_assessments, migrations.RunPython.noop),
    ]
