"""API errors are JSON, in Vietnamese with an English copy, whatever went wrong."""

# The reporting fixtures are imported so that pytest finds them here: importing them is using them.
# ruff: noqa: F401, F811

import pytest
from django.contrib.auth.models import User
from django.test import Client

from lotrinh.api.auth import issue_token
from lotrinh.api.tests.test_api_reporting import as_reporter, post, put_values, report_url
from lotrinh.reporting.tests.conftest import GOOD, commune, gia_lai, open_period, regime, reporter

pytestmark = pytest.mark.django_db

API = "/api/v1"


def assert_bilingual(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and isinstance(body["detail_en"], str)
    assert body["detail"] != body["detail_en"]  # really two languages
    return body


def test_not_found_answers_in_both_languages(client):
    body = client.get("/api/v1/units/legacy/99999").json()
    assert body == {"detail": "Không tìm thấy.", "detail_en": "Not found."}


@pytest.mark.parametrize(
    "address", ["/api/v1/nope", "/api/v1/units/a/b/c/d/e", "/api/v1/", "/api/", "/api/v2/units"]
)
def test_an_unknown_api_address_answers_the_api_json_404(client, address):
    body = assert_bilingual(client.get(address), 404)
    assert body == {"detail": "Không tìm thấy.", "detail_en": "Not found."}


@pytest.mark.parametrize(("method", "address"), [("put", "/units"), ("post", "/programmes")])
def test_a_method_an_address_does_not_accept_answers_the_api_json_405(client, method, address):
    response = getattr(client, method)(f"{API}{address}")
    body = assert_bilingual(response, 405)
    assert body["detail_en"].startswith("This address does not accept this method")
    assert response["Allow"] == "GET"


def test_a_failure_before_the_api_answers_a_bilingual_json_500_not_a_page(monkeypatch):
    def broken(self, request):
        raise RuntimeError("a bug in a middleware")

    monkeypatch.setattr("lotrinh.core.middleware.RefuseNulCharacters.__call__", broken)
    client = Client(raise_request_exception=False)
    body = assert_bilingual(client.get(f"{API}/units"), 500)
    assert body["detail_en"].startswith("The server could not answer")
    page = client.get("/units/")  # the site's pages keep their own error page
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/units", "/indicators", "/reports"])
def test_an_offset_past_any_list_is_a_bilingual_422_not_a_server_error(client, path):
    client.force_login(User.objects.create_user("doc", password="x"))
    body = assert_bilingual(client.get(f"{API}{path}", {"offset": 2**63}), 422)
    assert "“offset” (query)" in body["detail_en"] and "at most 1,000,000,000" in body["detail_en"]
    assert "1.000.000.000" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "offset"]


def test_a_limit_past_the_maximum_is_a_bilingual_422(client):
    body = assert_bilingual(client.get(f"{API}/units", {"limit": 501}), 422)
    assert body["detail_en"] == "The request is not valid: “limit” (query) must be at most 500."
    assert body["detail"].startswith("Yêu cầu không hợp lệ:")


def test_a_422_puts_a_sentence_in_detail_and_lists_each_problem(client):
    body = assert_bilingual(client.get(f"{API}/units", {"limit": "nhiều", "offset": -1}), 422)
    assert [e["loc"] for e in body["errors"]] == [["query", "limit"], ["query", "offset"]]
    assert body["errors"][0]["message_en"] == "“limit” (query) must be a whole number."
    assert all(e["message_vi"] != e["message_en"] for e in body["errors"])


def test_a_bug_inside_the_api_answers_a_bilingual_json_500(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("lotrinh.api.routers.units.search_units", broken)
    body = assert_bilingual(client.get(f"{API}/units"), 500)
    assert "a bug" not in str(body)
    assert "a bug" in caplog.text  # logged for the administrators, with its traceback


@pytest.mark.parametrize("action", ["submit", "approve"])
def test_an_anonymous_write_with_csrf_enforced_answers_401_with_www_authenticate(action):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/reports/cds-dinh-ky-quy/2025Q4/2025/52/{action}")
    assert_bilingual(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_write_without_the_csrf_token_is_refused_in_both_languages(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter.user)
    response = client.post(f"{API}/reports/cds-dinh-ky-quy/2025Q4/2025/52/submit")
    body = assert_bilingual(response, 403)
    assert "X-CSRFToken" in body["detail_en"]


def test_a_malformed_json_body_is_explained_in_both_languages(client, reporter, report_url):
    secret = issue_token(reporter.user, "test")[1]
    response = client.put(
        f"{report_url}/values",
        '{"values": {"tong_so_tthc": 1',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "k1"},
    )
    body = assert_bilingual(response, 400)
    assert "JSON" in body["detail_en"] and "JSON" in body["detail"]


def test_a_status_name_is_in_the_language_of_each_message(as_reporter, report_url):
    assert put_values(as_reporter, report_url, GOOD).status_code == 200
    assert post(as_reporter, f"{report_url}/submit").status_code == 200
    body = assert_bilingual(put_values(as_reporter, report_url, GOOD), 400)
    assert body["detail_en"] == "This report is Submitted and cannot be changed."
    assert "Đã gửi" in body["detail"] and "Submitted" not in body["detail"]


def test_the_schema_marks_the_idempotency_key_required_on_every_write(client):
    schema = client.get(f"{API}/openapi.json").json()
    writes = [
        operation
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method in {"put", "post", "patch", "delete"}
    ]
    # reports (5), tasks (5), reviews (2), a plan source, the form change, a published figure and
    # a file of them
    assert len(writes) == 16
    for operation in writes:
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is True


def test_a_refusal_without_an_explanation_is_still_in_both_languages(client, monkeypatch):
    from django.core.exceptions import PermissionDenied

    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr("lotrinh.api.routers.units.search_units", refuse)
    body = assert_bilingual(client.get(f"{API}/units"), 403)
    assert body == {"detail": "Không có quyền truy cập.", "detail_en": "Permission denied."}
