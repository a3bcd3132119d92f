"""Fast writes of many plain rows: PostgreSQL's COPY, or one executemany elsewhere.

For imports of hundreds of thousands of figures, building a model instance and a parameter list per
row (what bulk_create does) costs more than the database work itself. Callers pass tuples in the
order of `columns`; defaults and auto fields must be given or left to the database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model


def _adapt(value: Any) -> Any:
    """Values as Django's own backend would send them (SQLite keeps datetimes and decimals as text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return connection.ops.adapt_decimalfield_value(value)
    return value


def _aware(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise TypeError("naive datetime in a bulk write")
    return value.isoformat()


_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ENCODERS: dict[type, Callable[[Any], str]] = {
    type(None): lambda _value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    Decimal: str,
    str: lambda value: value.translate(_COPY_ESCAPES),
    datetime.datetime: _aware,
    datetime.date: datetime.date.isoformat,
}


def _copy_text(value: Any) -> str:
    """One field in COPY's text format. psycopg's per-value adaptation cost more than the server's
    whole work on a 200,000-row import, so the few types we write are encoded here."""
    encode = _ENCODERS.get(type(value))
    if encode is None:
        base = next((t for t in _ENCODERS if isinstance(value, t)), None)
        if base is None:
            raise TypeError(f"cannot bulk-write a {type(value).__name__}")
        encode = _ENCODERS[base]
    return encode(value)


# Big enough to keep the per-write cost small, small enough for the server to start early (a few
# thousand figures, or a hundred audit events of 60 figures each).
_COPY_CHUNK_CHARS = 256 * 1024
_NOTHING = object()


def _encoder() -> Callable[[Any], str]:
    """_copy_text with the common types first and the last other value remembered (an import
    stamps every row with the same datetime object)."""
    last: list[Any] = [_NOTHING, ""]  # not None, which must be \N even as the first value

    def text(value: Any) -> str:
        kind = type(value)
        if kind is int or kind is Decimal:
            return str(value)
        if kind is str:
            return value.translate(_COPY_ESCAPES) if _SPECIAL.search(value) else value
        if value is None:
            return "\\N"
        if value is last[0]:
            return str(last[1])
        encoded = _copy_text(value)
        last[0], last[1] = value, encoded
        return encoded

    return text


def _copy(raw_cursor: Any, statement: str, rows: Iterable[Sequence[Any]]) -> int:
    """Stream rows through COPY … FROM STDIN in text format; returns how many were sent."""
    text = _encoder()
    return _copy_lines(raw_cursor, statement, ("\t".join(map(text, row)) + "\n" for row in rows))


def _copy_lines(raw_cursor: Any, statement: str, lines: Iterable[str]) -> int:
    """Stream encoded lines through COPY, a chunk at a time, so that the server works on one
    chunk while the next is made."""
    count = 0
    with raw_cursor.copy(statement) as copy:
        chunk: list[str] = []
        size = 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size >= _COPY_CHUNK_CHARS:
                copy.write("".join(chunk))
                count, chunk, size = count + len(chunk), [], 0
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows into the model's table; returns how many were written. Runs in the caller's transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As Django's own cursor would: a duplicate key is an IntegrityError, not psycopg's.
            with connection.wrap_database_errors:
                return _copy(cursor.cursor, f"COPY {table} ({names}) FROM STDIN", rows)  # noqa: S608
        placeholders = ", ".join(["%s"] * len(columns))
        batch: list[Sequence[Any]] = []
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - our own names
        for row in rows:
            batch.append([_adapt(value) for value in row])
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_grouped(
    model: type[Model],
    own: Sequence[str],
    shared: Sequence[str],
    groups: Iterable[tuple[Sequence[Any], Iterable[Sequence[Any]]]],
) -> int:
    """Insert rows that come in groups sharing the values of the `shared` columns (a report's id,
    version and time, for each of its figures): each group is (its shared values, its rows' values
    of the `own` columns). On PostgreSQL a group's shared values are encoded once, not once per
    row. Returns how many rows were written; runs in the caller's transaction."""
    if connection.vendor != "postgresql":
        rows = ((*row, *common) for common, group in groups for row in group)
        return insert_rows(model, [*own, *shared], rows)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in [*own, *shared])
    text = _encoder()

    def lines() -> Iterator[str]:
        for common, group in groups:
            tail = "".join("\t" + text(value) for value in common) + "\n"
            for row in group:
                yield "\t".join(map(text, row)) + tail

    with connection.cursor() as cursor, connection.wrap_database_errors:
        return _copy_lines(cursor.cursor, f"COPY {table} ({names}) FROM STDIN", lines())  # noqa: S608


def insert_alike(
    model: type[Model], template: Model, varying: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert instances that differ from the unsaved `template` only in the `varying` fields
    (attribute names, in the order of each row's values): the template's other values, defaults
    and auto_now stamps are prepared once, instead of once per row and field as bulk_create does.
    Returns how many were written."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    prepared = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    slots = [next(i for i, f in enumerate(fields) if f.attname == name) for name in varying]
    columns = [str(f.column) for f in fields]

    def filled(values: Sequence[Any]) -> list[Any]:
        row = list(prepared)
        for slot, value in zip(slots, values, strict=True):
            row[slot] = value
        return row

    return insert_rows(model, columns, map(filled, rows))


def update_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *, key: int = 1
) -> int:
    """Update rows by primary key: the first `key` columns are the key (its columns, for a
    composite one), the others are set. Runs in the caller's transaction. On PostgreSQL the rows
    are copied into a temporary table and applied with one UPDATE … FROM (bulk_update's CASE WHEN
    per row grows with the batch); elsewhere one executemany. Returns how many rows matched."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in columns]
    keys, settable = quoted[:key], quoted[key:]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quoted)
            cursor.execute(
                f"CREATE TEMPORARY TABLE lotrinh_update ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            _copy(cursor.cursor, f"COPY lotrinh_update ({names}) FROM STDIN", rows)
            assignments = ", ".join(f"{c} = u.{c}" for c in settable)
            matching = " AND ".join(f"t.{c} = u.{c}" for c in keys)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM lotrinh_update AS u "  # noqa: S608
                f"WHERE {matching}"
            )
            count = cursor.rowcount
            cursor.execute("DROP TABLE lotrinh_update")
            return count
        assignments = ", ".join(f"{c} = %s" for c in settable)
        matching = " AND ".join(f"{c} = %s" for c in keys)
        sql = f"UPDATE {table} SET {assignments} WHERE {matching}"  # noqa: S608 - our own names
        cursor.executemany(sql, [[*(_adapt(v) for v in row[key:]), *row[:key]] for row in rows])
        return int(cursor.rowcount)
