"""Every operation of the OpenAPI schema, called with inputs generated from it, never answers 5xx.

Schemathesis reads /api/v1/openapi.json and generates valid and invalid requests for each
operation; they run in-process, as a superuser with an API token so that the reporting
operations are reached too, inside the test's transaction.
"""

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application
from lotrinh.api.auth import issue_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token_header(db):
    # As Django's test client does: the end of a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user = User.objects.create_superuser("fuzz", password="x")
    yield {"Authorization": f"Bearer {issue_token(user, 'fuzz')[1]}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    # The same requests every run, so the suite passes or fails for a reason; raise max_examples
    # locally to search more widely.
    derandomize=True,
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_is_a_server_error(case, token_header):
    response = case.call(headers=token_header)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
    if response.status_code != 405:  # ninja answers an unsupported method itself, as text
        assert response.headers["content-type"][0].startswith("application/json")
