"""Figures lose their copies of the report's unit and period, and the two indexes on them: reads
select reports first, and each index of this table cost every imported figure its maintenance."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_usual_ranges"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="datavalue",
            name="datavalue_lookup",
        ),
        migrations.RemoveIndex(
            model_name="datavalue",
            name="datavalue_unit_period",
        ),
        migrations.RemoveField(
            model_name="datavalue",
            name="org_unit",
        ),
        migrations.RemoveField(
            model_name="datavalue",
            name="period",
        ),
    ]
