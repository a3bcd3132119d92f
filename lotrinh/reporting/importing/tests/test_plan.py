"""build_plan screens all cells at once; its plan must be exactly the per-row one (check_report)."""

import datetime
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotrinh.reporting.importing.plan import (
    ImportContext,
    UnitState,
    build_plan,
    build_plan_per_row,
)
from lotrinh.reporting.importing.reading import CSV_SHEET, UNIT_CODE, UNIT_NAME, RawRow, Table
from lotrinh.reporting.range_table import RangeTable
from lotrinh.reporting.rules import RuleError
from lotrinh.reporting.tests.test_vector_rules import rule_expressions
from lotrinh.reporting.validation import ElementSpec, RuleSpec

CODES = ["a", "b", "c"]
HEADER = [UNIT_CODE, UNIT_NAME, *CODES]
COLUMNS = {"a": 3, "b": 4, "c": 5}
META = {"template_version": "1", "regime": "r", "period": "2026Q3", "structure": "2025"}
UNIT_CODES = ["001", "002", "003", "004"]

CELLS = st.one_of(
    st.integers(-(10**16), 10**16).map(str),
    st.integers(-200, 200).map(str),
    st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=2).map(str),
    st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=5).map(str),
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", ".")),  # Vietnamese thousands
    st.sampled_from(
        [
            "",
            "",
            " ",
            "\u00a0",
            "1.234,5",
            "7,5",
            "1,234.5",
            "2.000",
            "0.234",
            "-0.5",
            "-0",
            "00",
            "007",
            "100",
            "100.0",
            "100.00",
            "100.01",
            "99.99",
            "5",
            "5.0",
            "2.5",
            "-3",
            "abc",
            "12a",
            "1e3",
            "nan",
            "inf",
            "1_000",
            "12\n3",
            " 42 ",
            "+5",
            "5.",
            ".5",
            "-",
            "999999999999999",
            "1000000000000000",
            "999999999999999.9",
            "0.1",
            "0.2",
            "0.3",
            "1.2.3",
            "--1",
            "1-",
            "đ",
            "1 234",
        ]
    ),
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6) | st.just(float("nan")),
    st.sampled_from([None, True, 1234.0, Decimal("12.50"), 1.234, 1e20]),
)
# Mostly plain figures, as in a real file, so that most rows are screened and some are not.
PLAIN = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**6).map(str),
    st.integers(0, 120).map(str),
    st.decimals(min_value=0, max_value=100, allow_nan=False, places=2).map(str),
)
FIGURES = st.integers(0, 9).flatmap(lambda pick: CELLS if pick == 0 else PLAIN)
# Mostly no bound, sometimes one that refuses many figures or ties with them.
BOUNDS = st.integers(0, 9).flatmap(
    lambda pick: (
        st.none()
        if pick
        else st.sampled_from(
            [Decimal(0), Decimal(5), Decimal("2.5"), Decimal(100), Decimal("0.1234567890123456789")]
        )
    )
)
SPECS = st.builds(
    ElementSpec,
    st.just(""),
    st.sampled_from(["integer", "decimal", "decimal", "percent"]),
    st.booleans(),
    BOUNDS,
    BOUNDS,
)
SIMPLE_RULES = st.sampled_from(
    [
        "b <= a",
        "a + b >= c",
        "c <= 100",
        "a * 0.5 <= b + 1000",
        "a >= 0 and b >= 0",
        "min(a, b) <= max(a, c)",
        "abs(a - b) >= 0",
        "a / 3 <= a or a < 0",
        "(a if c > 50 else b) >= 0",
        "not a < 0",
        "a + b + c == a + b + c",
        "c < z",
    ]
)
RULES = st.lists(
    st.builds(
        RuleSpec,
        st.sampled_from(["r1", "r2", "r3", "outlier"]),
        st.one_of(
            rule_expressions(),
            *[SIMPLE_RULES] * 3,
        ),
        st.sampled_from(["error", "warning"]),
        st.just("Quy tắc sai."),
        st.just("The rule is broken."),
    ),
    max_size=3,
)
USUAL = st.one_of(
    st.just((0.0, 1e7)),
    st.just((0.0, 1e7)),
    st.just((0.0, 1e7)),
    st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)),
    st.tuples(st.just(float("-inf")), st.floats(0, 100)),
    st.just((0.0, 100.0)),
)
STORED = st.one_of(
    st.none(), st.integers(-5, 10**6).map(Decimal), st.sampled_from([Decimal("2.5"), Decimal(-1)])
)
RANGES = st.dictionaries(st.sampled_from([*CODES, "x"]), USUAL)
# Kept ranges come as a RangeTable of (element id, low, high) rows; 99 names no element at all.
ELEMENT_IDS = {code: number for number, code in enumerate([*CODES, "x"], start=1)}
ELEMENT_CODES = {number: code for code, number in ELEMENT_IDS.items()}


def as_table(ranges):
    rows = [(ELEMENT_IDS[code], low, high) for code, (low, high) in ranges.items()]
    return RangeTable(np.array([*rows, (99, 0.0, 1.0)], dtype="<f8"), ELEMENT_CODES)


UNITS = st.builds(
    lambda code, may_write, status, stored, usual: UnitState(
        unit_id=int(code),
        code=code,
        name=f"Xã {code}",
        may_write=may_write,
        report_id=int(code) if status else None,
        report_version=1 if status else None,
        status=status,
        status_label=status or "",
        stored=stored,
        usual=usual,
    ),
    st.sampled_from(UNIT_CODES),
    st.sampled_from([True, True, True, False]),
    st.sampled_from([None, None, "draft", "returned", "submitted", "approved"]),
    st.dictionaries(st.sampled_from(CODES), STORED),
    st.one_of(RANGES, *[RANGES.map(as_table)] * 3),
)
ROWS = st.lists(
    st.tuples(
        st.sampled_from([*UNIT_CODES, *UNIT_CODES, "1", "999", "777", ""]),
        st.lists(FIGURES, min_size=3, max_size=3),
        st.sampled_from(["full"] * 8 + ["short", "reordered"]),
    ),
    max_size=8,
)


def make_table(rows):
    table = Table("csv", CSV_SHEET, META, HEADER)
    for number, (unit, cells, shape) in enumerate(rows, start=3):
        values = dict(zip(CODES, cells, strict=True))
        if shape == "short":
            del values["c"]
        elif shape == "reordered":
            values = dict(reversed(values.items()))
        table.rows.append(RawRow(number, unit, "", values, COLUMNS))
    return table


def make_context(specs, rules, units):
    return ImportContext(
        regime_code="r",
        regime_name="R",
        period_code="2026Q3",
        structure="2025",
        period_locked=False,
        period_opens_on=datetime.date(2026, 7, 1),
        today=datetime.date(2026, 8, 1),
        field_names={code: code.upper() for code in CODES},
        elements=[
            ElementSpec(code, spec.value_type, spec.is_required, spec.min_value, spec.max_value)
            for code, spec in zip(CODES, specs, strict=True)
        ],
        rules=rules,
        units={unit.code: unit for unit in units},
        other_units={"777": "Phường khác"},
    )


def outcome(build, table, context):
    """The plan in full (repr: Decimal exponents and dict order count), or the error raised."""
    try:
        return repr(build(table, context))
    except RuleError as error:
        return f"refused: {error}"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(SPECS, min_size=3, max_size=3),
    RULES,
    st.lists(UNITS, min_size=2, max_size=4, unique_by=lambda unit: unit.code),
    ROWS,
)
def test_the_screened_plan_is_the_per_row_plan(specs, rules, units, rows):
    table, context = make_table(rows), make_context(specs, rules, units)
    assert outcome(build_plan, table, context) == outcome(build_plan_per_row, table, context)


def clean_context(**unit_fields):
    unit = UnitState(1, "001", "Xã 1", True, **unit_fields)
    specs = [ElementSpec("a", "integer"), ElementSpec("b", "integer"), ElementSpec("c", "percent")]
    rule = RuleSpec("le", "b <= a", "error", "b không lớn hơn a.", "b cannot exceed a.")
    return make_context(specs, [rule], [unit])


def plan_of(cells, **unit_fields):
    table, context = make_table([("001", cells, "full")]), clean_context(**unit_fields)
    plan = build_plan(table, context)
    assert repr(plan) == repr(build_plan_per_row(table, context))
    return plan


def test_plain_figures_are_planned_as_their_decimals():
    plan = plan_of(["1200", "007", "45.50"])
    assert [unit.values for unit in plan.units] == [
        {"a": Decimal(1200), "b": Decimal(7), "c": Decimal("45.50")}
    ]
    assert str(plan.units[0].values["c"]) == "45.50"


def test_vietnamese_thousands_are_read_as_the_form_reads_them():
    plan = plan_of(["1.234", "1.200", "7,5"])
    assert plan.units[0].values == {"a": Decimal(1234), "b": Decimal(1200), "c": Decimal("7.5")}


def test_a_broken_rule_is_reported_at_its_first_given_figure():
    plan = plan_of(["5", "6", "50"])
    assert [(i.code, i.column) for i in plan.issues] == [("le", 3)]
    assert not plan.units


def test_a_percentage_of_exactly_100_passes_and_above_is_refused():
    assert plan_of(["5", "5", "100.00"]).units
    assert [i.code for i in plan_of(["5", "5", "100.001"]).issues] == ["over_100"]


def test_an_empty_cell_is_checked_with_the_stored_figure():
    plan = plan_of(["5", "", "1"], stored={"b": Decimal(9)})
    assert [i.code for i in plan.issues] == ["le"]


def test_an_outlier_is_a_warning_and_the_figure_is_kept():
    plan = plan_of(["5000", "5", "1"], usual={"a": (10.0, 100.0)})
    assert [(i.code, i.severity) for i in plan.issues] == [("outlier", "warning")]
    assert plan.units[0].values["a"] == 5000


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_report_is_reported_once_for_its_row(status):
    plan = plan_of(["5", "4", "1"], status=status, report_id=1, report_version=1)
    assert [i.code for i in plan.issues] == ["report_locked"]


def test_an_unchanged_row_changes_nothing():
    stored = {"a": Decimal(5), "b": Decimal(4), "c": Decimal(1)}
    assert not plan_of(["5", "4", "1.0"], stored=stored).units


def test_an_unchanged_unusual_figure_gives_no_warning():
    """A downloaded template holds every stored figure; only the ones changed are asked about."""
    stored = {"a": Decimal(5000), "b": Decimal(4), "c": Decimal(1)}
    plan = plan_of(["5000", "5", "1"], stored=stored, usual={"a": (10.0, 100.0)})
    assert plan.issues == []
    assert [unit.values for unit in plan.units] == [{"b": Decimal(5)}]


def test_a_changed_unusual_figure_still_gives_its_warning():
    stored = {"a": Decimal(4000), "b": Decimal(4), "c": Decimal(1)}
    plan = plan_of(["5000", "4", "1"], stored=stored, usual={"a": (10.0, 100.0)})
    assert [(i.code, i.severity, i.column) for i in plan.issues] == [("outlier", "warning", 3)]


def test_a_warning_rule_is_reported_at_its_first_changed_figure_only():
    unit = UnitState(1, "001", "Xã 1", True, stored={"a": Decimal(5), "b": Decimal(6)})
    specs = [ElementSpec("a", "integer"), ElementSpec("b", "integer"), ElementSpec("c", "percent")]
    rule = RuleSpec("le", "b <= a", "warning", "b thường không lớn hơn a.", "b seldom exceeds a.")
    context = make_context(specs, [rule], [unit])
    unchanged = make_table([("001", ["5", "6", "50"], "full")])
    changed_b = make_table([("001", ["5", "7", "50"], "full")])
    for table in (unchanged, changed_b):
        assert repr(build_plan(table, context)) == repr(build_plan_per_row(table, context))
    assert build_plan(unchanged, context).issues == []
    assert [(i.code, i.column) for i in build_plan(changed_b, context).issues] == [("le", 4)]
