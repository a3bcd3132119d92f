"""A figure is identified by its report and data element: (report, data_element) becomes the
primary key, and the surrogate `id` column, its sequence and its index go.

Each imported figure paid for the id's sequence and for maintaining two indexes; COPYing a
quarter's 240,060 figures into a table of this shape took 0.68-0.74 s, and 0.39-0.42 s with the
natural key alone (docs/performance.md).

Django's migrations cannot turn a single-column key into a composite one (they would drop `id`
and create no key), so the database side is written here:
- PostgreSQL: one ALTER TABLE drops `id` and the unique constraint and adds the key; no row is
  rewritten, but the key's index is built (the unique constraint's index cannot be handed over),
  with the table locked meanwhile: about 7 s for the 13.1 million figures of the national set
  (docs/upgrading.md).
- other databases: the table is made again with the new key and the figures copied over.
Reversible: going back makes the table again with an `id` for every figure and the unique
constraint, on every database.
"""

from django.db import migrations, models
from django.db.migrations.operations.base import Operation

TABLE = "reporting_datavalue"
COLUMNS = "value, comment, version, updated_at, data_element_id, report_id"


def _remake(schema_editor, old_model, new_model) -> None:
    """Make the table again as `new_model` has it, with every row of `old_model`'s table."""
    quote = schema_editor.quote_name
    schema_editor.alter_db_table(old_model, TABLE, f"{TABLE}__old")
    if schema_editor.connection.vendor == "postgresql":  # their names are the new table's
        for name in _constraints(schema_editor, f"{TABLE}__old"):
            schema_editor.execute(
                f'ALTER TABLE "{TABLE}__old" RENAME CONSTRAINT "{name}" TO "{name}__old"'
            )
    schema_editor.create_model(new_model)
    schema_editor.execute(
        f"INSERT INTO {quote(TABLE)} ({COLUMNS}) SELECT {COLUMNS} FROM {quote(TABLE + '__old')}"  # noqa: S608
    )
    schema_editor.execute(f"DROP TABLE {quote(TABLE + '__old')}")


def _constraints(schema_editor, table: str, *, key_only: bool = False) -> list[str]:
    """The names of the table's primary key and checks (or of its primary key alone)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["primary_key"] or (info["check"] and not key_only)
    ]


class NaturalPrimaryKey(Operation):
    """(report, data_element) becomes the primary key of the figures; `id` goes."""

    reversible = True
    state_operations = [
        migrations.RemoveConstraint(model_name="datavalue", name="datavalue_unique_element"),
        migrations.RemoveField(model_name="datavalue", name="id"),
        migrations.AddField(
            model_name="datavalue",
            name="pk",
            field=models.CompositePrimaryKey(
                "report",
                "data_element",
                blank=True,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]

    def state_forwards(self, app_label, state):
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        old_model = from_state.apps.get_model(app_label, "DataValue")
        if schema_editor.connection.vendor == "postgresql":
            # One statement: the table is scanned once, to build the new key's index.
            [key] = _constraints(schema_editor, TABLE, key_only=True)
            schema_editor.execute(
                f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{key}", DROP COLUMN "id", '
                'DROP CONSTRAINT "datavalue_unique_element", '
                f'ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (report_id, data_element_id)'
            )
        else:
            _remake(schema_editor, old_model, to_state.apps.get_model(app_label, "DataValue"))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _remake(
            schema_editor,
            from_state.apps.get_model(app_label, "DataValue"),
            to_state.apps.get_model(app_label, "DataValue"),
        )

    def describe(self):
        return "(report, data_element) becomes the primary key of DataValue; id is removed"


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_datavalue_through_report"),
    ]

    operations = [NaturalPrimaryKey()]
