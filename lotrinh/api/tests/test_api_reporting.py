"""The reporting API: authentication, permission scoping, the workflow, errors, reads and audit."""

# The reporting fixtures are imported so that pytest finds them here: importing them is using them.
# ruff: noqa: F401, F811

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from lotrinh.api.auth import hash_token, issue_token
from lotrinh.api.models import ApiToken
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, template_spec, write_check
from lotrinh.reporting.importing.template import build_csv
from lotrinh.reporting.models import DataValue, Report, Status
from lotrinh.reporting.queries import completeness
from lotrinh.reporting.services import Actor, open_report, save_values
from lotrinh.reporting.tests.conftest import (  # fixtures shared with the services' tests
    GOOD,
    approver,
    commune,
    gia_lai,
    open_period,
    regime,
    reporter,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, 'test')[1]}"}


def url_of(regime, period, unit, action: str = "") -> str:
    address = f"{API}/reports/{regime.code}/{period.code}/{unit.structure}/{unit.code}"
    return f"{address}/{action}" if action else address


@pytest.fixture
def report_url(regime, open_period, commune) -> str:
    # A clean slate: no earlier reports, so the unit's history raises no outlier warnings.
    Report.objects.filter(regime=regime, org_unit=commune).delete()
    return url_of(regime, open_period, commune)


@pytest.fixture
def as_reporter(reporter) -> Client:
    client = Client()
    client.force_login(reporter.user)
    return client


@pytest.fixture
def as_approver(approver) -> Client:
    client = Client()
    client.force_login(approver.user)
    return client


def put_values(client: Client, url: str, values: dict[str, Any], **extra: Any) -> Any:
    return client.put(f"{url}/values", {"values": values, **extra}, content_type="application/json")


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


# -- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", "/regimes"),
        ("get", "/regimes/cds-dinh-ky-quy"),
        ("get", "/regimes/cds-dinh-ky-quy/periods"),
        ("get", "/reports"),
        ("get", "/reports/completeness?regime=cds-dinh-ky-quy&period=2025Q4&unit=52"),
        ("get", "/reports/cds-dinh-ky-quy/2025Q4/2025/52"),
        ("get", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/history"),
        ("put", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/values"),
        ("post", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/submit"),
        ("post", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/approve"),
        ("post", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/return"),
        ("post", "/reports/cds-dinh-ky-quy/2025Q4/2025/52/reopen"),
    ],
)
def test_every_reporting_endpoint_answers_401_without_a_session_or_token(
    client: Client, method: str, suffix: str
) -> None:
    before = AuditEvent.objects.count()
    response = getattr(client, method)(API + suffix, {}, content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail", "detail_en"}
    assert AuditEvent.objects.count() == before


def test_a_valid_token_authenticates_and_its_use_is_recorded(client: Client, reporter) -> None:
    token, secret = issue_token(reporter.user, "one-door system")
    response = client.get(f"{API}/regimes", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert {r["code"] for r in response.json()} >= {"cds-dinh-ky-quy", "cds-thong-ke-nam"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(reporter) -> None:
    token, secret = issue_token(reporter.user, "x")
    assert secret.startswith("lt_") and len(secret) > 40
    assert token.token_hash == hash_token(secret) != secret
    assert not ApiToken.objects.filter(token_hash__contains=secret[3:20]).exists()


@pytest.mark.parametrize("case", ["wrong", "revoked", "inactive_user", "not_bearer"])
def test_a_wrong_or_revoked_token_is_refused(client: Client, reporter, case: str) -> None:
    token, secret = issue_token(reporter.user, "x")
    header = f"Bearer {secret}"
    if case == "wrong":
        header = f"Bearer {secret[:-2]}xx"
    elif case == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(is_active=False)
    elif case == "inactive_user":
        User.objects.filter(pk=reporter.user.pk).update(is_active=False)
    else:
        header = f"Token {secret}"
    response = client.get(f"{API}/regimes", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_wrong_token_is_refused_even_with_a_valid_session(as_reporter: Client) -> None:
    response = as_reporter.get(f"{API}/regimes", headers={"Authorization": "Bearer lt_nope"})
    assert response.status_code == 401


def test_the_session_of_a_signed_in_user_authenticates(as_reporter: Client) -> None:
    assert as_reporter.get(f"{API}/regimes").status_code == 200


def test_the_create_api_token_command_prints_a_working_token_once(client: Client, reporter, capsys):
    call_command("create_api_token", reporter.user.username, "--name", "hệ thống một cửa")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=reporter.user)
    assert token.name == "hệ thống một cửa" and token.token_hash == hash_token(secret)
    response = client.get(f"{API}/regimes", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


# -- regimes and periods -------------------------------------------------------------------------


def test_a_regime_shows_its_form_in_order_and_its_rules(as_reporter: Client, regime) -> None:
    detail = as_reporter.get(f"{API}/regimes/{regime.code}").json()
    assert detail["frequency"] == "quarterly" and detail["cutoff_day"] == 15
    positions = [f["position"] for f in detail["fields"]]
    assert positions == sorted(positions) and len(positions) == regime.fields.count()
    assert {"tong_ho_so_cong_viec", "ho_so_cong_viec_dien_tu"} <= {
        f["code"] for f in detail["fields"]
    }
    rule = next(r for r in detail["rules"] if r["code"] == "ho-so-dien-tu-khong-vuot-tong")
    assert rule["expression"] == "ho_so_cong_viec_dien_tu <= tong_ho_so_cong_viec"
    assert rule["message_vi"] and rule["message_en"]


def test_periods_carry_their_ids_cutoff_windows_and_structure(as_reporter: Client, regime) -> None:
    periods = {p["code"]: p for p in as_reporter.get(f"{API}/regimes/{regime.code}/periods").json()}
    assert (periods["2025Q2"]["cutoff_from"], periods["2025Q2"]["cutoff_to"]) == (
        "2025-03-15",
        "2025-06-14",
    )
    assert (periods["2025Q2"]["structure"], periods["2025Q3"]["structure"]) == ("legacy", "2025")


def test_an_unknown_regime_answers_404(as_reporter: Client) -> None:
    assert as_reporter.get(f"{API}/regimes/khong-co").status_code == 404


# -- permissions ---------------------------------------------------------------------------------


def test_reports_list_holds_only_what_the_user_may_see(
    as_reporter: Client, as_approver: Client, regime, commune, gia_lai
) -> None:
    mine = as_reporter.get(f"{API}/reports", {"regime": regime.code, "limit": 500}).json()
    # Its own reports, and (read only) those of the legacy communes its territory came from.
    history = list(
        Report.objects.filter(
            regime=regime, org_unit__successor_links__successor=commune
        ).values_list("org_unit__code", flat=True)
    )
    own = Report.objects.filter(regime=regime, org_unit=commune).count()
    assert own > 0 and mine["count"] == own + len(history)
    assert {item["unit"]["code"] for item in mine["items"]} == {commune.code, *history}
    province = as_approver.get(
        f"{API}/reports", {"regime": regime.code, "period": "2025Q4", "status": "approved"}
    ).json()
    expected = Report.objects.filter(
        regime=regime,
        period__code="2025Q4",
        status=Status.APPROVED,
        org_unit__path__startswith=gia_lai.path,
    )
    assert province["count"] == expected.count() > 0
    assert {item["status"] for item in province["items"]} == {"approved"}


def test_a_user_without_membership_sees_no_reports(client: Client) -> None:
    nobody = User.objects.create_user("nobody", password="x")
    page = client.get(f"{API}/reports", headers=bearer(nobody)).json()
    assert page == {"items": [], "count": 0}


def test_a_reporter_cannot_write_for_another_unit(
    as_reporter: Client, regime, open_period, commune
) -> None:
    neighbour = (
        OrgUnit.objects.filter(parent=commune.parent, tier=Tier.COMMUNE)
        .exclude(pk=commune.pk)
        .order_by("code")
        .first()
    )
    url = url_of(regime, open_period, neighbour)
    values_before = list(
        DataValue.objects.filter(report__org_unit=neighbour)
        .order_by("pk")
        .values_list("pk", "value")
    )
    assert put_values(as_reporter, url, GOOD).status_code == 403
    assert as_reporter.get(url).status_code == 403
    assert post(as_reporter, f"{url}/submit").status_code == 403
    assert as_reporter.get(f"{url}/history").status_code == 403
    assert (
        list(
            DataValue.objects.filter(report__org_unit=neighbour)
            .order_by("pk")
            .values_list("pk", "value")
        )
        == values_before
    )


def test_a_reporter_cannot_approve_their_own_report(as_reporter: Client, report_url: str) -> None:
    put_values(as_reporter, report_url, GOOD)
    assert post(as_reporter, f"{report_url}/submit").status_code == 200
    response = post(as_reporter, f"{report_url}/approve")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert (
        post(as_reporter, f"{report_url}/return", {"reason": "Tự trả lại báo cáo."}).status_code
        == 403
    )


def test_an_approver_cannot_approve_a_report_they_submitted(
    as_approver: Client, report_url: str
) -> None:
    put_values(as_approver, report_url, GOOD)
    assert post(as_approver, f"{report_url}/submit").status_code == 200
    response = post(as_approver, f"{report_url}/approve")
    assert response.status_code == 400, response.content
    assert "người phê duyệt khác" in response.json()["detail"]
    assert as_approver.get(report_url).json()["report"]["status"] == "submitted"


# -- the workflow --------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(
    as_reporter: Client, as_approver: Client, report_url: str
) -> None:
    saved = put_values(as_reporter, report_url, GOOD)
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert sorted(body["changed"]) == sorted(GOOD)
    assert body["values"]["tong_ho_so_cong_viec"] == {"value": "300", "comment": ""}
    assert body["report"]["status"] == "draft" and body["issues"] == []

    submitted = post(as_reporter, f"{report_url}/submit")
    assert submitted.status_code == 200 and submitted.json()["report"]["status"] == "submitted"
    returned = post(as_approver, f"{report_url}/return", {"reason": "Số hồ sơ chưa khớp."})
    assert returned.json()["report"]["status"] == "returned"
    assert returned.json()["report"]["return_reason"] == "Số hồ sơ chưa khớp."

    put_values(as_reporter, report_url, {"ho_so_tthc_truc_tuyen": 118})
    assert post(as_reporter, f"{report_url}/submit").json()["report"]["status"] == "submitted"
    approved = post(as_approver, f"{report_url}/approve")
    assert approved.json()["report"]["status"] == "approved"
    locked = put_values(as_reporter, report_url, {"tong_so_tthc": 111})
    assert locked.status_code == 400 and locked.json()["detail_en"]

    reopened = post(as_approver, f"{report_url}/reopen", {"reason": "Điều chỉnh theo kiểm tra."})
    assert reopened.json()["report"]["status"] == "returned"
    detail = as_reporter.get(report_url).json()
    assert detail["values"]["ho_so_tthc_truc_tuyen"]["value"] == "118"
    report = Report.objects.get(
        regime__code=detail["report"]["regime"],
        period__code=detail["report"]["period"],
        org_unit__code=detail["report"]["unit"]["code"],
        org_unit__structure=detail["report"]["unit"]["structure"],
    )
    channels = set(AuditEvent.objects.filter(target_id=report.pk).values_list("channel", flat=True))
    assert channels == {"api"}
    statuses = list(
        AuditEvent.objects.filter(target_id=report.pk, field="status")
        .order_by("pk")
        .values_list("new_value", flat=True)
    )
    assert statuses == ["submitted", "returned", "submitted", "approved", "returned"]


def test_returning_without_a_real_reason_is_refused(
    as_reporter: Client, as_approver: Client, report_url: str
) -> None:
    put_values(as_reporter, report_url, GOOD)
    post(as_reporter, f"{report_url}/submit")
    assert post(as_approver, f"{report_url}/return", {"reason": " ok "}).status_code == 400
    assert post(as_approver, f"{report_url}/return", {}).status_code == 422


def test_submitting_with_errors_answers_422_field_by_field_in_both_languages(
    as_reporter: Client, report_url: str
) -> None:
    put_values(as_reporter, report_url, GOOD | {"ho_so_cong_viec_dien_tu": "301"})
    response = post(as_reporter, f"{report_url}/submit")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["detail_en"]
    fields = {issue["field"] for issue in body["issues"]}
    assert fields == {"ho_so_cong_viec_dien_tu", "tong_ho_so_cong_viec"}
    for issue in body["issues"]:
        assert issue["severity"] == "error" and issue["code"] == "ho-so-dien-tu-khong-vuot-tong"
        assert issue["message_vi"] != issue["message_en"] != ""
    assert as_reporter.get(report_url).json()["report"]["status"] == "draft"


def test_unreadable_figures_answer_422_and_nothing_is_saved(
    as_reporter: Client, report_url: str
) -> None:
    put_values(as_reporter, report_url, GOOD)
    before = AuditEvent.objects.count()
    response = put_values(
        as_reporter,
        report_url,
        {"tong_ho_so_cong_viec": "ba trăm", "tong_so_tthc": -4, "so_dvctt": "95"},
    )
    assert response.status_code == 422
    issues = {(i["field"], i["code"]) for i in response.json()["issues"]}
    assert issues == {("tong_ho_so_cong_viec", "not_a_number"), ("tong_so_tthc", "negative")}
    assert "“ba trăm”" in next(i["message_en"] for i in response.json()["issues"])
    values = as_reporter.get(report_url).json()["values"]
    assert (values["tong_ho_so_cong_viec"]["value"], values["so_dvctt"]["value"]) == ("300", "90")
    assert AuditEvent.objects.count() == before


def test_a_figure_not_on_the_form_answers_400(as_reporter: Client, report_url: str) -> None:
    response = put_values(as_reporter, report_url, {"so_ma": 1})
    assert response.status_code == 400 and "so_ma" in response.json()["detail_en"]


def test_a_save_from_an_older_version_answers_409_with_the_changed_figures(
    as_reporter: Client, as_approver: Client, report_url: str
) -> None:
    opened = put_values(as_reporter, report_url, {}).json()["report"]["version"]
    first = put_values(as_approver, report_url, {"tong_ho_so_cong_viec": 300}, base_version=opened)
    assert first.status_code == 200
    second = put_values(as_reporter, report_url, {"tong_ho_so_cong_viec": 310}, base_version=opened)
    assert second.status_code == 409
    assert second.json()["changed"] == {"tong_ho_so_cong_viec": "300"}
    assert second.json()["detail_en"]
    assert as_reporter.get(report_url).json()["values"]["tong_ho_so_cong_viec"]["value"] == "300"


def test_warnings_show_in_the_detail_and_need_a_comment(
    as_reporter: Client, report_url: str
) -> None:
    put_values(
        as_reporter, report_url, GOOD | {"tong_ho_so_cong_viec": 5, "ho_so_cong_viec_dien_tu": 4}
    )
    detail = as_reporter.get(report_url).json()
    assert [(i["field"], i["severity"]) for i in detail["issues"]] == [
        ("tong_ho_so_cong_viec", "warning")
    ]
    assert post(as_reporter, f"{report_url}/submit").status_code == 422
    explained = as_reporter.put(
        f"{report_url}/values",
        {"comments": {"tong_ho_so_cong_viec": "Xã mới sáp nhập, ít hồ sơ."}},
        content_type="application/json",
    )
    assert (
        explained.json()["values"]["tong_ho_so_cong_viec"]["comment"]
        == "Xã mới sáp nhập, ít hồ sơ."
    )
    assert post(as_reporter, f"{report_url}/submit").status_code == 200


# -- completeness and history --------------------------------------------------------------------


def test_completeness_equals_the_completeness_query(as_approver: Client, regime, gia_lai) -> None:
    response = as_approver.get(
        f"{API}/reports/completeness", {"regime": regime.code, "period": "2025Q4", "unit": "52"}
    )
    assert response.status_code == 200
    body = response.json()
    expected = completeness(regime, regime.periods.get(code="2025Q4"), within=gia_lai)
    assert (body["expected"], body["on_time"], body["late"], body["pending"], body["missing"]) == (
        expected.expected,
        expected.on_time,
        expected.late,
        expected.pending,
        expected.missing,
    )
    assert body["submitted"] == expected.submitted and body["rate"] == pytest.approx(expected.rate)
    assert [u["code"] for u in body["overdue_units"]] == [u.code for u in expected.overdue_units]
    assert body["expected"] > 100


def test_completeness_of_another_province_is_forbidden(as_approver: Client, regime) -> None:
    response = as_approver.get(
        f"{API}/reports/completeness", {"regime": regime.code, "period": "2025Q4", "unit": "24"}
    )
    assert response.status_code == 403


def test_the_history_of_a_figure_lists_every_change_newest_first(
    as_reporter: Client, reporter, report_url: str
) -> None:
    put_values(as_reporter, report_url, GOOD)
    put_values(as_reporter, report_url, {"tong_so_tthc": "112"})
    history = as_reporter.get(f"{report_url}/history", {"field": "tong_so_tthc"}).json()
    assert history["count"] == 2
    assert [(e["old_value"], e["new_value"]) for e in history["items"]] == [
        ("110", "112"),
        ("", "110"),
    ]
    assert {(e["actor"], e["channel"], e["action"]) for e in history["items"]} == {
        (reporter.user.username, "api", "value_changed")
    }
    everything = as_reporter.get(f"{report_url}/history").json()
    assert everything["count"] == len(GOOD) + 1


def test_an_imported_figure_shows_in_the_history_like_a_typed_one(
    as_reporter: Client, reporter, report_url: str, regime, open_period, commune
) -> None:
    """A save and an import each record one event per report with every figure in it; the API
    lists one entry per figure, with each event's channel."""
    put_values(as_reporter, report_url, GOOD)
    report = Report.objects.get(regime=regime, period=open_period, org_unit=commune)
    spec = template_spec(regime, open_period, write_check(reporter.user))
    rows = [
        dataclasses.replace(
            row, values={**row.values, "tong_so_tthc": Decimal(120), "so_dvctt": Decimal(95)}
        )
        for row in spec.rows
    ]
    data = build_csv(dataclasses.replace(spec, rows=rows)).encode()
    plan = plan_file(
        regime, open_period, write_check(reporter.user), "f.csv", io.BytesIO(data), len(data)
    )
    apply_plan(Actor(reporter.user, "10.0.0.9", "import"), regime, open_period, plan)
    channels = AuditEvent.objects.filter(target_id=report.pk, action="values_changed")
    assert sorted(channels.values_list("channel", flat=True)) == ["api", "import"]
    history = as_reporter.get(f"{report_url}/history", {"field": "tong_so_tthc"}).json()
    assert [(e["old_value"], e["new_value"], e["channel"]) for e in history["items"]] == [
        ("110", "120", "import"),
        ("", "110", "api"),
    ]
    everything = as_reporter.get(f"{report_url}/history").json()
    assert everything["count"] == len(GOOD) + 2


# -- confidential figures ------------------------------------------------------------------------

SECRET_FIGURE = "7654321"


def _public_get_urls(regime, period, unit) -> dict[str, str]:
    """One concrete URL for each GET path of the API, as an anonymous caller would use it."""
    address = f"{regime.code}/{period.code}/{unit.structure}/{unit.code}"
    return {
        "/api/v1/units": f"{API}/units?q={unit.name}",
        "/api/v1/units/{structure}/{code}": f"{API}/units/{unit.structure}/{unit.code}",
        "/api/v1/units/{structure}/{code}/children": f"{API}/units/2025/52/children?limit=500",
        "/api/v1/units/{structure}/{code}/successors": f"{API}/units/legacy/52/successors",
        "/api/v1/units/{structure}/{code}/predecessors": f"{API}/units/2025/52/predecessors",
        "/api/v1/programmes": f"{API}/programmes?limit=100",
        "/api/v1/programmes/{code}": f"{API}/programmes/binh-dinh-05-nq-tu",
        "/api/v1/programmes/{code}/targets": f"{API}/programmes/binh-dinh-05-nq-tu/targets",
        "/api/v1/programmes/{code}/assessments": f"{API}/programmes/binh-dinh-05-nq-tu/assessments",
        "/api/v1/programmes/{code}/tasks": f"{API}/programmes/binh-dinh-05-nq-tu/tasks",
        "/api/v1/programmes/{code}/tasks/summary": f"{API}/programmes/binh-dinh-05-nq-tu/tasks/summary",
        "/api/v1/programmes/{code}/assessments/history": f"{API}/programmes/binh-dinh-05-nq-tu/assessments/history",
        "/api/v1/programmes/{code}/reviews": f"{API}/programmes/binh-dinh-05-nq-tu/reviews",
        "/api/v1/programmes/{code}/reviews/{document_id}/file": f"{API}/programmes/binh-dinh-05-nq-tu/reviews/1/file",
        "/api/v1/programmes/{code}/coverage": f"{API}/programmes/binh-dinh-05-nq-tu/coverage",
        "/api/v1/indicators": f"{API}/indicators?limit=500",
        "/api/v1/indicators/{code}": f"{API}/indicators/{regime.fields.first().data_element.code}",
        "/api/v1/targets": f"{API}/targets?limit=500",
        "/api/v1/regimes": f"{API}/regimes",
        "/api/v1/regimes/{code}": f"{API}/regimes/{regime.code}",
        "/api/v1/regimes/{code}/periods": f"{API}/regimes/{regime.code}/periods",
        "/api/v1/reports": f"{API}/reports?limit=500",
        "/api/v1/reports/completeness": f"{API}/reports/completeness?regime={regime.code}&period={period.code}&unit=52",
        "/api/v1/reports/{regime}/{period}/{structure}/{unit_code}": f"{API}/reports/{address}",
        "/api/v1/reports/{regime}/{period}/{structure}/{unit_code}/history": f"{API}/reports/{address}/history",
        "/api/v1/reports/{regime}/{period}/{structure}/{unit_code}/receipt": f"{API}/reports/{address}/receipt",
    }


def test_a_confidential_figure_is_in_no_anonymous_response(
    client: Client, as_reporter: Client, regime, open_period, commune, report_url: str
) -> None:
    field = regime.fields.select_related("data_element").get(data_element__code="tong_so_tthc")
    field.data_element.is_confidential = True
    field.data_element.save(update_fields=["is_confidential"])
    assert put_values(as_reporter, report_url, {"tong_so_tthc": SECRET_FIGURE}).status_code == 200
    form = as_reporter.get(f"{API}/regimes/{regime.code}").json()["fields"]
    assert next(f for f in form if f["code"] == "tong_so_tthc")["is_confidential"] is True

    schema = client.get(f"{API}/openapi.json").json()
    get_paths = {path for path, ops in schema["paths"].items() if "get" in ops}
    urls = _public_get_urls(regime, open_period, commune)
    assert get_paths == set(urls), "A new GET endpoint: add it to this test."
    pages = [
        "/",
        "/programmes/",
        "/indicators/",
        "/units/",
        f"/units/{commune.structure}/{commune.code}/",
    ]
    for url in [*urls.values(), *pages, f"{API}/openapi.json"]:
        response = client.get(url)
        assert response.status_code in {200, 401, 404}, url
        text = response.content.decode("utf-8")
        for written in (SECRET_FIGURE, "7.654.321", "7,654,321", "7 654 321"):
            assert written not in text, url


def test_a_returned_report_is_answered_with_a_reply_through_the_api(
    as_reporter: Client, as_approver: Client, report_url: str
) -> None:
    put_values(as_reporter, report_url, GOOD)
    post(as_reporter, f"{report_url}/submit")
    post(as_approver, f"{report_url}/return", {"reason": "Số hồ sơ chưa khớp."})
    refused = post(as_reporter, f"{report_url}/submit")
    assert refused.status_code == 400 and "nothing in it has changed" in refused.json()["detail_en"]
    reply = "Đã đối chiếu: số liệu đúng."
    assert put_values(as_reporter, report_url, {}, reply=reply).json()["report"]["reply"] == reply
    submitted = post(as_reporter, f"{report_url}/submit").json()["report"]
    assert (submitted["status"], submitted["reply"]) == ("submitted", reply)
    steps = as_approver.get(f"{report_url}/history?field=status").json()["items"]
    assert [(s["action"], s["reason"]) for s in steps[:2]] == [
        ("submitted", reply),
        ("returned", "Số hồ sơ chưa khớp."),
    ]


def test_a_figure_saved_through_the_api_replaces_what_was_kept_as_typed(
    as_reporter: Client, report_url: str, reporter, regime, open_period, commune
) -> None:
    # The web form keeps an unreadable figure as typed; only a readable one may replace it.
    report = open_report(reporter, regime, open_period, commune)
    typed: dict[str, object] = {**GOOD, "tong_ho_so_cong_viec": "ba trăm"}
    save_values(reporter, report, typed)
    assert report.draft_texts.count() == 1
    assert post(as_reporter, f"{report_url}/submit").status_code == 422
    assert put_values(as_reporter, report_url, {"tong_ho_so_cong_viec": "300"}).status_code == 200
    assert not report.draft_texts.exists()
    assert post(as_reporter, f"{report_url}/submit").status_code == 200
