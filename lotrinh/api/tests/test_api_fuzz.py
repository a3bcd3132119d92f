"""Every operation of the OpenAPI schema, called with inputs generated from it as each role, never
answers 5xx and never answers something its schema does not declare.

Schemathesis reads /api/v1/openapi.json and generates valid and invalid requests for each
operation; they run in-process, with an API token, inside the test's transaction. Each answer must
have a status code the operation documents, a content type it documents for that status, and a
body that validates against the declared response schema.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
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
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.models import Report, ReportingRegime, Status
from lotrinh.reporting.periods import period_containing
from lotrinh.workplan.models import Task, TaskProgress

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


PROGRAMME = "binh-dinh-05-nq-tu"  # Bình Định's programme, followed by Gia Lai
INDICATOR = "ho-so-cong-viec-truc-tuyen"


@dataclass
class RealThings:
    """Things of the illustrative data in Gia Lai, named as the API's path parameters name them."""

    province: OrgUnit
    report: Report
    path_values: dict[str, str]

    def put_into(self, case: schemathesis.Case) -> None:
        """Points a generated request at these things, so that each role reaches the decisions
        about them rather than a 404 for a made-up name."""
        path = case.operation.path.removeprefix("/api/v1")
        values = self.path_values | {"code": self._code(path)}
        for name in case.path_parameters or {}:
            case.path_parameters[name] = values.get(name, case.path_parameters[name])

    def _code(self, path: str) -> str:
        if path.startswith("/programmes/"):
            return PROGRAMME
        if path.startswith("/indicators/"):
            return INDICATOR
        if path.startswith("/regimes/"):
            return self.report.regime.code
        return self.province.code  # a unit


@pytest.fixture
def real_things(db) -> RealThings:
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    spec = period_containing(regime.frequency, timezone.localdate(), regime.cutoff_day)
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier=Tier.PROVINCE)
    report = (
        Report.objects.filter(
            in_subtree(province.path, via="org_unit__"),
            regime=regime,
            period__code=spec.code,
            status=Status.SUBMITTED,
            org_unit__tier=Tier.COMMUNE,
        )
        .select_related("org_unit", "regime")
        .order_by("org_unit__code")
        .first()
    )
    assert report is not None, "the illustrative data have a submitted report this quarter"
    task = Task.objects.create(
        programme=Programme.objects.get(code=PROGRAMME),
        title="Nhiệm vụ thử",
        lead_unit=report.org_unit,
        deadline_kind="year",
        deadline_year=2025,
        due_on=datetime.date(2025, 12, 31),
    )
    progress = TaskProgress.objects.create(
        task=task, period_code=spec.code, as_of=timezone.localdate(), status="not_started"
    )
    return RealThings(
        province,
        report,
        {
            "regime": regime.code,
            "period": spec.code,
            "structure": report.org_unit.structure,
            "unit_code": report.org_unit.code,
            "indicator": INDICATOR,
            "task_id": str(task.pk),
            "progress_id": str(progress.pk),
        },
    )


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, 'fuzz')[1]}"}


@pytest.fixture
def superuser_header(db, in_process_requests) -> dict[str, str]:
    return _bearer(User.objects.create_superuser("fuzz", password="x"))


@pytest.fixture(params=ROLES)
def role_header(request, real_things, in_process_requests) -> dict[str, str]:
    role = request.param
    unit = real_things.report.org_unit if role == Role.REPORTER else real_things.province
    user = User.objects.create_user(f"fuzz-{role}", password="x")
    Membership.objects.create(user=user, org_unit=unit, role=role)
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
def test_no_generated_request_as_each_role_fails_a_check(case, role_header, real_things):
    real_things.put_into(case)
    _call_and_check(case, role_header)
