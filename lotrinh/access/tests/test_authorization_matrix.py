"""Who may open or change what: every address of the URL configuration × every role.

The addresses come from the URL configuration and the API's OpenAPI schema; each must have an
entry in the tables below (`PAGES`, `API`), which say which roles are let in and what everyone
else is answered. The data are the shared illustrative reports: a submitted report of a commune of
Gia Lai (2025), its province, and Bình Định's programme, which Gia Lai's people follow. Each role
is held once inside that subtree and once in another province (Hà Nội), and the reporter also in
a neighbouring commune of Gia Lai. A refused write must leave every stored row as it was, and an
outsider must be answered the same for a unit that has not started its report as for one that has.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.access.permissions import can_view_unit
from lotrinh.api.api import api
from lotrinh.core.models import AuditEvent
from lotrinh.core.tests.routes import Route, routes
from lotrinh.indicators.models import Programme, Target
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.models import Period, Report, ReportingRegime, Status
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.queries import expected_units
from lotrinh.workplan.models import Task, TaskProgress

pytestmark = pytest.mark.django_db

ANONYMOUS, SUPERUSER, NEIGHBOUR = "anonymous", "superuser", "reporter-neighbour"
INSIDE = tuple(Role.values)  # held in Gia Lai (the reporter: in the report's commune)
OUTSIDE = tuple(f"{role}-elsewhere" for role in Role.values)  # held in Hà Nội
ROLES = (ANONYMOUS, *INSIDE, NEIGHBOUR, *OUTSIDE, SUPERUSER)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
EVERYONE = frozenset(ROLES)

LOGIN = "login"  # a redirect to the sign-in page (302)
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page (302)
ALLOWED = "allowed"  # a write that is let through: anything but a refusal or a server error

PROGRAMME = "binh-dinh-05-nq-tu"  # Bình Định's (legacy 52) programme, followed by Gia Lai (2025 52)
INDICATOR = "ho-so-cong-viec-truc-tuyen"


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names) | {SUPERUSER}


# Who is let in, by the permission rule of lotrinh.access.permissions that the page applies.
UNIT_READERS = _roles(*INSIDE)  # can_view_unit of the report's commune
PROVINCE_READERS = _roles("viewer", "approver", "officer", "admin")  # can_view_unit of Gia Lai
REPORTERS = _roles("reporter", "approver", "admin")  # can_report_for the commune
APPROVERS = _roles("approver", "admin")  # can_approve_for the commune
ANY_APPROVER = _roles("approver", "admin", "approver-elsewhere", "admin-elsewhere")
ANY_MANAGER = _roles("officer", "admin", "officer-elsewhere", "admin-elsewhere")
PROGRAMME_MANAGERS = _roles("officer", "admin")  # can_manage_programme of Bình Định (via Gia Lai)
PUBLISHED_FIGURE = {
    "indicator": INDICATOR,
    "province": "2025/52",
    "year": 2025,
    "period": "2025",
    "value": "95",
    "unit": "%",
    "reference": "Báo cáo 12/BC-UBND",
}
PLANNERS = _roles("officer", "admin")  # can_manage_programme of Gia Lai, which plans the programme
NEW_TASK = {"title": "Nhiệm vụ mới", "lead": "2025/52", "deadline": "2025"}  # led by Gia Lai
NEW_TASK_FORM = {"title": "Nhiệm vụ mới", "deadline": "2025"}  # no lead: refused (400) once let in


@dataclass(frozen=True)
class Rule:
    """The expected answer to one method of one address, by role.

    `allowed` roles get `ok`; other signed-in roles get `refused`; an anonymous visitor gets
    `anonymous` unless `allowed` includes them. `report` marks addresses naming the report's unit,
    whose outsiders must get the same answer for a unit without a report."""

    allowed: frozenset[str]
    ok: int | str = 200
    refused: int | str = 403
    anonymous: int | str = LOGIN
    outsiders: int | None = None  # for roles outside the unit's subtree, when not `refused`
    query: dict[str, str] = field(default_factory=dict)
    body: Mapping[str, object] | None = None
    report: bool = False

    def expected(self, role: str) -> int | str:
        if role in self.allowed:
            return self.ok
        if self.outsiders is not None and role in (NEIGHBOUR, *OUTSIDE):
            return self.outsiders
        return self.anonymous if role == ANONYMOUS else self.refused


def public(ok: int | str = 200, **options: object) -> Rule:
    return Rule(EVERYONE, ok, **options)  # type: ignore[arg-type]


def signed_in(ok: int | str = 200, **options: object) -> Rule:
    return Rule(SIGNED_IN, ok, **options)  # type: ignore[arg-type]


# Web pages (URL name → method → rule). GET is asserted for every page; POST for the forms.
PAGES: dict[str, dict[str, Rule]] = {
    "set_language": {"GET": public(302), "POST": public(302)},
    "api-v1:openapi-json": {"GET": public()},
    "api-v1:openapi-view": {"GET": public()},
    "api-v1:api-root": {"GET": public(404)},  # ninja's bare root: the API's JSON 404
    "orgunits:unit-index": {"GET": public()},
    "orgunits:unit-detail": {"GET": public()},
    "reporting:my-reports": {"GET": signed_in()},
    "reporting:approvals": {"GET": Rule(ANY_APPROVER)},
    "reporting:completeness": {"GET": Rule(UNIT_READERS, query={"unit": "{structure}:{unit}"})},
    "reporting:regime-index": {"GET": public()},
    "reporting:regime-detail": {"GET": public()},
    "reporting:report-form": {
        "GET": Rule(UNIT_READERS, report=True),
        "POST": Rule(REPORTERS, ALLOWED, report=True, body={"action": "save"}),
    },
    "reporting:report-decide": {
        "GET": signed_in(405),
        # An outsider is told the report does not exist, as for a unit without one.
        "POST": Rule(
            APPROVERS,
            ALLOWED,
            outsiders=404,
            report=True,
            body={"action": "approve"},
        ),
    },
    "reporting:field-history": {"GET": Rule(UNIT_READERS, report=True)},
    "importing:import-index": {"GET": signed_in()},
    "importing:period-options": {"GET": signed_in()},
    "importing:template-download": {
        "GET": Rule(
            # Hà Nội does not report under this sample regime, so its people have no rows to fill.
            _roles(*REPORTERS, NEIGHBOUR),
            query={"regime": "{regime}", "period": "{period}", "format": "csv"},
        )
    },
    # Without a file there is nothing to check against a unit: every signed-in user is told so.
    "importing:upload-dry-run": {"GET": signed_in(405), "POST": signed_in(400)},
    "importing:upload-apply": {"GET": signed_in(405), "POST": signed_in(404)},
    "login": {"GET": public()},
    "logout": {"GET": public(405), "POST": public()},
    "password_change": {"GET": signed_in()},
    "password_change_done": {"GET": signed_in()},
    "password_reset": {"GET": public()},
    "password_reset_done": {"GET": public()},
    "password_reset_confirm": {"GET": public()},
    "password_reset_complete": {"GET": public()},
    # Single sign-on is off in the tests' settings (lotrinh/access/tests/test_sso.py turns it on).
    "oidc-start": {"GET": public(404)},
    "oidc-callback": {"GET": public(404)},
    "oidc-backchannel-logout": {"GET": public(405), "POST": public(404)},
    "sso-refused": {"GET": public(403)},  # the page explaining a refused sign-in
    # Every account may enrol its own authenticator; a missing code is refused (400).
    "two-factor-setup": {"GET": signed_in(), "POST": signed_in(400)},
    "two-factor-verify": {"GET": signed_in(), "POST": signed_in(400)},
    # Administrators of any unit open the reset page; a missing user name is refused (400).
    "two-factor-reset": {
        "GET": Rule(_roles("admin", "admin-elsewhere")),
        "POST": Rule(_roles("admin", "admin-elsewhere"), 400),
    },
    "extraction:document-upload": {"GET": Rule(ANY_MANAGER)},
    "extraction:targets-save": {"GET": signed_in(405), "POST": Rule(ANY_MANAGER, ALLOWED)},
    # A document read in the background: its reader's alone, and there is none here.
    "extraction:prepared-review": {"GET": Rule(ANY_MANAGER, 404)},
    "indicators:programme-index": {"GET": public()},
    "indicators:programme-detail": {"GET": public()},
    "indicators:indicator-index": {"GET": public()},
    "indicators:indicator-detail": {"GET": public()},
    "dashboards:home": {"GET": public()},
    "dashboards:programme-progress": {"GET": Rule(PROVINCE_READERS)},
    "dashboards:unit-overview": {"GET": Rule(PROVINCE_READERS, query={})},
    "dashboards:indicator-map": {"GET": public()},
    "dashboards:boundaries": {"GET": public(404)},  # no boundary file is configured in tests
    "dashboards:behind": {"GET": signed_in()},
    "ledger:sth": {"GET": public()},  # signed after the illustrative reports were recorded
    "ledger:consistency": {"GET": public(400)},  # asked without sizes
    "ledger:receipt": {"GET": Rule(UNIT_READERS, report=True)},
    "opendata:catalogue": {"GET": public()},
    "opendata:api-guide": {"GET": public()},
    "opendata:dataset-detail": {"GET": public()},
    "opendata:download": {"GET": public()},
    # The CKAN Action API; the address names a dataset, not an action, so CKAN's 400 answers.
    "ckan-action": {"GET": public(400), "POST": public(400)},
    "ckan-action-unversioned": {"GET": public(400)},
    "ckan-version": {"GET": public()},
    "dcat-catalogue": {"GET": public()},
    "dcat-dataset": {"GET": public()},
    "pod-catalogue": {"GET": public()},
    "sdmx-structure": {"GET": public()},
    "datastore-dump": {"GET": public()},
    "workplan:my-tasks": {"GET": signed_in(), "POST": signed_in(302)},
    "workplan:task-map": {"GET": signed_in()},
    "workplan:programme-tasks": {"GET": Rule(PROVINCE_READERS)},
    "workplan:programme-propose": {
        "GET": Rule(PROGRAMME_MANAGERS),
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED),
    },
    "workplan:task-create": {
        "GET": Rule(PROGRAMME_MANAGERS),
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED, body=NEW_TASK_FORM),
    },
    "workplan:task-edit": {
        "GET": Rule(PROGRAMME_MANAGERS),
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED, body=NEW_TASK_FORM),
    },
    "workplan:programme-reassign": {
        "GET": Rule(PROGRAMME_MANAGERS),
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED),
    },
    # The task is led by the report's commune: its reporter follows it without seeing the programme.
    "workplan:task-detail": {"GET": Rule(UNIT_READERS)},
    "workplan:evidence": {"GET": Rule(UNIT_READERS, 404)},  # the progress carries no file
    "workplan:task-report": {
        "GET": signed_in(405),
        "POST": Rule(REPORTERS, ALLOWED, body={"status": "not_started"}),
    },
    "workplan:progress-decide": {
        "GET": signed_in(405),
        "POST": Rule(APPROVERS, ALLOWED, body={"action": "approve"}),
    },
    "reviews:review-page": {
        "GET": Rule(PROVINCE_READERS),
        # An empty letterhead is refused (400) before anything is generated.
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED),
    },
    "reviews:review-file": {"GET": Rule(PROVINCE_READERS, 404)},  # no draft 1 in the data
    # A prepared download is its owner's alone; none exists here, and another's is a 404 too.
    "core:prepared-file": {"GET": signed_in(404)},
    "core:prepared-file-download": {"GET": signed_in(404)},
    "dashboards:programme-coverage": {"GET": Rule(PROVINCE_READERS)},
    "monitoring:source-edit": {
        "GET": Rule(PLANNERS),
        "POST": Rule(PLANNERS, ALLOWED, body={"kind": "none"}),
    },
    "monitoring:figure-create": {"GET": Rule(PLANNERS), "POST": Rule(PLANNERS, ALLOWED, body={})},
    "monitoring:form-change": {"GET": Rule(PLANNERS), "POST": Rule(PLANNERS, ALLOWED, body={})},
    # Without a file the upload is refused (400); the file's figures are checked unit by unit.
    "opendata:exchange-import": {"GET": signed_in(), "POST": signed_in(400)},
    # Without a file the upload is refused (400) after the permission check.
    "monitoring:figure-import": {"GET": Rule(PLANNERS), "POST": Rule(PLANNERS, 400, body={})},
}

# The admin is Django's own: only staff accounts enter it, and no role of Lộ Trình makes a user
# staff. Every admin address sends the visitor and an administrator of a province to its sign-in.
ADMIN_ROLES = (ANONYMOUS, "admin", "admin-elsewhere")
ADMIN_OPEN = {"admin:login": 200, "admin:logout": 302}  # everyone may sign in and out

# API operations (operation id → method → rule); the methods come from the OpenAPI schema.
_API_PUBLIC = {"GET": public(anonymous=200)}
_API_SIGNED_IN = {"GET": signed_in(anonymous=401)}
API: dict[str, dict[str, Rule]] = {
    "units_list": _API_PUBLIC,
    "units_detail": _API_PUBLIC,
    "units_children": _API_PUBLIC,
    "units_successors": _API_PUBLIC,
    "units_predecessors": _API_PUBLIC,
    "programmes_list": _API_PUBLIC,
    "programmes_detail": _API_PUBLIC,
    "programmes_targets": _API_PUBLIC,
    "indicators_list": _API_PUBLIC,
    "indicators_detail": _API_PUBLIC,
    "targets_list": _API_PUBLIC,
    "regimes_list": _API_SIGNED_IN,
    "regimes_detail": _API_SIGNED_IN,
    "periods_list": _API_SIGNED_IN,
    "reports_list": _API_SIGNED_IN,
    "reports_detail": {"GET": Rule(UNIT_READERS, anonymous=401, report=True)},
    "reports_history": {"GET": Rule(UNIT_READERS, anonymous=401, report=True)},
    "reports_completeness": {
        "GET": Rule(
            UNIT_READERS,
            anonymous=401,
            query={"regime": "{regime}", "period": "{period}", "unit": "{unit}"},
        )
    },
    "reports_values_save": {
        "PUT": Rule(REPORTERS, ALLOWED, anonymous=401, report=True, body={"values": {}})
    },
    "reports_submit": {"POST": Rule(REPORTERS, ALLOWED, anonymous=401, report=True)},
    "reports_approve": {"POST": Rule(APPROVERS, ALLOWED, anonymous=401, report=True)},
    "reports_return": {
        "POST": Rule(APPROVERS, ALLOWED, anonymous=401, report=True, body={"reason": "Sai số"})
    },
    "reports_reopen": {
        "POST": Rule(APPROVERS, ALLOWED, anonymous=401, report=True, body={"reason": "Sửa số"})
    },
    "assessments_list": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    "reports_receipt": {"GET": Rule(UNIT_READERS, anonymous=401, report=True)},
    "tasks_list": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    "tasks_summary": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    "tasks_create": {"POST": Rule(PROGRAMME_MANAGERS, ALLOWED, anonymous=401, body=NEW_TASK)},
    "tasks_update": {"PUT": Rule(PROGRAMME_MANAGERS, ALLOWED, anonymous=401, body=NEW_TASK)},
    "tasks_progress_report": {
        "POST": Rule(REPORTERS, ALLOWED, anonymous=401, body={"status": "not_started"})
    },
    "tasks_progress_approve": {"POST": Rule(APPROVERS, ALLOWED, anonymous=401)},
    "tasks_progress_return": {
        "POST": Rule(APPROVERS, ALLOWED, anonymous=401, body={"reason": "Thiếu minh chứng"})
    },
    "assessments_history": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    "assessments_history_recompute": {
        "POST": Rule(PROGRAMME_MANAGERS, ALLOWED, anonymous=401, body={"cutoffs": ["2025-06-30"]})
    },
    "reviews_list": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    # A letterhead with a number "abc" is refused (400) before anything is generated.
    "reviews_create": {
        "POST": Rule(
            PROGRAMME_MANAGERS,
            ALLOWED,
            anonymous=401,
            body={"as_of": "2025-12-31", "metadata": {"number": "abc"}},
        )
    },
    "reviews_file": {"GET": Rule(PROVINCE_READERS, 404, anonymous=401)},
    "coverage_detail": {"GET": Rule(PROVINCE_READERS, anonymous=401)},
    "plan_source_save": {"PUT": Rule(PLANNERS, ALLOWED, anonymous=401, body={"kind": "none"})},
    "published_figures_create": {
        "POST": Rule(PLANNERS, ALLOWED, anonymous=401, body=PUBLISHED_FIGURE)
    },
    "plan_form_change": {
        "POST": Rule(
            PLANNERS, ALLOWED, anonymous=401, body={"targets": [], "first_period": "2030Q1"}
        )
    },
    # Each row is checked against the user's provinces; without a file the call is refused.
    "published_figures_import": {"POST": signed_in(ALLOWED, anonymous=401)},
}


@functools.cache
def api_operations() -> dict[tuple[str, str], str]:
    """(operation id, method) → path with {placeholders}, from the API's OpenAPI schema."""
    schema = api.get_openapi_schema()
    return {
        (operation["operationId"], method.upper()): path
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def _is_api_operation(route: Route) -> bool:
    return route.namespace == "api-v1" and route.name in {op for op, _m in api_operations()}


def test_every_address_and_api_operation_has_an_entry():
    missing = [
        f"add an entry for {route.key} ({route.route}) to PAGES"
        for route in routes()
        if route.namespace != "admin" and not _is_api_operation(route) and route.key not in PAGES
    ]
    missing += [
        f"add an entry for {method} {operation} to API"
        for operation, method in api_operations()
        if method not in API.get(operation, {})
    ]
    assert not missing, "\n".join(missing)
    known = {route.key for route in routes()}
    stale = sorted(key for key in PAGES if key not in known)
    assert not stale, f"entries for addresses that no longer exist: {stale}"


# -- the data and the people ---------------------------------------------------------------------


@dataclass
class World:
    regime: ReportingRegime
    period: Period
    report: Report
    unit_without_report: OrgUnit
    clients: dict[str, Client]
    task: Task
    progress: TaskProgress

    def values(self, unit: OrgUnit) -> dict[str, str]:
        """A value for every path parameter, naming `unit`'s report."""
        element = self.regime.fields.order_by("position").first()
        assert element is not None
        return {
            "regime": self.regime.code,
            "regime_code": self.regime.code,
            "period": self.period.code,
            "period_code": self.period.code,
            "structure": unit.structure,
            "unit_code": unit.code,
            "unit": unit.code,
            "element_code": element.data_element.code,
            "indicator": INDICATOR,
            "uidb64": "MQ",
            "token": "set-password",
            "url": "no-such-thing/",
            "app_label": "auth",
            "content_type_id": "1",
            "object_id": "1",
            "id": "1",
            "pk": "1",  # django-otp's admin: a device's QR code
            "name": f"{INDICATOR}-gia-lai",  # an open dataset: the indicator in Gia Lai
            "fmt": "csv",
            "resource_id": f"{INDICATOR}-gia-lai-csv",
            "extension": "ttl",
            "task_id": str(self.task.pk),
            "progress_id": str(self.progress.pk),
            "document_id": "1",
            "prepared_id": "1",
        }


def _province(code: str) -> OrgUnit:
    return OrgUnit.objects.get(structure=Structure.CURRENT, code=code, tier=Tier.PROVINCE)


@pytest.fixture
def world() -> World:
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    spec = period_containing(regime.frequency, timezone.localdate(), regime.cutoff_day)
    period = Period.objects.get(regime=regime, code=spec.code)
    report = (
        Report.objects.filter(
            regime=regime,
            period=period,
            status=Status.SUBMITTED,
            org_unit__path__startswith="2025/52/",
            org_unit__tier=Tier.COMMUNE,
        )
        .select_related("org_unit")
        .order_by("org_unit__code")
        .first()
    )
    assert report is not None, "the illustrative data have a submitted report this quarter"
    # Two communes that have not started this quarter's report: the neighbour reporter's, and one
    # whose address outsiders are also sent to.
    neighbour, unstarted = (
        expected_units(regime, period)
        .filter(path__startswith="2025/52/", tier=Tier.COMMUNE)
        .exclude(reports__period=period)
        .order_by("code")[:2]
    )
    gia_lai, ha_noi = _province("52"), _province("01")
    ha_noi_commune = OrgUnit.objects.filter(parent=ha_noi, tier=Tier.COMMUNE).order_by("code")[0]
    clients = {ANONYMOUS: Client()}
    for role in ROLES[1:]:
        user = User.objects.create_user(
            role, password="x", is_superuser=role == SUPERUSER, is_staff=role == SUPERUSER
        )
        if role in INSIDE:
            unit = report.org_unit if role == Role.REPORTER else gia_lai
        elif role == NEIGHBOUR:
            unit = neighbour
        elif role in OUTSIDE:
            unit = ha_noi_commune if role.startswith(Role.REPORTER) else ha_noi
        if role != SUPERUSER:
            Membership.objects.create(user=user, org_unit=unit, role=role.split("-")[0])
        clients[role] = Client()
        clients[role].force_login(user)
    # A task of Bình Định's programme led by the report's commune, with progress awaiting approval.
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
    return World(regime, period, report, unstarted, clients, task, progress)


def _state(report: Report) -> tuple[object, ...]:
    """What any write of these addresses would change."""
    report.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        Report.objects.count(),
        report.status,
        report.version,
        Programme.objects.count(),
        Target.objects.count(),
        Task.objects.count(),
        sorted(TaskProgress.objects.values_list("pk", "state")),
        sorted(Task.objects.values_list("pk", "lead_unit_id")),
    )


def _send(
    client: Client, method: str, path: str, rule: Rule, values: dict[str, str], is_api: bool
) -> tuple[int, str]:
    query = {key: value.format(**values) for key, value in rule.query.items()}
    if method == "GET":
        response = client.get(path, query)
    elif is_api:
        response = client.generic(
            method, path, json.dumps(rule.body or {}), content_type="application/json"
        )
    else:
        response = client.post(path, rule.body or {})
    return response.status_code, response.get("Location", "")


def _outcome(status: int, location: str) -> int | str:
    if status == 302 and "/admin/login/" in location:
        return ADMIN_LOGIN
    if status == 302 and "/accounts/login/" in location:
        return LOGIN
    return status


def _check(
    world: World,
    key: str,
    method: str,
    rule: Rule,
    address: Callable[[dict[str, str]], str],
    roles: tuple[str, ...] | None = None,
    is_api: bool = False,
) -> list[str]:
    """Request the address as each role; return a line for each answer that is not expected."""
    wrong = []
    if roles is None:
        # An address that lets every signed-in user in checks no role: a visitor, a member and a
        # superuser stand for everyone.
        roles = (ANONYMOUS, "reporter-elsewhere", SUPERUSER) if rule.allowed >= SIGNED_IN else ROLES
    inside = world.values(world.report.org_unit)
    for role in roles:
        expected = rule.expected(role)
        client = world.clients[role]
        # A write is rolled back after each role; a read is not, so that what a page computes
        # and stores the first time (a programme's assessments) is not computed again.
        with transaction.atomic():
            before = _state(world.report) if method != "GET" else None
            status, location = _send(client, method, address(inside), rule, inside, is_api)
            got = _outcome(status, location)
            changed = before is not None and _state(world.report) != before
            transaction.set_rollback(method != "GET")
        cell = f"{method} {key} as {role}"
        if got == 500 or (isinstance(got, int) and got >= 500):
            wrong.append(f"{cell}: server error {got}")
        elif expected == ALLOWED:
            if got in (403, 401, LOGIN):
                wrong.append(f"{cell}: an authorised write was refused ({got})")
        elif got != expected:
            wrong.append(f"{cell}: expected {expected}, got {got}")
        if changed and role not in rule.allowed:
            wrong.append(f"{cell}: refused, yet the stored data changed")
        if rule.report and role in (NEIGHBOUR, *OUTSIDE):
            elsewhere = world.values(world.unit_without_report)
            with transaction.atomic():
                status, location = _send(
                    client, method, address(elsewhere), rule, elsewhere, is_api
                )
                transaction.set_rollback(True)
            if _outcome(status, location) != got:
                wrong.append(
                    f"{cell}: answers {got} for a started report but "
                    f"{_outcome(status, location)} for a unit without one (existence leak)"
                )
    return wrong


def _page_route(key: str) -> Route:
    return next(route for route in routes() if route.key == key)


@pytest.mark.parametrize(
    ("key", "method"), [(key, method) for key, methods in PAGES.items() for method in methods]
)
def test_page(world, key, method):
    route = _page_route(key)

    def address(values: dict[str, str]) -> str:
        return route.address({**values, "code": _code(key, values)})

    wrong = _check(world, key, method, PAGES[key][method], address)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("operation", "method"),
    [(operation, method) for operation, methods in API.items() for method in methods],
)
def test_api_operation(world, operation, method):
    path = api_operations()[(operation, method)]

    def address(values: dict[str, str]) -> str:
        return path.format(**{**values, "code": _code(operation, values)})

    wrong = _check(world, operation, method, API[operation][method], address, is_api=True)
    assert not wrong, "\n".join(wrong)


def _code(key: str, values: dict[str, str]) -> str:
    """The `code` parameter of an address: a programme's, an indicator's, a regime's or a unit's."""
    if key.startswith("tasks_") or any(
        word in key
        for word in (
            "programme",
            "assessments",
            "review",
            "coverage",
            "plan",
            "source",
            "figure",
            "form-change",
        )
    ):
        return PROGRAMME
    if "indicator" in key:
        return INDICATOR
    if "regime" in key or "periods" in key:
        return values["regime"]
    return "52"


def test_the_admin_lets_in_staff_only(world):
    wrong: list[str] = []
    for route in routes():
        if route.namespace != "admin":
            continue
        status = ADMIN_OPEN.get(route.key)
        rule = (
            public(status)
            if status
            else Rule(frozenset(), anonymous=ADMIN_LOGIN, refused=ADMIN_LOGIN)
        )
        wrong += _check(world, route.key, "GET", rule, route.address, roles=ADMIN_ROLES)
    assert not wrong, "\n".join(wrong)
    assert world.clients[SUPERUSER].get("/admin/").status_code == 200


def test_the_reports_list_holds_exactly_the_reports_each_role_may_open(world):
    """A list answers with the same rule as the report's own address (can_view_unit): a reporter
    of the province, who reports for the province alone, lists none of its communes' reports."""
    province_reporter = User.objects.create_user("reporter-of-the-province", password="x")
    Membership.objects.create(user=province_reporter, org_unit=_province("52"), role=Role.REPORTER)
    users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    users[province_reporter.username] = province_reporter
    reports = list(
        Report.objects.filter(
            regime=world.regime, period=world.period, org_unit__path__startswith="2025/52/"
        ).select_related("org_unit")
    )
    wrong = []
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        answer = client.get(
            "/api/v1/reports",
            {"regime": world.regime.code, "period": world.period.code, "unit": "52", "limit": 500},
        ).json()
        listed = {item["unit"]["code"] for item in answer["items"]}
        may_open = {r.org_unit.code for r in reports if can_view_unit(user, r.org_unit)}
        if listed != may_open:
            wrong.append(
                f"{name} lists {sorted(listed - may_open)} and misses {sorted(may_open - listed)}"
            )
    assert len(reports) > 10
    assert not wrong, "\n".join(wrong)
