"""Usual ranges kept at approval: used while the approved history is the one they came from, never
after it changed, and equal to the per-report computation the form uses."""

import math

import pytest

from lotrinh.reporting.models import Report, Status, UsualRanges
from lotrinh.reporting.queries import value_history
from lotrinh.reporting.services import approve_report, open_report
from lotrinh.reporting.usual_ranges import (
    _decode,
    _encode,
    earlier_periods,
    refresh_usual_ranges,
    usual_ranges,
)
from lotrinh.reporting.validation import usual_range

pytestmark = pytest.mark.django_db


def units_of(regime, period, gia_lai):
    return list(
        Report.objects.filter(
            regime=regime,
            status=Status.APPROVED,
            period_id__in=earlier_periods(regime, period),
            org_unit__path__startswith=gia_lai.path,
        )
        .values_list("org_unit_id", flat=True)
        .distinct()
    )


def test_the_ranges_equal_the_form_s_computation_from_the_unit_s_history(
    regime, open_period, gia_lai, reporter, commune
):
    report = open_report(reporter, regime, open_period, commune)
    history = value_history(report)
    assert history, "the illustrative data give the commune approved quarters"
    codes = {
        f.data_element_id: f.data_element.code for f in regime.fields.select_related("data_element")
    }
    computed = usual_ranges(regime, open_period, [commune.pk])[commune.pk]
    expected = {code: usual_range(past) for code, past in history.items()}
    found = {codes[e]: r for e, r in computed.items() if e in codes}
    assert set(found) == {code for code, r in expected.items() if r is not None}
    for code, (low, high) in found.items():
        assert (low, high) == pytest.approx(expected[code]), code
    refresh_usual_ranges(regime, open_period, [commune.pk])
    assert usual_ranges(regime, open_period, [commune.pk])[commune.pk] == computed


def test_a_kept_row_is_used_while_its_basis_holds_and_ignored_once_the_history_changes(
    regime, open_period, gia_lai
):
    units = units_of(regime, open_period, gia_lai)[:3]
    assert refresh_usual_ranges(regime, open_period, units) == len(units)
    computed = usual_ranges(regime, open_period, units)
    # Mark one unit's kept row so that reading it is visible.
    unit = units[0]
    row = UsualRanges.objects.get(regime=regime, period=open_period, org_unit_id=unit)
    row.ranges = _encode(dict.fromkeys(computed[unit], (-1.0, -1.0)))
    row.save()
    assert set(usual_ranges(regime, open_period, units)[unit].values()) == {(-1.0, -1.0)}
    # The history changes behind the workflow's back (a bulk update bumps a version): the kept
    # row no longer matches its basis and the ranges come from the history again.
    Report.objects.filter(
        regime=regime,
        org_unit_id=unit,
        status=Status.APPROVED,
        period_id__in=earlier_periods(regime, open_period),
    ).update(version=999)
    assert usual_ranges(regime, open_period, units) == computed


def test_approving_a_report_keeps_its_unit_s_ranges_for_the_periods_after_it(
    regime, open_period, reporter, approver, commune, django_capture_on_commit_callbacks
):
    previous = regime.periods.filter(starts_on__lt=open_period.starts_on).order_by("-starts_on")[0]
    report = Report.objects.get(regime=regime, period=previous, org_unit=commune)
    Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)  # awaiting its decision
    UsualRanges.objects.filter(org_unit=commune).delete()
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(approver, Report.objects.get(pk=report.pk))
    kept = UsualRanges.objects.get(regime=regime, period=open_period, org_unit=commune)
    stored = _decode(kept.ranges)
    assert stored
    element = regime.fields.get(data_element__code="tong_ho_so_cong_viec").data_element_id
    history = value_history(open_report(reporter, regime, open_period, commune))
    assert stored[element] == pytest.approx(usual_range(history["tong_ho_so_cong_viec"]))
    # What the import reads is the kept row (its basis is the approval just made).
    row = UsualRanges.objects.get(pk=kept.pk)
    row.ranges = _encode({element: (-2.0, -2.0)})
    row.save()
    assert usual_ranges(regime, open_period, [commune.pk])[commune.pk] == {element: (-2.0, -2.0)}


def test_a_range_without_a_lower_bound_survives_being_kept():
    ranges = {7: (-math.inf, 10.0), 12: (3.5, 31.5)}
    assert _decode(_encode(ranges)) == ranges
    assert _decode(_encode({})) == {}
