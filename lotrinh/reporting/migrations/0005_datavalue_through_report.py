"""Figures lose their copies of the report's unit and period, and the two indexes on them: reads
select reports first, and each index of this table cost every imported figure its maintenance.

Reversible: going back adds the columns (nullable first), fills them from each figure's report,
then makes them required again."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_from_reports(apps, schema_editor):
    DataValue = apps.get_model("reporting", "DataValue")
    Report = apps.get_model("reporting", "Report")
    report = Report.objects.filter(pk=OuterRef("report_id"))
    DataValue.objects.update(
        org_unit_id=Subquery(report.values("org_unit_id")[:1]),
        period_id=Subquery(report.values("period_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0001_initial"),
        ("reporting", "0004_usual_ranges"),
    ]

    operations = [
        migrations.AlterField(
            model_name="datavalue",
            name="org_unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="orgunits.orgunit",
            ),
        ),
        migrations.AlterField(
            model_name="datavalue",
            name="period",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reporting.period",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, fill_from_reports),
        migrations.RemoveIndex(model_name="datavalue", name="datavalue_lookup"),
        migrations.RemoveIndex(model_name="datavalue", name="datavalue_unit_period"),
        migrations.RemoveField(model_name="datavalue", name="org_unit"),
        migrations.RemoveField(model_name="datavalue", name="period"),
    ]
