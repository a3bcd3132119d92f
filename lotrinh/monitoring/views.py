"""The page where a programme officer plans how one indicator of a programme is measured."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Indicator, Programme
from lotrinh.monitoring.forms import PublishedFigureForm, SourceForm
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.published import record_published_figure
from lotrinh.monitoring.queries import (
    plan_province,
    programme_provinces,
    regimes_of,
    sources_by_indicator,
)
from lotrinh.monitoring.services import set_source
from lotrinh.orgunits.models import OrgUnit


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
