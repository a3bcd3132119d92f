"""The monitoring plan of a programme: its coverage, and each indicator's source."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import File, Router
from ninja.files import UploadedFile

from lotrinh.access.permissions import require_view_programme
from lotrinh.api.auth import actor_of, api_auth, principal_of
from lotrinh.api.errors import DetailedRefusalError
from lotrinh.api.idempotency import run_idempotent
from lotrinh.api.routers.reporting import _ERRORS, _WRITE_ERRORS, IdempotencyKey
from lotrinh.api.schemas.monitoring import (
    CoverageOut,
    CoverageRowOut,
    FieldChangeOut,
    FigureImportOut,
    FigureImportRefusedOut,
    FigureRowOut,
    FormChangeIn,
    FormChangeOut,
    FormChangePlanOut,
    PillarCountOut,
    PublishedFigureIn,
    PublishedFigureOut,
    RuleChangeOut,
    SourceIn,
    SourceOut,
)
from lotrinh.api.schemas.reporting import ErrorOut
from lotrinh.core.errors import UserFacingError
from lotrinh.dashboards.coverage import CoverageFilters, CoverageRow, programme_coverage
from lotrinh.indicators.models import Indicator, Observation, Programme
from lotrinh.monitoring.models import DataSource
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.published import (
    PublishedFigure,
    check_figure_rows,
    read_figure_rows,
    record_published_figure,
)
from lotrinh.monitoring.queries import plan_province
from lotrinh.monitoring.services import (
    NO_SOURCE,
    FormChangePlan,
    NewElementInput,
    SourceInput,
    TargetPlan,
    apply_form_change,
    set_source,
)
from lotrinh.monitoring.services import plan_form_change as propose_form_change
from lotrinh.orgunits.models import OrgUnit, Tier

router = Router(tags=["monitoring"], auth=api_auth)


def _source_out(indicator: Indicator, province: OrgUnit, source: DataSource | None) -> SourceOut:
    return SourceOut(
        indicator_code=indicator.code,
        province=f"{province.structure}/{province.code}",
        kind=source.kind if source else NO_SOURCE,
        frequency=source.frequency if source else "",
        regime=source.regime.code if source and source.regime else "",
        reporting_tiers=source.reporting_tiers if source else [],
        first_period=source.first_period if source else "",
        publisher=source.publisher if source else "",
        reference=source.reference if source else "",
        note=source.note if source else "",
    )


def _row_out(row: CoverageRow, province: OrgUnit) -> CoverageRowOut:
    target = row.target
    return CoverageRowOut(
        target_id=target.pk,
        indicator_code=target.indicator.code,
        indicator_name=target.indicator_name,
        pillar=target.pillar,
        level=target.level,
        year=target.year,
        source=_source_out(target.indicator, province, row.source),
        newest_day=row.newest_day,
        newest_value=row.newest_value,
        newest_from=row.newest_from,
        status=row.assessment.status if row.assessment else "",
        data_gap=row.gap,
        data_gap_label=row.gap_label,
    )


@router.get(
    "/programmes/{code}/coverage",
    response={200: CoverageOut} | _ERRORS,
    operation_id="coverage_detail",
)
def coverage_detail(
    request: HttpRequest, code: str, pillar: str = "", source: str = "", gap: str = ""
) -> CoverageOut:
    """Every target of the programme with its source, newest figure and gap (no_source, no_data,
    too_few_points), and counts by pillar. Filters: pillar, source (reported, published, none),
    gap (one of the three, or any)."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    filters = CoverageFilters.from_query({"pillar": pillar, "source": source, "gap": gap})
    coverage = programme_coverage(programme, filters)
    province = coverage.province
    return CoverageOut(
        programme=programme.code,
        province=f"{province.structure}/{province.code}",
        pillars=[PillarCountOut(**vars(p)) for p in coverage.pillars],
        gaps=coverage.gaps,
        targets=[_row_out(r, province) for r in coverage.rows],
    )


@router.put(
    "/programmes/{code}/plan/{indicator}",
    response={200: SourceOut} | _WRITE_ERRORS,
    operation_id="plan_source_save",
)
def plan_source_save(
    request: HttpRequest,
    code: str,
    indicator: str,
    body: SourceIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Record how one indicator of the programme is measured in the province whose plan covers
    it (shared by that province's programmes). All or nothing: a bad value answers 400 with the
    reason in Vietnamese and English, and the plan is unchanged."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    measured = get_object_or_404(
        Indicator.objects.filter(target__programme=programme).distinct(), code=indicator
    )
    province = plan_province(programme.org_unit)

    def operation() -> SourceOut:
        source = set_source(
            actor_of(request).user,
            measured,
            province,
            SourceInput(
                kind=body.kind,
                frequency=body.frequency,
                regime=body.regime,
                reporting_tiers=tuple(body.reporting_tiers),
                first_period=body.first_period,
                publisher=body.publisher,
                reference=body.reference,
                note=body.note,
            ),
            channel="api",
        )
        return _source_out(measured, province, source)

    return run_idempotent(request, principal_of(request), operation)


def _figure_out(row: Observation) -> PublishedFigureOut:
    return PublishedFigureOut(
        id=row.pk,
        indicator=row.indicator.code,
        province=f"{row.org_unit.structure}/{row.org_unit.code}",
        year=row.year,
        period=row.period_label,
        value=float(row.value),
        is_lower_bound=row.is_lower_bound,
        unit=row.unit,
        source_url=row.source_url,
        reference=row.reference,
        published_on=row.published_on,
    )


def _figure_of(body: PublishedFigureIn) -> PublishedFigure:
    indicator = Indicator.objects.filter(code=body.indicator).first()
    if indicator is None:
        raise UserFacingError(_("No indicator has the code “%(code)s”."), code=body.indicator)
    structure, _slash, code = body.province.partition("/")
    province = OrgUnit.objects.filter(structure=structure, code=code, tier=Tier.PROVINCE).first()
    if province is None:
        raise UserFacingError(
            _("No province is “%(value)s”: write its structure and code, as 2025/52."),
            value=body.province,
        )
    return PublishedFigure(
        indicator=indicator,
        province=province,
        year=body.year,
        period=body.period,
        value=body.value,
        unit=body.unit,
        source_url=body.source_url,
        reference=body.reference,
        published_on=body.published_on,
        quote=body.quote,
    )


@router.post(
    "/published-figures",
    response={200: PublishedFigureOut} | _WRITE_ERRORS,
    operation_id="published_figures_create",
)
def published_figures_create(
    request: HttpRequest, body: PublishedFigureIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Enter a figure published by someone else (a DTI or PAR Index rank, a GRDP share), with its
    source; it replaces the figure of the same indicator, province and period, and is assessed
    like reported figures. A bad value (a rank of 70 when 34 provinces are ranked, a share above
    100 %, a date in the future) answers 400 in Vietnamese and English, and nothing is stored."""

    def operation() -> PublishedFigureOut:
        figure = _figure_of(body)
        return _figure_out(record_published_figure(actor_of(request).user, figure, channel="api"))

    return run_idempotent(request, principal_of(request), operation)


def _plan_out(plan: FormChangePlan, province: OrgUnit, applied: bool) -> FormChangePlanOut:
    return FormChangePlanOut(
        applied=applied,
        changes=[
            FormChangeOut(
                regime=c.form.regime_code,
                first_period=plan.first_periods[c.form.regime_code].code,
                reporting_tiers=sorted(c.tiers),
                fields_added=[
                    FieldChangeOut(
                        code=f.element.code,
                        name=f.element.name,
                        is_required=True,
                        reporting_tiers=list(f.tiers),
                        is_new_element=f.element.is_new,
                    )
                    for f in c.added
                ],
                fields_unchanged=c.unchanged,
                rules_added=[RuleChangeOut(**vars(r)) for r in c.rules],
            )
            for c in plan.proposal.changes
        ],
        sources=[
            SourceOut(
                indicator_code=indicator.code,
                province=f"{province.structure}/{province.code}",
                kind=s.kind,
                frequency=s.frequency,
                regime=s.regime,
                reporting_tiers=list(s.reporting_tiers),
                first_period=s.first_period,
                publisher=s.publisher,
                reference=s.reference,
                note=s.note,
            )
            for indicator, s in plan.sources
        ],
    )


@router.post(
    "/programmes/{code}/form-change",
    response={200: FormChangePlanOut} | _WRITE_ERRORS,
    operation_id="plan_form_change",
)
def plan_form_change(
    request: HttpRequest, code: str, body: FormChangeIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """From plan to form: propose (dry_run) or apply the change to the reporting forms that
    collects the given targets — the data elements needed (a ratio's numerator and denominator
    with numerator ≤ denominator, a direct figure's element), the units that report them (a
    field only some tiers report is on those units' forms only), the frequency and the first
    period — as a new form version from that period on, and record each target's source in the
    plan. A target whose indicator has no element in the catalogue gets `new_elements`, added
    to the catalogue with the form version. All or nothing: an unknown element code, a new code
    that is malformed or taken, a frequency no regime can carry, or a period already closed
    answers 400 in Vietnamese and English, and nothing changes."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    province = plan_province(programme.org_unit)
    targets = [
        TargetPlan(
            t.indicator,
            t.how,
            t.frequency,
            t.publisher,
            t.reference,
            new_elements=tuple(NewElementInput(**e.dict()) for e in t.new_elements),
        )
        for t in body.targets
    ]

    def operation() -> FormChangePlanOut:
        user = actor_of(request).user
        if body.dry_run:
            require_change_plan(user, province)
            return _plan_out(
                propose_form_change(programme, targets, body.first_period), province, False
            )
        plan = apply_form_change(
            user,
            programme,
            targets,
            body.first_period,
            expected_fields=body.expected_fields,
            channel="api",
        )
        return _plan_out(plan, province, True)

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    "/published-figures/import",
    # 422: the rows with what is wrong with them, or (no readable file field) the input refusal.
    response=_WRITE_ERRORS | {200: FigureImportOut, 422: FigureImportRefusedOut | ErrorOut},
    operation_id="published_figures_import",
)
def published_figures_import(
    request: HttpRequest,
    file: File[UploadedFile],
    apply: bool = False,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Check a CSV or .xlsx of published figures (the columns of `lotrinh import-published`), row
    by row, as the upload page does; with `apply=true` keep them, all or none. Every row comes
    back with what is wrong with it in Vietnamese and English; any wrong row answers 422 and
    nothing is stored. A file that cannot be read as a whole answers 400."""
    rows = read_figure_rows(file.name or "", file, file.size or 0)

    def operation() -> FigureImportOut:
        checked = check_figure_rows(rows, actor_of(request).user, apply=apply)
        wrong = sum(not row.ok for row in checked)
        out = FigureImportOut(
            applied=apply and not wrong,
            wrong=wrong,
            rows=[
                FigureRowOut(
                    line=row.line,
                    province=row.row.get("province", ""),
                    indicator=row.row.get("indicator", ""),
                    period=row.row.get("period", ""),
                    value=row.row.get("value", ""),
                    ok=row.ok,
                    error=row.error_vi,
                    error_en=row.error_en,
                )
                for row in checked
            ],
        )
        if wrong:
            raise DetailedRefusalError(
                _("%(count)s rows are wrong, so nothing was stored; each row says why."),
                out.model_dump(),
                count=wrong,
            )
        return out

    return run_idempotent(request, principal_of(request), operation)
