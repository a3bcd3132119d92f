"""The import pages and the `import-values` command: thin layers over the same dry run and apply."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lotrinh.reporting.importing.tests.conftest import set_figure, snapshot, xlsx_for
from lotrinh.reporting.models import DataValue, ReportingRegime
from lotrinh.reporting.periods import period_label
from lotrinh.reporting.services import open_report, save_values

pytestmark = pytest.mark.django_db


def filled(regime, period, user, unit, value=300):
    return xlsx_for(
        regime, period, user, edit=lambda b: set_figure(b, unit.code, "tong_ho_so_cong_viec", value)
    )


def upload(client, regime, period, data, name="mau.xlsx"):
    return client.post(
        reverse("importing:upload-dry-run"),
        {"regime": regime.code, "period": period.code, "file": SimpleUploadedFile(name, data)},
    )


def test_the_import_pages_need_a_login(client):
    assert client.get(reverse("importing:import-index")).status_code == 302


def test_a_reporter_downloads_the_template_as_xlsx_and_csv(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    url = reverse("importing:template-download")
    xlsx = client.get(url, {"regime": regime.code, "period": clean_period.code, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    csv = client.get(url, {"regime": regime.code, "period": clean_period.code, "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert text.startswith("#lotrinh-import") and f"\r\n{commune.code}," in text


def test_upload_shows_the_dry_run_then_apply_writes_it(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune)
    )
    assert (
        page.status_code == 200
        and not DataValue.objects.filter(
            report__period=clean_period, report__org_unit=commune
        ).exists()
    )
    html = page.content.decode()
    assert "Số liệu&#x27;!C3" in html and "Tổng số hồ sơ công việc" in html
    token, fingerprint = page.context["pending"]["token"], page.context["fingerprint"]
    done = client.post(
        reverse("importing:upload-apply"), {"token": token, "fingerprint": fingerprint}
    )
    assert done.status_code == 200, done.content.decode()
    assert DataValue.objects.get(report__period=clean_period, report__org_unit=commune).value == 300


def test_apply_refuses_when_the_reports_changed_since_the_dry_run(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune)
    )
    done = client.post(
        reverse("importing:upload-apply"),
        {"token": page.context["pending"]["token"], "fingerprint": "stale"},
    )
    assert (
        done.context["changed_meanwhile"]
        and not DataValue.objects.filter(
            report__period=clean_period, report__org_unit=commune
        ).exists()
    )


def test_someone_elses_upload_cannot_be_applied(
    client, regime, clean_period, reporter, approver, commune
):
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune)
    )
    client.force_login(approver.user)
    done = client.post(
        reverse("importing:upload-apply"),
        {"token": page.context["pending"]["token"], "fingerprint": page.context["fingerprint"]},
    )
    assert done.status_code == 404


def test_a_zip_bomb_upload_gets_the_refused_page_in_both_languages(
    client, regime, clean_period, reporter
):
    client.force_login(reporter.user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    before = snapshot(clean_period)
    page = upload(client, regime, clean_period, out.getvalue())
    assert page.status_code == 400 and "zip bomb" in page.content.decode()
    assert snapshot(clean_period) == before


def test_the_command_prints_the_dry_run_and_applies_only_when_asked(
    tmp_path, regime, clean_period, reporter, commune, capsys
):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(filled(regime, clean_period, reporter.user, commune))
    options = ["--regime", regime.code, "--period", clean_period.code]
    call_command("import_values", str(path), *options)
    assert "→ 300" in capsys.readouterr().out
    assert not DataValue.objects.filter(
        report__period=clean_period, report__org_unit=commune
    ).exists()
    call_command("import_values", str(path), *options, "--user", reporter.user.username, "--apply")
    assert DataValue.objects.get(report__period=clean_period, report__org_unit=commune).value == 300


def test_the_command_refuses_a_60_mb_file_without_reading_it(tmp_path, regime, clean_period):
    path = tmp_path / "big.xlsx"
    with path.open("wb") as sparse:
        sparse.truncate(60 * 1024 * 1024)  # 60 MB on paper, nothing written
    with pytest.raises(CommandError, match="60.0 MB"):
        call_command(
            "import_values", str(path), "--regime", regime.code, "--period", clean_period.code
        )
    assert os.path.getsize(path) == 60 * 1024 * 1024


def csv_template(client, regime, period) -> str:
    url = reverse("importing:template-download")
    response = client.get(url, {"regime": regime.code, "period": period.code, "format": "csv"})
    return response.content.decode("utf-8-sig")


def with_figure(template: str, unit_code: str, value: str) -> str:
    """The CSV template with `value` in the first figure column (tong_ho_so_cong_viec) of the
    unit's row."""
    lines = template.split("\r\n")
    for number, line in enumerate(lines):
        if line.startswith(f"{unit_code},"):
            cells = line.split(",")
            cells[2] = value
            lines[number] = ",".join(cells)
    return "\r\n".join(lines)


def test_a_utf16_csv_upload_gets_its_dry_run(client, regime, clean_period, reporter, commune):
    client.force_login(reporter.user)
    text = with_figure(csv_template(client, regime, clean_period), commune.code, "300")
    page = upload(client, regime, clean_period, text.encode("utf-16"), "xuat-tu-excel.csv")
    assert page.status_code == 200 and page.context["plan"].can_apply
    assert "&#x27;CSV&#x27;!C4" in page.content.decode()


def test_a_csv_row_too_wide_gets_the_refused_page_not_an_error(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    template = csv_template(client, regime, clean_period)
    wide = with_figure(template, commune.code, "300" + ",1" * 18_279)
    page = upload(client, regime, clean_period, wide.encode(), "rong.csv")
    assert page.status_code == 400 and "a template row has at most 1000" in page.content.decode()


def test_a_second_import_by_the_same_user_is_refused_at_once(
    client, regime, clean_period, reporter, commune
):
    from django.core.cache import caches

    from lotrinh.core.concurrency import heavy_request

    client.force_login(reporter.user)
    data = filled(regime, clean_period, reporter.user, commune)
    try:
        with heavy_request(reporter.user.pk, hold_seconds=60):
            page = upload(client, regime, clean_period, data)
        assert page.status_code == 429
        assert (
            "You already have an extraction, import or large download being prepared"
            in page.content.decode()
        )
        assert upload(client, regime, clean_period, data).status_code == 200
    finally:
        caches["shared"].clear()


def test_the_command_refuses_a_csv_row_too_wide_with_a_message(
    tmp_path, client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    wide = with_figure(csv_template(client, regime, clean_period), commune.code, ",1" * 18_279)
    path = tmp_path / "rong.csv"
    path.write_text(wide, encoding="utf-8")
    with pytest.raises(CommandError, match="a template row has at most 1000"):
        call_command(
            "import_values", str(path), "--regime", regime.code, "--period", clean_period.code
        )


def test_the_dry_run_shows_stored_figures_as_they_were_typed(
    client, regime, clean_period, reporter, commune
):
    report = open_report(reporter, regime, clean_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "1.220", "tong_so_tthc": "110"})
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune, 1300)
    )
    html = page.content.decode()
    assert "<td>1.220</td><td><strong>1.300</strong></td>" in html
    assert "1.220,0000" not in html and "1220.0000" not in html
    assert f" · {regime.name} · " in html and f" · {regime.code} · " not in html


def test_the_import_page_offers_the_regimes_open_periods_by_name(
    client, regime, clean_period, reporter
):
    locked = regime.periods.filter(starts_on__lt=clean_period.starts_on).latest("starts_on")
    locked.is_locked = True
    locked.save()
    client.force_login(reporter.user)
    page = client.get(reverse("importing:import-index"))
    first = page.context["upload_form"].fields["regime"].queryset.first()
    year = first.periods.filter(is_locked=False).latest("starts_on")
    html = page.content.decode()
    assert f'<option value="{year.code}">{period_label(year.code)}</option>' in html
    assert 'hx-get="/import/periods/"' in html  # choosing another regime fetches its periods
    options = client.get(reverse("importing:period-options"), {"regime": regime.code})
    text = options.content.decode()
    label = period_label(clean_period.code)
    assert label.startswith("Quý ") and label.endswith(f"/{clean_period.starts_on.year}")
    assert text.startswith(f'<option value="{clean_period.code}">{label}</option>')
    assert f'value="{locked.code}"' not in text
    future = regime.periods.filter(cutoff_from__gt=clean_period.cutoff_to)
    assert not any(f'value="{p.code}"' in text for p in future)
    missing = client.get(reverse("importing:period-options"), {"regime": "khong-co"})
    assert missing.content.strip() == b""


@pytest.mark.parametrize("typed", ["Quý 4/2026", "QUÝ 4/20", "2099Q1"])
def test_a_period_not_offered_is_refused_in_both_languages(
    client, regime, clean_period, reporter, commune, typed
):
    client.force_login(reporter.user)
    data = filled(regime, clean_period, reporter.user, commune)
    page = client.post(
        reverse("importing:upload-dry-run"),
        {"regime": regime.code, "period": typed, "file": SimpleUploadedFile("mau.xlsx", data)},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "không phải là kỳ báo cáo" in html and "Choose a period from the list." in html
    assert not DataValue.objects.filter(report__period=clean_period).exists()


def test_apply_after_the_period_was_locked_is_refused_and_writes_nothing(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune)
    )
    clean_period.is_locked = True
    clean_period.save()
    done = client.post(
        reverse("importing:upload-apply"),
        {"token": page.context["pending"]["token"], "fingerprint": page.context["fingerprint"]},
    )
    assert done.status_code == 400 and "Choose a period from the list." in done.content.decode()
    assert not DataValue.objects.filter(report__period=clean_period).exists()


def test_apply_after_the_regime_ended_says_why_and_writes_nothing(
    client, regime, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    page = upload(
        client, regime, clean_period, filled(regime, clean_period, reporter.user, commune)
    )
    ReportingRegime.objects.filter(pk=regime.pk).update(is_active=False)
    done = client.post(
        reverse("importing:upload-apply"),
        {"token": page.context["pending"]["token"], "fingerprint": page.context["fingerprint"]},
    )
    assert done.status_code == 400 and done.context["reason"].strip()
    assert not DataValue.objects.filter(report__period=clean_period).exists()


def test_a_large_template_is_prepared_in_the_background_and_is_the_same_file(
    client, regime, clean_period, reporter, commune, settings
):
    from django.core.cache import caches

    from lotrinh.core.models import PreparedFile

    client.force_login(reporter.user)
    url = reverse("importing:template-download")
    query = {"regime": regime.code, "period": clean_period.code, "format": "csv"}
    at_once = client.get(url, query)
    settings.LOTRINH_BACKGROUND_ROWS = 0  # every template counts as large
    try:
        queued = client.get(url, query)
        prepared = PreparedFile.objects.get()  # the tests run the task at once
        assert queued.status_code == 302 and queued["Location"] == f"/downloads/{prepared.pk}/"
        download = client.get(f"/downloads/{prepared.pk}/file")
        assert download.content == at_once.content
        assert download["Content-Disposition"] == at_once["Content-Disposition"]
    finally:
        caches["shared"].clear()
