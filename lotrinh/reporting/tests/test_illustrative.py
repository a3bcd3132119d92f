"""Illustrative reports never claim to have been sent or decided after the moment they are made."""

import datetime
from unittest import mock

from django.db.models import F, Q
from django.utils import timezone

from lotrinh.reporting.illustrative import generate_illustrative
from lotrinh.reporting.models import Report


def test_illustrative_reports_are_never_sent_or_decided_in_the_future(db):
    # Early in the morning: a report "sent today" at 9:00 or later would be in the future.
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(6, 44)))
    since = now.date() - datetime.timedelta(days=120)
    with mock.patch("django.utils.timezone.now", return_value=now):
        generate_illustrative(provinces=["83"], since=since)
    made = Report.objects.filter(
        Q(org_unit__path__startswith="legacy/83/") | Q(org_unit__path__startswith="2025/86/"),
        is_illustrative=True,
        submitted_at__isnull=False,
    )
    assert made.count() > 100
    assert not made.filter(submitted_at__gt=now).exists()
    assert not made.filter(decided_at__gt=now).exists()
    assert not made.filter(decided_at__lt=F("submitted_at")).exists()


def test_illustrative_reports_fill_every_field_and_keep_every_rule(db):
    from lotrinh.reporting.models import DataValue, ReportingRegime
    from lotrinh.reporting.queries import element_specs, rule_specs
    from lotrinh.reporting.validation import check_report

    for regime in ReportingRegime.objects.filter(code__in=["cds-dinh-ky-quy", "cds-thong-ke-nam"]):
        rules = rule_specs(regime)
        reports = Report.objects.filter(regime=regime, is_illustrative=True).order_by("pk")[:300]
        by_period = {r.period_id: r.period for r in reports.select_related("period")}
        specs_by_period = {pk: element_specs(regime, p) for pk, p in by_period.items()}
        specs_of = {r.pk: specs_by_period[r.period_id] for r in reports}
        values: dict[int, dict[str, object]] = {r.pk: {} for r in reports}
        for report_id, code, value in DataValue.objects.filter(report__in=reports).values_list(
            "report_id", "data_element__code", "value"
        ):
            values[report_id][code] = value
        assert values, regime.code
        for report_id, raw in values.items():
            specs = specs_of[report_id]
            assert set(raw) == {s.code for s in specs}, (regime.code, report_id)
            errors = [i for i in check_report(raw, specs, rules).issues if i.severity == "error"]
            assert errors == [], (regime.code, report_id, errors)
