"""A refused request leaves one WARNING line in the server log, without a traceback."""

import logging
import sys

import pytest

from lotrinh.core.logs import ClientErrorsInOneLine


@pytest.mark.django_db
def test_a_permission_denied_is_logged_as_one_warning_line(client, django_user_model, caplog):
    client.force_login(django_user_model.objects.create_user("no_role"))
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/reports/approvals/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert line == "WARNING Forbidden (Permission denied): /reports/approvals/"


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        error = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (), error
    )
    record.status_code = 500
    assert ClientErrorsInOneLine().filter(record)
    assert "RuntimeError: broken" in logging.Formatter().format(record)


@pytest.mark.django_db
def test_a_forged_host_header_is_logged_without_a_traceback(client, caplog, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    with caplog.at_level(logging.INFO, logger="django.security"):
        response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.exc_info is None and "evil.example" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-operation", "/api/v1/indicators/nope", "/nope/"])
def test_a_missing_address_is_one_info_line_not_a_warning(client, caplog, path):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get(path).status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage()) == ("INFO", f"Not Found: {path}")


@pytest.mark.django_db
@pytest.mark.parametrize(("verbosity", "lines"), [(1, 0), (2, 2)])
def test_the_worker_logs_each_task_only_when_asked(caplog, monkeypatch, verbosity, lines):
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks_db.management.commands import db_worker

    from lotrinh.reporting.tasks import send_reminders_task

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_reminders_task.enqueue()
        with caplog.at_level(logging.DEBUG, logger="django_tasks"):
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=verbosity)
    task_lines = [r for r in caplog.records if r.msg == "Task id=%s path=%s state=%s"]
    assert len(task_lines) == lines
