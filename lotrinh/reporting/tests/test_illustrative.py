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
        reports = Report.objects.filter(regime=regime, is_illustrative=True).order_by("pk")[:300]
        forms = {}
        for report in reports.select_related("period", "org_unit"):
            key = (report.period_id, report.org_unit.tier)
            if key not in forms:
                period, tier = report.period, report.org_unit.tier
                forms[key] = (
                    element_specs(regime, period, tier),
                    rule_specs(regime, period, tier),
                )
        form_of = {
            r.pk: forms[(r.period_id, r.org_unit.tier)] for r in reports.select_related("org_unit")
        }
        values: dict[int, dict[str, object]] = {r.pk: {} for r in reports}
        for report_id, code, value in DataValue.objects.filter(report__in=reports).values_list(
            "report_id", "data_element__code", "value"
        ):
            values[report_id][code] = value
        assert values, regime.code
        for report_id, raw in values.items():
            specs, rules = form_of[report_id]
            assert set(raw) == {s.code for s in specs}, (regime.code, report_id)
            errors = [i for i in check_report(raw, specs, rules).issues if i.severity == "error"]
            assert errors == [], (regime.code, report_id, errors)
