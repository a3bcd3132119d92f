"""The pages where a programme officer plans how the indicators of a programme are measured."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Indicator, Programme, UnitKind, ValueType
from lotrinh.monitoring.forms import PublishedFigureForm, SourceForm
from lotrinh.monitoring.models import ReportingTier
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.proposal import PUBLISHED
from lotrinh.monitoring.published import (
    check_figure_rows,
    read_figure_rows,
    record_published_figure,
)
from lotrinh.monitoring.queries import (
    plan_province,
    programme_provinces,
    regimes_of,
    sources_by_indicator,
)
from lotrinh.monitoring.services import (
    FormChangePlan,
    NewElementInput,
    TargetPlan,
    apply_form_change,
    needs_elements,
    plan_form_change,
    proposed_elements,
    set_source,
)
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.importing import uploads
from lotrinh.reporting.models import Frequency
from lotrinh.reporting.periods import period_containing, period_label

FIGURE_UPLOADS = "lotrinh_figure_imports"  # session key: the tokens of this user's dry runs


@login_required
def source_edit(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    province = plan_province(programme.org_unit)
    require_change_plan(request.user, province)
    measured = get_object_or_404(
        Indicator.objects.filter(target__programme=programme).distinct(), code=indicator
    )
    source = sources_by_indicator(province, [measured.pk]).get(measured.pk)
    regimes = list(regimes_of(province))
    form = SourceForm(request.POST or None, regimes=regimes, initial=SourceForm.initial_of(source))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            set_source(request.user, measured, province, form.source_input())
        except UserFacingError as error:
            form.add_error(None, error.text(get_language() or "vi"))
            status = 400
        else:
            return redirect("dashboards:programme-coverage", code=programme.code)
    elif request.method == "POST":
        status = 400
    context = {
        "programme": programme,
        "province": province,
        "indicator": measured,
        "form": form,
        "targets": programme.target_set.filter(indicator=measured).order_by("source_line"),
    }
    return render(request, "monitoring/source_edit.html", context, status=status)


@login_required
def figure_create(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    """Enter a figure another body published for one indicator of the programme."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    province = plan_province(programme.org_unit)
    require_change_plan(request.user, province)
    measured = get_object_or_404(
        Indicator.objects.filter(target__programme=programme).distinct(), code=indicator
    )
    provinces = list(OrgUnit.objects.filter(pk__in=programme_provinces(province)).order_by("pk"))
    form = PublishedFigureForm(
        request.POST or None,
        provinces=provinces,
        initial={"province": str(province.pk), "unit": measured.unit},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record_published_figure(request.user, form.figure(measured))
        except UserFacingError as error:
            form.add_error(None, error.text(get_language() or "vi"))
            status = 400
        else:
            return redirect("dashboards:programme-coverage", code=programme.code)
    elif request.method == "POST":
        status = 400
    context = {"programme": programme, "province": province, "indicator": measured, "form": form}
    return render(request, "monitoring/figure_create.html", context, status=status)


def _default_how(indicator: Indicator) -> str:
    """Lộ Trình's first guess: a ratio from the communes, a figure from the departments, and an
    indicator the catalogue gives no data element to as a published figure."""
    if indicator.numerator_id and indicator.denominator_id:
        return ReportingTier.COMMUNE
    return ReportingTier.AGENCY if indicator.reported_as_id else PUBLISHED


RATIO, FIGURE = "ratio", "figure"


def _new_elements(indicator: Indicator, data: QueryDict) -> tuple[NewElementInput, ...]:
    """The new catalogue elements the officer gives an indicator without any: Lộ Trình's guess
    (`proposed_elements`), as corrected on the page."""
    default_shape = RATIO if indicator.unit_kind == UnitKind.PERCENT else FIGURE
    shape = data.get(f"shape-{indicator.code}") or default_shape
    guessed = proposed_elements(indicator, ratio=shape == RATIO)
    return tuple(
        NewElementInput(
            e.role,
            code=data.get(f"{e.role}-code-{indicator.code}", e.code),
            name=data.get(f"{e.role}-name-{indicator.code}", e.name),
            unit=data.get(f"{e.role}-unit-{indicator.code}", e.unit),
            value_type=data.get(f"{e.role}-type-{indicator.code}", e.value_type),
        )
        for e in guessed
    )


def _target_plan(indicator: Indicator, data: QueryDict) -> TargetPlan:
    how = data.get(f"how-{indicator.code}") or _default_how(indicator)
    default_frequency = Frequency.QUARTERLY if how == ReportingTier.COMMUNE else Frequency.ANNUAL
    return TargetPlan(
        indicator=indicator.code,
        how=how,
        frequency=data.get(f"frequency-{indicator.code}") or default_frequency,
        publisher=data.get(f"publisher-{indicator.code}", ""),
        reference=data.get(f"reference-{indicator.code}", ""),
        new_elements=(
            _new_elements(indicator, data) if needs_elements(indicator) and how != PUBLISHED else ()
        ),
    )


def _next_quarter() -> str:
    now = period_containing(Frequency.QUARTERLY, timezone.localdate())
    return period_containing(Frequency.QUARTERLY, now.cutoff_to + datetime.timedelta(days=1)).code


@login_required
def form_change(request: HttpRequest, code: str) -> HttpResponse:
    """From plan to form: the chosen targets, how each is collected, the change to the forms it
    takes (shown as a diff against the current form) and, on confirmation, applied."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    province = plan_province(programme.org_unit)
    require_change_plan(request.user, province)
    data = request.POST if request.method == "POST" else request.GET
    chosen = list(
        Indicator.objects.filter(target__programme=programme, code__in=data.getlist("indicator"))
        .distinct()
        .order_by("name")
    )
    targets = [_target_plan(i, data) for i in chosen]
    first_period = data.get("first_period", "").strip() or _next_quarter()
    plan: FormChangePlan | None = None
    error = ""
    status = 200
    try:
        # Nothing ticked yet is no mistake on a first visit; posting nothing is.
        if targets or request.method == "POST":
            plan = plan_form_change(programme, targets, first_period)
        if request.method == "POST":
            apply_form_change(
                request.user,
                programme,
                targets,
                first_period,
                expected_fields=request.POST.getlist("field"),
            )
            return redirect("dashboards:programme-coverage", code=programme.code)
    except UserFacingError as refused:
        error = refused.text(get_language() or "vi")
        status = 400
    tier_labels = dict(ReportingTier.choices)
    changes = (
        [
            (
                change,
                plan.first_periods[change.form.regime_code],
                [tier_labels[t] for t in ReportingTier.values if t in change.tiers],
                [
                    (f, [tier_labels[t] for t in f.tiers] or [_("every reporting unit")])
                    for f in change.added
                ],
            )
            for change in plan.proposal.changes
        ]
        if plan
        else []
    )
    context = {
        "programme": programme,
        "province": province,
        "rows": [
            (indicator, target, needs_elements(indicator))
            for indicator, target in zip(chosen, targets, strict=True)
        ],
        "shapes": [(FIGURE, _("one figure")), (RATIO, _("a ratio of two figures"))],
        "value_types": ValueType.choices,
        "changes": changes,
        "sources": [
            (indicator.name, source.kind, source.publisher, period_label(source.first_period))
            for indicator, source in (plan.sources if plan else [])
        ],
        "first_period": first_period,
        "plan": plan,
        "error": error,
        "hows": [*ReportingTier.choices, (PUBLISHED, _("Published by another body"))],
        "frequencies": Frequency.choices,
    }
    return render(request, "monitoring/form_change.html", context, status=status)


@login_required
def figure_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a CSV or .xlsx of published figures: a dry run lists every row with what is wrong
    with it, in Vietnamese and English; "Apply" keeps all of them or none."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    province = plan_province(programme.org_unit)
    require_change_plan(request.user, province)
    context: dict[str, object] = {"programme": programme, "province": province}
    if request.method != "POST":
        return render(request, "monitoring/figure_import.html", context)
    pending = request.session.get(FIGURE_UPLOADS, {})
    token = request.POST.get("token", "")
    uploaded = request.FILES.get("file")
    try:
        if token:
            path = uploads.upload_path(token) if token in pending else None
            if path is None:
                raise UserFacingError(_("This upload has expired. Upload the file again."))
            name = pending[token]
            with path.open("rb") as stream:
                rows = read_figure_rows(name, stream, path.stat().st_size)
        elif uploaded is not None:
            name = uploaded.name or ""
            rows = read_figure_rows(name, uploaded, uploaded.size or 0)
        else:
            raise UserFacingError(_("Choose a CSV or .xlsx file of published figures."))
    except UserFacingError as error:
        context["refused"] = (error.text("vi"), error.text("en"))
        return render(request, "monitoring/figure_import.html", context, status=400)
    checked = check_figure_rows(rows, request.user, apply=bool(token))
    wrong = [row for row in checked if not row.ok]
    if token and not wrong:
        uploads.discard(token)
        pending.pop(token, None)
        request.session.modified = True
        return redirect("dashboards:programme-coverage", code=programme.code)
    if not token and not wrong and uploaded is not None:
        uploaded.seek(0)
        token = uploads.store_upload(uploaded)
        request.session.setdefault(FIGURE_UPLOADS, {})[token] = name
        request.session.modified = True
    context |= {"name": name, "rows": checked, "wrong": wrong, "token": "" if wrong else token}
    return render(request, "monitoring/figure_import.html", context, status=400 if wrong else 200)
