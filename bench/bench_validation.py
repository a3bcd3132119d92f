"""Benchmark: validating and planning an import in memory, per row (check_report) and screened.

Builds the table the import benchmark reads (every commune of the current structure, 3,321 rows ×
60 figures = 199,260 figures, 30 rules across fields, a usual range for every figure) without a
database, then times build_plan_per_row (the reference) and build_plan, checks they give the same
plan, and prints both times and their ratio. A second table has a figure stored for every cell
(the import run again), a third a few broken cells scattered over it; one more has figures that
nearly all differ (bench_import's repeat, and identical texts are read once).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from lotrinh.reporting.importing.plan import (  # noqa: E402
    ImportContext,
    UnitState,
    build_plan,
    build_plan_per_row,
)
from lotrinh.reporting.importing.reading import CSV_SHEET, UNIT_CODE, UNIT_NAME, RawRow, Table  # noqa: E402
from lotrinh.reporting.validation import ElementSpec, RuleSpec  # noqa: E402

UNITS = 3_321
FIELDS = 60
CODES = [f"bench_e{i:02d}" for i in range(1, FIELDS + 1)]


def figure(n: int, i: int, *, distinct: bool = False) -> int:
    """Odd columns hold a total, even ones a part 10 below it (as bench_import's CSV, whose
    figures repeat); `distinct` spreads them so that nearly every cell differs."""
    base = 1000 + (n * 7919 + (i + 1) // 2 * 104729) % 999_983 if distinct else 1000 + n % 97
    return base - (1 - i % 2) * 10


def make_context(*, stored: bool, distinct: bool = False) -> ImportContext:
    units = {}
    for n in range(UNITS):
        code = f"{n + 1:05d}"
        values = {c: figure(n, i, distinct=distinct) for i, c in enumerate(CODES, start=1)}
        units[code] = UnitState(
            unit_id=n + 1,
            code=code,
            name=f"Xã {n + 1}",
            may_write=True,
            report_id=n + 1 if stored else None,
            report_version=1 if stored else None,
            status="draft" if stored else None,
            stored={c: Decimal(v - 1) for c, v in values.items()} if stored else {},
            usual={c: (v / 3, v * 3.0) for c, v in values.items()},
        )
    return ImportContext(
        regime_code="bench",
        regime_name="Bench",
        period_code="2026Q3",
        structure="2025",
        period_locked=False,
        period_opens_on=datetime.date(2026, 7, 1),
        today=datetime.date(2026, 8, 1),
        field_names={c: f"Chỉ tiêu {c[-2:]}" for c in CODES},
        elements=[ElementSpec(c, "integer") for c in CODES],
        rules=[
            RuleSpec(f"r{i}", f"{CODES[2 * i - 1]} <= {CODES[2 * i - 2]}", "error", "-", "-")
            for i in range(1, FIELDS // 2 + 1)
        ],
        units=units,
        other_units={},
    )


def make_table(*, broken: bool, distinct: bool = False) -> Table:
    header = [UNIT_CODE, UNIT_NAME, *CODES]
    columns = {code: index for index, code in enumerate(header, start=1)}
    del columns[UNIT_CODE], columns[UNIT_NAME]
    table = Table(
        "csv",
        CSV_SHEET,
        {"template_version": "1", "regime": "bench", "period": "2026Q3", "structure": "2025"},
        header,
    )
    for n in range(UNITS):
        cells: dict[str, object] = {
            c: str(figure(n, i, distinct=distinct)) for i, c in enumerate(CODES, start=1)
        }
        if broken and n % 50 == 0:
            cells[CODES[n % FIELDS]] = ["x", "-3", "1.234,5", "", "99999"][n % 5]
        table.rows.append(RawRow(n + 3, f"{n + 1:05d}", f"Xã {n + 1}", cells, columns))
    return table


def timed(function: object, table: Table, context: ImportContext) -> tuple[float, object]:
    best, plan = float("inf"), None
    for _ in range(3):
        started = time.perf_counter()
        plan = function(table, context)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best, plan


def main() -> None:
    for label, stored, broken, distinct in [
        ("first figures, history checked", False, False, False),
        ("the same, nearly all figures distinct", False, False, True),
        ("every figure stored and changed", True, False, False),
        ("one row in 50 with a broken cell", False, True, False),
    ]:
        table = make_table(broken=broken, distinct=distinct)
        context = make_context(stored=stored, distinct=distinct)
        old, old_plan = timed(build_plan_per_row, table, context)
        new, new_plan = timed(build_plan, table, context)
        assert new_plan == old_plan, "the screened plan differs from the per-row one"
        figures = UNITS * FIELDS
        print(
            f"{label:38s} {figures} figures: per row {old:5.3f} s, screened {new:5.3f} s "
            f"({old / new:4.1f}x faster, {figures / new:,.0f} figures/s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
