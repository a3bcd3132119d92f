"""Periods are shown to people by name ("Quý IV/2026"); their code (2026Q4) stays in URLs, form
values and machine fields."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lotrinh.reporting.importing.tests.conftest import set_figure, xlsx_for
from lotrinh.reporting.models import Notification, Report
from lotrinh.reporting.services import (
    approve_report,
    open_report,
    reopen_report,
    return_report,
    save_values,
    submit_report,
)
from lotrinh.reporting.tests.conftest import GOOD

pytestmark = pytest.mark.django_db


class _VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script> and <style>, and the page title."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def submitted(regime, open_period, commune, reporter):
    Report.objects.filter(regime=regime, org_unit=commune).delete()
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, GOOD)
    return submit_report(reporter, report).report


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_reporting_pages_name_the_period_and_never_show_its_code(
    client, language, regime, open_period, commune, reporter, approver, submitted
):
    with translation.override(language):
        label = open_period.label
        report_args = [regime.code, open_period.code, commune.structure, commune.code]
        pages = {
            reporter.user: [
                reverse("reporting:my-reports"),
                reverse("reporting:report-form", args=report_args),
                reverse("reporting:field-history", args=[*report_args, "tong_ho_so_cong_viec"]),
            ],
            approver.user: [
                reverse("reporting:approvals"),
                reverse("reporting:report-form", args=report_args),
                reverse("reporting:completeness", args=[regime.code, open_period.code]),
                reverse("reporting:regime-detail", args=[regime.code]),
            ],
        }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            assert open_period.code not in text, url
            assert label in text, url


def test_the_import_dry_run_and_refused_pages_name_the_period(
    client, regime, open_period, commune, reporter
):
    Report.objects.filter(regime=regime, period=open_period, org_unit=commune).delete()
    client.force_login(reporter.user)
    data = xlsx_for(
        regime,
        open_period,
        reporter.user,
        edit=lambda book: set_figure(book, commune.code, "tong_ho_so_cong_viec", 300),
    )
    with translation.override("vi"):
        label = open_period.label
        dry_run = client.post(
            reverse("importing:upload-dry-run"),
            {
                "regime": regime.code,
                "period": open_period.code,
                "file": SimpleUploadedFile("a.xlsx", data),
            },
        )
        open_period.is_locked = True
        open_period.save()
        refused = client.post(
            reverse("importing:upload-apply"),
            {
                "token": dry_run.context["pending"]["token"],
                "fingerprint": dry_run.context["fingerprint"],
            },
        )
    assert dry_run.status_code == 200 and refused.status_code == 400
    for response in (dry_run, refused):
        text = visible_text(response.content.decode())
        assert open_period.code not in text
        assert label in text


def test_decision_notifications_name_the_period(
    regime, open_period, commune, reporter, approver, submitted
):
    with translation.override("vi"):
        label = open_period.label
        approve_report(approver, submitted)
        reopen_report(approver, Report.objects.get(pk=submitted.pk), "Sửa số hồ sơ.")
        save_values(reporter, Report.objects.get(pk=submitted.pk), GOOD, reply="Số đã đúng.")
        submit_report(reporter, Report.objects.get(pk=submitted.pk))
        return_report(approver, Report.objects.get(pk=submitted.pk), "Chưa khớp.")
    texts = list(Notification.objects.filter(user=reporter.user).values_list("text", flat=True))
    assert len(texts) == 3
    for text in texts:
        assert label in text and open_period.code not in text
