"""Reported figures partitioned by period on PostgreSQL, and a whole period written at once.

`reporting_datavalue` is the fact table: tens of millions of figures. On PostgreSQL it is
partitioned by period (one partition per period, plus a default one that only catches figures of
a period whose partition is missing), for two reasons:
- a quarter's import touches one partition of ~200,000 rows, whatever the size of the table;
- a large import can build the period's partition beside the live one — rows copied into a plain
  table, then its indexes built in one pass each — and swap it in when the transaction commits.
  Maintaining four indexes row by row costs about 2.5 s per 200,000 figures; building them after
  the copy costs about 0.5 s.
Elsewhere (SQLite) there are no partitions and every function here does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from lotrinh.core.bulk import copy_lines
from lotrinh.reporting.models import DataValue

TABLE = "reporting_datavalue"
DEFAULT = f"{TABLE}_default"
# Indexes of the parent table: the partition built by `swap_period` gets the same ones, built
# after its rows are in. The unique constraint and the primary key carry the partition key.
_INDEXES = (
    ("lookup", "(data_element_id, period_id, org_unit_id)"),
    ("unit_period", "(org_unit_id, period_id)"),
)
_UNIQUE = "(report_id, data_element_id, period_id)"
_PRIMARY = "(id, period_id)"


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partition_name(period_id: int) -> str:
    return f"{TABLE}_p{int(period_id)}"


def _partition_of(cursor: Any, period_id: int) -> str | None:
    cursor.execute(
        """
        SELECT child.relname FROM pg_inherits
        JOIN pg_class child ON child.oid = pg_inherits.inhrelid
        WHERE pg_inherits.inhparent = %s::regclass
          AND pg_get_expr(child.relpartbound, child.oid) = %s
        """,
        [TABLE, f"FOR VALUES IN ('{int(period_id)}')"],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def ensure_partitions(period_ids: Iterable[int]) -> None:
    """Give each period its partition (moving any of its figures out of the default partition)."""
    if connection.vendor != "postgresql":
        return
    wanted = sorted({int(p) for p in period_ids})
    if not wanted or not partitioned():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_get_expr(child.relpartbound, child.oid) FROM pg_inherits
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE pg_inherits.inhparent = %s::regclass
            """,
            [TABLE],
        )
        bounds = {row[0] for row in cursor.fetchall()}
        for period_id in wanted:
            if f"FOR VALUES IN ('{period_id}')" in bounds:
                continue
            name = partition_name(period_id)
            cursor.execute(
                f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT} WHERE period_id = %s RETURNING *) "  # noqa: S608
                f"INSERT INTO {name} SELECT * FROM moved",
                [period_id],
            )
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({period_id})"
            )


def swap_period(
    period_id: int,
    columns: Sequence[str],
    new_lines: Iterable[str],
    update_lines: Sequence[str],
) -> None:
    """Rebuild the period's partition with its figures, `update_lines` applied (id, value,
    version, updated_at) and `new_lines` (in `columns`, without ids) added — both in COPY's text
    format (core.bulk.copy_lines) — then swap it for the live one. Runs in the caller's transaction, which must hold `lock_figures()`; readers see the
    old partition until it commits."""
    period_id = int(period_id)
    old = partition_name(period_id)
    new = f"{old}_new"
    ensure_partitions([period_id])
    with connection.cursor() as cursor:
        current = _partition_of(cursor, period_id) or old
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            f"CREATE TABLE {new} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"ALTER TABLE {new} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)", [sequence]
        )
        copy_lines(new, columns, new_lines)
        names = [str(f.column) for f in DataValue._meta.concrete_fields]
        kept = ", ".join(names)
        if update_lines:
            cursor.execute(
                "CREATE TEMPORARY TABLE lotrinh_swap_update (id bigint PRIMARY KEY, "
                "value numeric(20, 4), version integer, updated_at timestamptz) ON COMMIT DROP"
            )
            copy_lines(
                "lotrinh_swap_update", ["id", "value", "version", "updated_at"], update_lines
            )
            changed = {"value": "u.value", "version": "u.version", "updated_at": "u.updated_at"}
            merged = ", ".join(
                f"CASE WHEN u.id IS NULL THEN p.{c} ELSE {changed[c]} END"
                if c in changed
                else f"p.{c}"
                for c in names
            )
            cursor.execute(
                f"INSERT INTO {new} ({kept}) SELECT {merged} FROM {current} AS p "  # noqa: S608
                "LEFT JOIN lotrinh_swap_update AS u ON u.id = p.id"
            )
            cursor.execute("DROP TABLE lotrinh_swap_update")
        else:
            cursor.execute(f"INSERT INTO {new} ({kept}) SELECT {kept} FROM {current}")  # noqa: S608
        # Each index in one pass over the rows, instead of row by row as they come in.
        for suffix, columns_sql in _INDEXES:
            cursor.execute(f"CREATE INDEX {new}_{suffix} ON {new} {columns_sql}")
        cursor.execute(
            f"ALTER TABLE {new} ADD CONSTRAINT {new}_unique UNIQUE {_UNIQUE}, "
            f"ADD CONSTRAINT {new}_pkey PRIMARY KEY {_PRIMARY}, "
            # Lets ATTACH skip scanning the rows for the partition's bound.
            f"ADD CONSTRAINT {new}_bound CHECK (period_id IS NOT NULL AND period_id = {period_id}), "
            "ALTER COLUMN id DROP DEFAULT"
        )
        # The swap itself: from here readers wait, until the caller commits.
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {current}")
        cursor.execute(f"DROP TABLE {current}")
        cursor.execute(f"ALTER TABLE {new} RENAME TO {old}")
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {old} FOR VALUES IN ({period_id})")
        cursor.execute(f"ALTER TABLE {old} DROP CONSTRAINT {new}_bound")
        for suffix, _columns in _INDEXES:
            cursor.execute(f"ALTER INDEX {new}_{suffix} RENAME TO {old}_{suffix}")
        for suffix in ("unique", "pkey"):
            cursor.execute(f"ALTER TABLE {old} RENAME CONSTRAINT {new}_{suffix} TO {old}_{suffix}")


def rows_beyond(period_id: int, limit: int) -> bool:
    """Whether the period holds more than `limit` figures (counting no further than that)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM reporting_datavalue WHERE period_id = %s LIMIT %s) AS r",
            [int(period_id), limit + 1],
        )
        (count,) = cursor.fetchone()
    return bool(count > limit)


def lock_figures() -> None:
    """Hold off every other writer of figures (readers go on) until the transaction ends: a period
    being rebuilt must not take a figure that the swap would then drop. Every write goes through
    the parent table, so locking it alone is enough, and does not wait for the autovacuum of
    other periods' partitions."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE ONLY {TABLE} IN SHARE ROW EXCLUSIVE MODE")
