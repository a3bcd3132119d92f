"""build_plan checks each row as the form does: this file → these changes and these messages."""

import datetime
from decimal import Decimal

import pytest

from lotrinh.reporting.importing.plan import ImportContext, UnitState, build_plan
from lotrinh.reporting.importing.reading import CSV_SHEET, UNIT_CODE, UNIT_NAME, RawRow, Table
from lotrinh.reporting.validation import ElementSpec, RuleSpec

CODES = ["a", "b", "c"]
HEADER = [UNIT_CODE, UNIT_NAME, *CODES]
COLUMNS = {"a": 3, "b": 4, "c": 5}
META = {"template_version": "1", "regime": "r", "period": "2026Q3", "structure": "2025"}
UNIT_CODES = ["001", "002", "003", "004"]


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
        elements={
            unit.tier: [
                ElementSpec(code, spec.value_type, spec.is_required, spec.min_value, spec.max_value)
                for code, spec in zip(CODES, specs, strict=True)
            ]
            for unit in units
        },
        rules={unit.tier: rules for unit in units},
        units={unit.code: unit for unit in units},
        other_units={"777": "Phường khác"},
    )


def clean_context(**unit_fields):
    unit = UnitState(1, "001", "Xã 1", True, **unit_fields)
    specs = [ElementSpec("a", "integer"), ElementSpec("b", "integer"), ElementSpec("c", "percent")]
    rule = RuleSpec("le", "b <= a", "error", "b không lớn hơn a.", "b cannot exceed a.")
    return make_context(specs, [rule], [unit])


def plan_of(cells, **unit_fields):
    table, context = make_table([("001", cells, "full")]), clean_context(**unit_fields)
    return build_plan(table, context)


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
    assert build_plan(unchanged, context).issues == []
    assert [(i.code, i.column) for i in build_plan(changed_b, context).issues] == [("le", 4)]


def test_a_figure_that_is_not_a_number_is_named_in_both_languages():
    plan = plan_of(["12a", "4", "1"])
    assert [(i.code, i.column, i.severity) for i in plan.issues] == [("not_a_number", 3, "error")]
    assert plan.issues[0].message_vi == "“12a” không phải là số."
    assert plan.issues[0].message_en == "“12a” is not a number."
    assert not plan.units


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        (["5.5", "4", "1"], "not_whole"),
        (["-3", "0", "1"], "negative"),
        (["5", "4", "100.5"], "over_100"),
        (["1000000000000000", "4", "1"], "too_large"),
    ],
)
def test_each_refused_figure_gets_its_own_message(cells, code):
    assert [i.code for i in plan_of(cells).issues] == [code]


def test_a_row_of_a_unit_twice_is_refused_at_its_second_row():
    table = make_table([("001", ["5", "4", "1"], "full"), ("001", ["6", "4", "1"], "full")])
    plan = build_plan(table, clean_context())
    assert [(i.code, i.row) for i in plan.issues] == [("duplicate_row", 4)]
    assert [unit.values["a"] for unit in plan.units] == [Decimal(5)]
