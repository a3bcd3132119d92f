"""Reporting for other systems and the site's own scripts: regimes, periods, reports, workflow.

Every operation needs a signed-in session or an API token (lotrinh.api.auth) and is authorised by
lotrinh.access.permissions, never by the ids in the URL alone. Every write goes through
lotrinh.reporting.services and runs once per `Idempotency-Key` (lotrinh.api.idempotency).
"""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema
from ninja.pagination import paginate

from lotrinh.access.permissions import require_view_unit
from lotrinh.api.auth import actor_of, api_auth, principal_of
from lotrinh.api.errors import issue_payload, plain_number
from lotrinh.api.idempotency import run_idempotent
from lotrinh.api.pagination import BoundedLimitOffset
from lotrinh.api.schemas.reporting import (
    CompletenessOut,
    ConflictOut,
    ErrorOut,
    FormFieldOut,
    HistoryEventOut,
    InvalidOut,
    IssueOut,
    PeriodOut,
    ReasonIn,
    RegimeDetailOut,
    RegimeOut,
    ReportDetailOut,
    ReportOut,
    RuleOut,
    SaveOut,
    ValueOut,
    ValuesIn,
)
from lotrinh.api.schemas.units import UnitRef
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.models import FormField, Period, Report, ReportingRegime
from lotrinh.reporting.queries import (
    audit_trail,
    completeness,
    form_fields,
    form_rules,
    period_structure,
    previous_values,
    reports_for_user,
)
from lotrinh.reporting.services import (
    approve_report,
    open_report,
    reopen_report,
    return_report,
    save_values,
    submit_report,
    validate_report,
)

router = Router(tags=["reporting"], auth=api_auth)

REPORT = "/reports/{regime}/{period}/{structure}/{unit_code}"
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=(
            "A new unique value (e.g. a UUID) per write; send the same one to retry it. "
            "Required with an API token. See docs/api.md."
        ),
    ),
]
_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS: dict[int, Any] = _ERRORS | {400: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# -- regimes and periods -------------------------------------------------------------------------


@router.get("/regimes", response=list[RegimeOut], operation_id="regimes_list")
def regimes_list(request: HttpRequest) -> list[ReportingRegime]:
    return list(ReportingRegime.objects.all())


def _field_out(field: FormField) -> FormFieldOut:
    element = field.data_element
    return FormFieldOut(
        position=field.position,
        section=field.section,
        code=element.code,
        name=element.name,
        name_en=element.name_en,
        value_type=element.value_type,
        is_required=field.is_required,
        is_confidential=element.is_confidential,
        help_text=field.help_text,
        min_value=element.min_value,
        max_value=element.max_value,
        valid_from=field.valid_from,
        valid_until=field.valid_until,
        reporting_tiers=field.tiers,
    )


@router.get(
    "/regimes/{code}", response={200: RegimeDetailOut} | _ERRORS, operation_id="regimes_detail"
)
def regimes_detail(
    request: HttpRequest,
    code: str,
    period: str | None = None,
    structure: str | None = None,
    unit: str | None = None,
) -> RegimeDetailOut:
    """One regime with its form (data elements in order, with help, the periods each applies to
    and the tiers that report it) and its validation rules; with `period` (2026Q3), only the
    fields and rules of that period's reports; with `unit` (a code in `structure`), only the
    fields that unit reports and the rules over them."""
    regime = get_object_or_404(ReportingRegime, code=code)
    tier = None
    if unit is not None:
        found = get_object_or_404(OrgUnit, structure=structure or "", code=unit)
        require_view_unit(principal_of(request).user, found)
        tier = found.tier
    found_period = None if period is None else get_object_or_404(Period, regime=regime, code=period)
    return RegimeDetailOut(
        **RegimeOut.from_orm(regime).dict(),
        content=regime.content,
        sending_method=regime.sending_method,
        deadline_days=regime.deadline_days,
        instructions=regime.instructions,
        legal_basis=regime.legal_basis,
        fields=[_field_out(f) for f in form_fields(regime, found_period, tier)],
        rules=[RuleOut.from_orm(r) for r in form_rules(regime, found_period, tier)],
    )


@router.get(
    "/regimes/{code}/periods",
    response={200: list[PeriodOut]} | _ERRORS,
    operation_id="periods_list",
)
def periods_list(request: HttpRequest, code: str) -> list[PeriodOut]:
    """The regime's periods, oldest first, with their cut-off windows (Decree 09: 15th → 14th)."""
    regime = get_object_or_404(ReportingRegime, code=code)
    return [
        PeriodOut(
            code=p.code,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            cutoff_from=p.cutoff_from,
            cutoff_to=p.cutoff_to,
            is_locked=p.is_locked,
            structure=period_structure(p),
        )
        for p in regime.periods.order_by("starts_on")
    ]


# -- reports: reading ----------------------------------------------------------------------------


class ReportFilter(Schema):
    regime: str | None = None
    period: str | None = None
    structure: str = "2025"
    unit: str | None = None
    status: str | None = None


@router.get("/reports", response=list[ReportOut], operation_id="reports_list")
@paginate(BoundedLimitOffset)
def reports_list(request: HttpRequest, filters: Query[ReportFilter]):  # type: ignore[no-untyped-def]
    """Reports the caller may see; `unit` (a code in `structure`) keeps that unit and those below."""
    reports = reports_for_user(principal_of(request).user)
    if filters.regime:
        reports = reports.filter(regime__code=filters.regime)
    if filters.period:
        reports = reports.filter(period__code=filters.period)
    if filters.unit:
        unit = get_object_or_404(OrgUnit, structure=filters.structure, code=filters.unit)
        reports = reports.filter(in_subtree(unit.path, "org_unit__"))
    if filters.status:
        reports = reports.filter(status=filters.status)
    return reports


def _target(
    regime: str, period: str, structure: str, unit_code: str
) -> tuple[ReportingRegime, Period, OrgUnit]:
    found = get_object_or_404(ReportingRegime, code=regime)
    return (
        found,
        get_object_or_404(Period, regime=found, code=period),
        get_object_or_404(OrgUnit, structure=structure, code=unit_code),
    )


def _report(
    request: HttpRequest, regime: str, period: str, structure: str, unit_code: str
) -> Report:
    """The report at this address, once the caller is known to be allowed to see its unit."""
    found_regime, found_period, unit = _target(regime, period, structure, unit_code)
    require_view_unit(principal_of(request).user, unit)
    return get_object_or_404(
        Report.objects.select_related("regime", "period", "org_unit"),
        regime=found_regime,
        period=found_period,
        org_unit=unit,
    )


def _detail(report: Report) -> dict[str, Any]:
    stored = report.values.select_related("data_element").order_by("data_element__code")
    return {
        "report": report,
        "values": {
            dv.data_element.code: ValueOut(value=plain_number(dv.value), comment=dv.comment)
            for dv in stored
        },
        "previous_values": {
            code: plain_number(value) for code, value in previous_values(report).items()
        },
        "issues": [IssueOut(**issue_payload(i)) for i in validate_report(report).issues],
    }


@router.get(REPORT, response={200: ReportDetailOut} | _ERRORS, operation_id="reports_detail")
def reports_detail(
    request: HttpRequest, regime: str, period: str, structure: str, unit_code: str
) -> ReportDetailOut:
    """One report: status, figures with comments, last period's figures and every current issue."""
    return ReportDetailOut(**_detail(_report(request, regime, period, structure, unit_code)))


class CompletenessFilter(Schema):
    regime: str
    period: str
    unit: str
    structure: str | None = None


@router.get(
    "/reports/completeness",
    response={200: CompletenessOut} | _ERRORS,
    operation_id="reports_completeness",
)
def reports_completeness(
    request: HttpRequest, filters: Query[CompletenessFilter]
) -> CompletenessOut:
    """On time, late, pending and missing reports of `unit` and the units below it.

    `structure` defaults to the one whose units report the period (legacy before 1/7/2025).
    """
    regime = get_object_or_404(ReportingRegime, code=filters.regime)
    period = get_object_or_404(Period, regime=regime, code=filters.period)
    structure = filters.structure or period_structure(period)
    unit = get_object_or_404(OrgUnit, structure=structure, code=filters.unit)
    require_view_unit(principal_of(request).user, unit)
    result = completeness(regime, period, within=unit)
    return CompletenessOut(
        regime=regime.code,
        period=period.code,
        unit=UnitRef.from_orm(unit),
        expected=result.expected,
        on_time=result.on_time,
        late=result.late,
        pending=result.pending,
        missing=result.missing,
        submitted=result.submitted,
        rate=result.rate,
        overdue_units=[UnitRef.from_orm(u) for u in result.overdue_units],
    )


class HistoryFilter(Schema):
    field: str = ""


@router.get(REPORT + "/history", response=list[HistoryEventOut], operation_id="reports_history")
@paginate(BoundedLimitOffset)
def reports_history(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    filters: Query[HistoryFilter],
):
    """Who changed what, when, through which channel and why; newest first.

    `field` keeps one figure (a data element code) or the workflow steps ("status").
    """
    return audit_trail(_report(request, regime, period, structure, unit_code), filters.field)


# -- reports: writing ----------------------------------------------------------------------------


@router.put(
    REPORT + "/values",
    response={200: SaveOut, 409: ConflictOut, 422: InvalidOut} | _WRITE_ERRORS,
    operation_id="reports_values_save",
)
def reports_values_save(
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    body: ValuesIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Save figures and comments of a draft or returned report, creating the report if needed.

    All or nothing: if any figure cannot be read, nothing is stored and 422 lists why, field by
    field. With `base_version`, a report saved by someone else since then answers 409 with the
    figures they changed.
    """

    def operation() -> SaveOut:
        actor = actor_of(request)
        report = open_report(actor, *_target(regime, period, structure, unit_code))
        result = save_values(
            actor,
            report,
            dict(body.values),
            body.comments,
            base_version=body.base_version,
            reply=body.reply,
            all_or_nothing=True,
        )
        return SaveOut(**_detail(result.report), changed=result.changed)

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    REPORT + "/submit",
    response={200: ReportDetailOut, 422: InvalidOut} | _WRITE_ERRORS,
    operation_id="reports_submit",
)
def reports_submit(
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Submit a draft or returned report. Errors block (422 lists them); warnings need comments."""

    def operation() -> ReportDetailOut:
        report = _report(request, regime, period, structure, unit_code)
        return ReportDetailOut(**_detail(submit_report(actor_of(request), report).report))

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    REPORT + "/approve",
    response={200: ReportDetailOut} | _WRITE_ERRORS,
    operation_id="reports_approve",
)
def reports_approve(
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Approve a submitted report (approvers of the unit or a unit above it)."""

    def operation() -> ReportDetailOut:
        report = _report(request, regime, period, structure, unit_code)
        return ReportDetailOut(**_detail(approve_report(actor_of(request), report)))

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    REPORT + "/return",
    response={200: ReportDetailOut} | _WRITE_ERRORS,
    operation_id="reports_return",
)
def reports_return(
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    body: ReasonIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Send a submitted report back to its unit with a reason the reporter will read."""

    def operation() -> ReportDetailOut:
        report = _report(request, regime, period, structure, unit_code)
        return ReportDetailOut(**_detail(return_report(actor_of(request), report, body.reason)))

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    REPORT + "/reopen",
    response={200: ReportDetailOut} | _WRITE_ERRORS,
    operation_id="reports_reopen",
)
def reports_reopen(
    request: HttpRequest,
    regime: str,
    period: str,
    structure: str,
    unit_code: str,
    body: ReasonIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Reopen an approved report for a correction, with a reason; every value keeps its history."""

    def operation() -> ReportDetailOut:
        report = _report(request, regime, period, structure, unit_code)
        return ReportDetailOut(**_detail(reopen_report(actor_of(request), report, body.reason)))

    return run_idempotent(request, principal_of(request), operation)
