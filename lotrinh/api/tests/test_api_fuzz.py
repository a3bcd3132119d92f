"""Every operation of the OpenAPI schema, called with inputs generated from it as each role, never
answers 5xx and never answers something its schema does not declare.

Schemathesis reads /api/v1/openapi.json and generates valid and invalid requests for each
operation; they run in-process, with an API token, inside the test's transaction. Each answer must
have a status code the operation documents, a content type it documents for that status, and a
body that validates against the declared response schema.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from lotrinh.access.models import Membership, Role
from lotrinh.api.auth import issue_token
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import descendants_of

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Each role held where the illustrative data are (Gia Lai); the reporter in one of its communes.
ROLES = (Role.OFFICER, Role.APPROVER, Role.REPORTER, Role.VIEWER, Role.ADMINISTRATOR)


def fuzz_settings(max_examples: int) -> settings:
    return settings(
        # The same requests every run, so the suite passes or fails for a reason; raise
        # max_examples locally to search more widely.
        derandomize=True,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    # As Django's test client does: the end of a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _unit_for(role: str) -> OrgUnit:
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier=Tier.PROVINCE)
    if role != Role.REPORTER:
        return province
    commune = (
        descendants_of(province)
        .filter(tier=Tier.COMMUNE, reports__isnull=False)
        .order_by("code")
        .first()
    )
    assert commune is not None, "the illustrative data have reports from Gia Lai's communes"
    return commune


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, 'fuzz')[1]}"}


@pytest.fixture
def superuser_header(db, in_process_requests) -> dict[str, str]:
    return _bearer(User.objects.create_superuser("fuzz", password="x"))


@pytest.fixture(params=ROLES)
def role_header(request, db, in_process_requests) -> dict[str, str]:
    role = request.param
    user = User.objects.create_user(f"fuzz-{role}", password="x")
    Membership.objects.create(user=user, org_unit=_unit_for(role), role=role)
    return _bearer(user)


def _call_and_check(case: schemathesis.Case, headers: dict[str, str]) -> None:
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.mark.django_db
@schema.parametrize()
@fuzz_settings(max_examples=15)
def test_no_generated_request_as_a_superuser_fails_a_check(case, superuser_header):
    _call_and_check(case, superuser_header)


@pytest.mark.django_db
@schema.parametrize()
@fuzz_settings(max_examples=4)
def test_no_generated_request_as_each_role_fails_a_check(case, role_header):
    _call_and_check(case, role_header)
