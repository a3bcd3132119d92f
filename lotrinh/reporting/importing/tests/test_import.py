"""Dry run and apply against the database: every bad input gets its error and changes nothing."""

import datetime
import io
import statistics
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from lotrinh.access.models import Membership
from lotrinh.orgunits.models import Tier
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, write_check
from lotrinh.reporting.importing.reading import ImportRefusedError
from lotrinh.reporting.importing.tests.conftest import csv_for, set_figure, snapshot, xlsx_for
from lotrinh.reporting.models import DataValue, Period, Report, Status
from lotrinh.reporting.queries import audit_trail, value_history
from lotrinh.reporting.services import Actor, open_report, save_values, validate_report

pytestmark = pytest.mark.django_db


def plan_of(data, regime, period, user, name="mau.xlsx"):
    return plan_file(regime, period, write_check(user), name, io.BytesIO(data), len(data))


def figures(regime, period, unit):
    return {
        dv.data_element.code: dv.value
        for dv in DataValue.objects.filter(
            report__regime=regime, report__period=period, report__org_unit=unit
        ).select_related("data_element")
    }


@pytest.fixture
def communes(gia_lai):
    return list(gia_lai.children.filter(tier=Tier.COMMUNE).order_by("code")[:3])


def fill(values_by_unit):
    def edit(book):
        for unit_code, values in values_by_unit.items():
            for code, value in values.items():
                set_figure(book, unit_code, code, value)

    return edit


GOOD = {
    "tong_ho_so_cong_viec": 300,
    "ho_so_cong_viec_dien_tu": 240,
    "tong_so_tthc": 110,
    "so_dvctt": 90,
}


def test_the_dry_run_lists_each_change_with_old_and_new_and_writes_nothing(
    regime, clean_period, reporter, commune
):
    before = snapshot(clean_period)
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert plan.errors == [] and plan.can_apply
    assert {(c.unit_code, c.field, c.old, c.new) for c in plan.changes} == {
        (commune.code, code, None, Decimal(v)) for code, v in GOOD.items()
    }
    assert plan.changes[0].where.startswith("'Số liệu'!C")
    assert snapshot(clean_period) == before


def test_apply_writes_through_the_same_rules_and_audits_each_value(
    regime, clean_period, reporter, commune
):
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    result = apply_plan(Actor(reporter.user, "10.1.1.1", "import"), regime, clean_period, plan)
    assert result.values == 4
    assert figures(regime, clean_period, commune) == {k: Decimal(v) for k, v in GOOD.items()}
    report = Report.objects.get(regime=regime, period=clean_period, org_unit=commune)
    assert report.version == 2 and report.status == Status.DRAFT
    events = [e for e in audit_trail(report) if e.action == "value_changed"]
    assert {
        (e.field, e.old_value, e.new_value, e.channel, e.ip_address, e.actor_id) for e in events
    } == {(code, "", str(v), "import", "10.1.1.1", reporter.user.pk) for code, v in GOOD.items()}


def test_a_figure_imported_replaces_what_was_kept_as_typed(regime, clean_period, reporter, commune):
    report = open_report(reporter, regime, clean_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "ba trăm", "tong_so_tthc": "x"})
    assert set(report.draft_texts.values_list("data_element__code", flat=True)) == {
        "tong_ho_so_cong_viec",
        "tong_so_tthc",
    }
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill({commune.code: {"tong_ho_so_cong_viec": 300}}),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    apply_plan(Actor(reporter.user, None, "import"), regime, clean_period, plan)
    # Only the figure the import wrote stops being kept as typed; the other still blocks submission.
    assert list(report.draft_texts.values_list("data_element__code", flat=True)) == ["tong_so_tthc"]
    errors = {i.field for i in validate_report(Report.objects.get(pk=report.pk)).errors}
    assert "tong_ho_so_cong_viec" not in errors and "tong_so_tthc" in errors
    trail = audit_trail(report, "tong_ho_so_cong_viec")
    assert ("kept_as_typed", "ba trăm", "") in {(e.action, e.old_value, e.new_value) for e in trail}


def test_changing_stored_figures_records_old_and_new(regime, clean_period, reporter, commune):
    report = open_report(reporter, regime, clean_period, commune)
    save_values(
        reporter,
        report,
        {"tong_ho_so_cong_viec": "300", "ho_so_cong_viec_dien_tu": "200"},
        {"ho_so_cong_viec_dien_tu": "Số liệu của văn phòng"},
    )
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill({commune.code: {"ho_so_cong_viec_dien_tu": 250}}),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert [(c.field, c.old, c.new) for c in plan.changes] == [
        ("ho_so_cong_viec_dien_tu", 200, 250)
    ]
    apply_plan(Actor(reporter.user, None, "import"), regime, clean_period, plan)
    event = audit_trail(report)[0]
    assert (event.field, event.old_value, event.new_value) == (
        "ho_so_cong_viec_dien_tu",
        "200",
        "250",
    )
    assert [
        (e.action, e.old_value, e.new_value) for e in audit_trail(report, "ho_so_cong_viec_dien_tu")
    ] == [
        ("value_changed", "200", "250"),
        ("comment_changed", "", "Số liệu của văn phòng"),
        ("value_changed", "", "200"),
    ]
    assert Report.objects.get(pk=report.pk).version == 3
    # The changed figure is stored with its explanation kept; the other keeps its version.
    assert set(
        DataValue.objects.filter(report=report).values_list(
            "data_element__code", "value", "comment", "version"
        )
    ) == {
        ("tong_ho_so_cong_viec", 300, "", 2),
        ("ho_so_cong_viec_dien_tu", 250, "Số liệu của văn phòng", 3),
    }


def test_an_unchanged_template_changes_nothing(regime, clean_period, reporter, commune):
    report = open_report(reporter, regime, clean_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300"})
    plan = plan_of(
        xlsx_for(regime, clean_period, reporter.user), regime, clean_period, reporter.user
    )
    assert plan.changes == [] and plan.errors == [] and not plan.can_apply


def assert_refused_and_unchanged(plan, period, before, expected):
    assert {(i.code, i.where) for i in plan.errors} == expected
    assert not plan.can_apply
    with pytest.raises(ImportRefusedError):
        apply_plan(Actor(User(), None, "import"), None, period, plan)
    assert snapshot(period) == before


def test_non_numeric_and_negative_counts_are_errors_at_their_cells(
    regime, clean_period, reporter, commune
):
    before = snapshot(clean_period)
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill(
            {commune.code: {"tong_ho_so_cong_viec": "ba trăm", "tong_so_tthc": -4, "so_dvctt": 2.5}}
        ),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert_refused_and_unchanged(
        plan,
        clean_period,
        before,
        {
            ("not_a_number", "'Số liệu'!C3"),
            ("negative", "'Số liệu'!E3"),
            ("not_whole", "'Số liệu'!G3"),
        },
    )
    messages = {i.code: (i.message_vi, i.message_en) for i in plan.errors}
    assert "ba trăm" in messages["not_a_number"][1]


def test_numerator_above_denominator_is_refused_by_the_regimes_rule(
    regime, clean_period, reporter, commune
):
    before = snapshot(clean_period)
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill({commune.code: {"tong_ho_so_cong_viec": 100, "ho_so_cong_viec_dien_tu": 120}}),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert_refused_and_unchanged(
        plan, clean_period, before, {("ho-so-dien-tu-khong-vuot-tong", "'Số liệu'!C3")}
    )
    assert plan.errors[0].message_vi.startswith("Số hồ sơ công việc xử lý trên môi trường mạng")
    assert plan.errors[0].message_en == "Work files processed online cannot exceed all work files."


def test_the_rule_also_holds_against_a_stored_figure(regime, clean_period, reporter, commune):
    save_values(
        reporter,
        open_report(reporter, regime, clean_period, commune),
        {"tong_ho_so_cong_viec": "100"},
    )
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill({commune.code: {"ho_so_cong_viec_dien_tu": 120}}),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert [i.code for i in plan.errors] == ["ho-so-dien-tu-khong-vuot-tong"]


def test_a_value_for_a_unit_the_user_does_not_own_is_refused(
    regime, clean_period, approver, reporter, communes
):
    before = snapshot(clean_period)
    # The approver's template covers the province; the reporter uploads it filled for a neighbour.
    neighbour = communes[1]
    data = xlsx_for(regime, clean_period, approver.user, edit=fill({neighbour.code: GOOD}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert {i.code for i in plan.errors} == {"forbidden_unit"}
    assert neighbour.name in plan.errors[0].message_en
    assert_refused_and_unchanged(
        plan, clean_period, before, {(e.code, e.where) for e in plan.errors}
    )


def test_permission_is_checked_again_when_applying_and_nothing_is_half_written(
    regime, clean_period, approver, communes
):
    data = xlsx_for(
        regime, clean_period, approver.user, edit=fill({u.code: GOOD for u in communes})
    )
    plan = plan_of(data, regime, clean_period, approver.user)
    assert len(plan.units) == 3 and not plan.errors
    before = snapshot(clean_period)
    Membership.objects.filter(user=approver.user).delete()
    approver.user.__dict__.pop("_lotrinh_memberships", None)
    with pytest.raises(PermissionDenied):
        apply_plan(Actor(approver.user, None, "import"), regime, clean_period, plan)
    assert snapshot(clean_period) == before


def test_a_report_changed_after_the_dry_run_is_not_overwritten(
    regime, clean_period, reporter, commune
):
    report = open_report(reporter, regime, clean_period, commune)
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "999"})
    before = snapshot(clean_period)
    with pytest.raises(ImportRefusedError, match="changed after the dry run"):
        apply_plan(Actor(reporter.user, None, "import"), regime, clean_period, plan)
    assert snapshot(clean_period) == before


def test_a_locked_period_is_refused(regime, clean_period, reporter, commune):
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    Period.objects.filter(pk=clean_period.pk).update(is_locked=True)
    clean_period.refresh_from_db()
    before = snapshot(clean_period)
    with pytest.raises(ImportRefusedError, match="is locked"):
        plan_of(data, regime, clean_period, reporter.user)
    assert snapshot(clean_period) == before


def test_a_period_not_yet_open_is_refused(regime, reporter, commune):
    future = Period.objects.create(
        regime=regime,
        code="2099Q1",
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 3, 31),
        cutoff_from=datetime.date(2098, 12, 15),
        cutoff_to=datetime.date(2099, 3, 14),
    )
    data = xlsx_for(regime, future, reporter.user, edit=fill({commune.code: GOOD}))
    with pytest.raises(ImportRefusedError) as caught:
        plan_of(data, regime, future, reporter.user)
    assert "opens on 15/12/2098" in caught.value.text("en")
    assert not Report.objects.filter(period=future).exists()


def test_a_submitted_report_is_not_changed(regime, clean_period, reporter, commune):
    report = open_report(reporter, regime, clean_period, commune)
    Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    before = snapshot(clean_period)
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert_refused_and_unchanged(plan, clean_period, before, {("report_locked", "'Số liệu'!A3")})
    locked = plan.errors[0]
    assert " is Submitted and cannot be changed" in locked.message_en
    assert "Đã gửi" in locked.message_vi and "Submitted" not in locked.message_vi


def test_the_template_of_another_period_or_regime_is_refused(
    regime, clean_period, reporter, commune
):
    other = Period.objects.filter(regime=regime).exclude(pk=clean_period.pk).latest("starts_on")
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: GOOD}))
    with pytest.raises(ImportRefusedError) as caught:
        plan_of(data, regime, other, reporter.user)
    for language in ("vi", "en"):
        with translation.override(language):
            labels = [clean_period.label, other.label]
        assert all(label in caught.value.text(language) for label in labels)


def test_a_workbook_with_its_meta_sheet_removed_is_refused(regime, clean_period, reporter, commune):
    data = xlsx_for(
        regime, clean_period, reporter.user, edit=lambda book: book.remove(book["_meta"])
    )
    with pytest.raises(ImportRefusedError, match="_meta"):
        plan_of(data, regime, clean_period, reporter.user)


def test_a_csv_without_its_meta_line_is_refused(regime, clean_period, reporter):
    text = csv_for(regime, clean_period, reporter.user).split("\r\n", 1)[1]
    with pytest.raises(ImportRefusedError, match="_meta"):
        plan_of(text.encode(), regime, clean_period, reporter.user, "a.csv")


def test_a_missing_column_is_refused(regime, clean_period, reporter):
    data = xlsx_for(
        regime, clean_period, reporter.user, edit=lambda book: book["Số liệu"].delete_cols(4)
    )
    with pytest.raises(ImportRefusedError) as caught:
        plan_of(data, regime, clean_period, reporter.user)
    assert "missing" in caught.value.text("en") and "ho_so_cong_viec_dien_tu" in caught.value.text(
        "en"
    )


def test_an_extra_column_is_refused_by_its_letter(regime, clean_period, reporter):
    def add_column(book):
        sheet = book["Số liệu"]
        sheet.cell(1, sheet.max_column + 1, "ghi_chu")

    data = xlsx_for(regime, clean_period, reporter.user, edit=add_column)
    with pytest.raises(ImportRefusedError) as caught:
        plan_of(data, regime, clean_period, reporter.user)
    assert "S (“ghi_chu”)" in caught.value.text("en")  # after the 16 fields and 2 key columns


def test_a_unit_twice_is_refused_on_its_second_row(regime, clean_period, approver, communes):
    def duplicate(book):
        sheet = book["Số liệu"]
        sheet.append([communes[0].code, communes[0].name, 5])

    data = xlsx_for(regime, clean_period, approver.user, edit=duplicate)
    plan = plan_of(data, regime, clean_period, approver.user)
    [error] = plan.errors
    assert error.code == "duplicate_row" and "first on row 3" in error.message_en


def test_a_formula_in_a_filled_template_is_refused_by_cell(regime, clean_period, reporter, commune):
    before = snapshot(clean_period)
    data = xlsx_for(
        regime,
        clean_period,
        reporter.user,
        edit=fill(
            {commune.code: {"tong_ho_so_cong_viec": 300, "ho_so_cong_viec_dien_tu": "=C3*0.8"}}
        ),
    )
    plan = plan_of(data, regime, clean_period, reporter.user)
    assert_refused_and_unchanged(plan, clean_period, before, {("formula", "'Số liệu'!D3")})


def test_the_approvers_template_lists_the_units_of_the_subtree(
    regime, clean_period, approver, reporter, gia_lai
):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_for(regime, clean_period, approver.user)))
    sheet = book["Số liệu"]
    codes = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert len(codes) > 50 and all(
        code.startswith(("52", "0", "1", "2", "3")) or code for code in codes
    )
    assert sheet.row_dimensions[1].hidden and sheet.cell(2, 3).value == "Tổng số hồ sơ công việc"
    assert book["_meta"].sheet_state == "hidden"
    assert dict(book["_meta"].iter_rows(values_only=True))["period"] == clean_period.code
    mine = load_workbook(io.BytesIO(xlsx_for(regime, clean_period, reporter.user)))["Số liệu"]
    assert mine.max_row == 3


def test_a_downloaded_csv_filled_with_semicolons_and_decimal_commas_imports(
    regime, clean_period, reporter, commune
):
    text = csv_for(regime, clean_period, reporter.user, delimiter=";")
    lines = text.split("\r\n")
    cells = lines[3].split(";")
    cells[2:6] = ["1.300", "1.200", "110", "60"]
    lines[3] = ";".join(cells)
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode()
    plan = plan_of(data, regime, clean_period, reporter.user, "so-lieu.csv")
    assert plan.errors == []
    assert {(c.field, c.new) for c in plan.changes} == {
        ("tong_ho_so_cong_viec", 1300),
        ("ho_so_cong_viec_dien_tu", 1200),
        ("tong_so_tthc", 110),
        ("so_dvctt_toan_trinh", 60),
    }


def test_the_import_flags_the_same_outliers_as_the_form(regime, clean_period, reporter, commune):
    """The history check of the bulk read (usual ranges for every unit at once) agrees with the
    per-report check that the form and submission use (queries.value_history)."""
    report = open_report(reporter, regime, clean_period, commune)
    history = value_history(report)
    assert len(history.get("tong_ho_so_cong_viec", [])) >= 3  # illustrative approved quarters
    usual = statistics.median(history["tong_ho_so_cong_viec"])
    edits = {"tong_ho_so_cong_viec": int(usual * 50), "ho_so_cong_viec_dien_tu": 1}
    data = xlsx_for(regime, clean_period, reporter.user, edit=fill({commune.code: edits}))
    plan = plan_of(data, regime, clean_period, reporter.user)
    columns = {cell.value: cell.column for cell in load_workbook(io.BytesIO(data))["Số liệu"][1]}
    by_import = {
        (code, w.code) for w in plan.warnings for code in edits if columns[code] == w.column
    }
    save_values(reporter, report, {code: str(v) for code, v in edits.items()})
    by_form = {
        (i.field, i.code) for i in validate_report(Report.objects.get(pk=report.pk)).warnings
    }
    assert ("tong_ho_so_cong_viec", "outlier") in by_import
    assert by_import == {(field, code) for field, code in by_form if field in edits}
