"""Reporting pages: my reports, the report form (autosaved with htmx, works without JavaScript),
approvals, completeness, a figure's history and the regimes. Permission checks are in
lotrinh.access.permissions and the services; views parse input, call one service and render.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotrinh.access.permissions import (
    can_approve_for,
    can_report_for,
    can_view_unit,
    require_view_unit,
)
from lotrinh.core.client import client_address
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.orgunits.queries import ancestors_of
from lotrinh.reporting import pages
from lotrinh.reporting.errors import ReportConflictError, ReportError, ReportInvalidError
from lotrinh.reporting.models import Period, Report, ReportingRegime
from lotrinh.reporting.queries import (
    completeness,
    due_date,
    expected_units,
    form_fields,
    previous_values,
)
from lotrinh.reporting.services import (
    Actor,
    approve_report,
    mark_notifications_read,
    needs_another_approver,
    open_report,
    reopen_report,
    return_report,
    save_values,
    submit_report,
    validate_report,
)
from lotrinh.reporting.validation import Issue


def _actor(request: HttpRequest) -> Actor:
    return Actor(request.user, client_address(request), "web")


def _lang() -> str:
    return get_language() or "vi"


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    notifications = pages.unread_notifications(request.user)
    context = {
        "items": pages.my_reports(request.user),
        "notifications": notifications,
        "may_approve": pages.may_approve_anything(request.user),
        "regimes": ReportingRegime.objects.filter(is_active=True),
    }
    response = render(request, "reporting/my_reports.html", context)
    mark_notifications_read(request.user, [n.pk for n in notifications])
    return response


class _ReportAddress:
    """The regime, period and unit named in a report URL (404 when any does not exist)."""

    def __init__(self, regime_code: str, period_code: str, structure: str, unit_code: str):
        self.regime = get_object_or_404(ReportingRegime, code=regime_code)
        self.period = get_object_or_404(Period, regime=self.regime, code=period_code)
        self.unit = get_object_or_404(
            OrgUnit.objects.select_related("parent"), structure=structure, code=unit_code
        )
        self.args = (regime_code, period_code, structure, unit_code)

    @property
    def url(self) -> str:
        return reverse("reporting:report-form", args=self.args)

    def report(self) -> Report | None:
        return (
            Report.objects.filter(regime=self.regime, period=self.period, org_unit=self.unit)
            .select_related("submitted_by", "decided_by")
            .first()
        )


def _base_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("base_version", ""))
    except ValueError:
        return None


def _notes(issues: list[Issue]) -> list[tuple[str, str]]:
    language = _lang()
    return [(issue.severity, issue.message(language)) for issue in issues]


def _rows(
    address: _ReportAddress,
    report: Report | None,
    issues: list[Issue],
    posted: Mapping[str, object] | None = None,
    changed: Mapping[str, object] | None = None,
) -> list[pages.FieldRow]:
    stored = pages.stored_values(report)
    typed = pages.kept_as_typed(report)
    previous = previous_values(report) if report else {}
    if report is None:
        probe = Report(regime=address.regime, period=address.period, org_unit=address.unit)
        previous = previous_values(probe)
    rows = []
    for form_field in form_fields(address.regime, address.period, address.unit.tier):
        code = form_field.data_element.code
        value, comment = stored.get(code, (None, ""))
        row = pages.FieldRow(form_field, typed.get(code, pages.input_text(value)), value, comment)
        row.previous = previous.get(code)
        if posted is not None and code in posted and code not in (changed or {}):
            row.value = str(posted[code])
        row.changed_by_other = code in (changed or {})
        row.issues = [issue for issue in issues if issue.field == code]
        row.notes = _notes(row.issues)
        rows.append(row)
    return rows


def _shown_issues(report: Report | None) -> list[Issue]:
    """Issues worth showing on an opened form: everything but the not-yet-filled figures."""
    if report is None or not (report.values.exists() or report.draft_texts.exists()):
        return []
    return [i for i in validate_report(report).issues if i.code != "required"]


def _form_page(
    request: HttpRequest,
    address: _ReportAddress,
    report: Report | None,
    *,
    issues: list[Issue] | None = None,
    posted: Mapping[str, object] | None = None,
    conflict: ReportConflictError | None = None,
    error: str = "",
    decision_reason: str = "",
    reply: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    issues = _shown_issues(report) if issues is None else issues
    rows = _rows(address, report, issues, posted, conflict.changed if conflict else None)
    today = timezone.localdate()
    editable = (
        can_report_for(user, address.unit)
        and (report is None or not report.is_locked)
        and address.period.is_open_on(today)
    )
    context = {
        "target": address,
        "regime": address.regime,
        "period": address.period,
        "unit": address.unit,
        "ancestors": ancestors_of(address.unit),
        "report": report,
        "due_on": report.due_on
        if report
        else due_date(address.regime, address.period, address.unit),
        "sections": pages.sections(rows),
        "report_notes": _notes([i for i in issues if not i.field]),
        "editable": editable,
        "may_decide": report is not None and can_approve_for(user, address.unit),
        "needs_another_approver": report is not None and needs_another_approver(user, report),
        "base_version": report.version if report else 1,
        "conflict": _conflict_context(conflict, rows) if conflict else None,
        "error": error,
        "decision_reason": decision_reason,
        "reply": report.reply if reply is None and report else reply or "",
        "form_url": address.url,
        "status_events": pages.status_history(report)[:10] if report else [],
        "not_open": not address.period.is_open_on(today),
    }
    return render(request, "reporting/report_form.html", context, status=status)


def _conflict_context(
    conflict: ReportConflictError, rows: list[pages.FieldRow]
) -> dict[str, object]:
    names = {row.code: row.form_field.data_element.name for row in rows}
    return {
        "lines": conflict.bilingual().splitlines(),
        "changed": [
            (names.get(code, code), code, value) for code, value in conflict.changed.items()
        ],
    }


@login_required
def report_form(
    request: HttpRequest, regime_code: str, period_code: str, structure: str, unit_code: str
) -> HttpResponse:
    address = _ReportAddress(regime_code, period_code, structure, unit_code)
    require_view_unit(request.user, address.unit)
    if not expected_units(address.regime, address.period).filter(pk=address.unit.pk).exists():
        raise Http404(_("This unit does not report under this regime for this period."))
    report = address.report()
    if request.method != "POST":
        return _form_page(request, address, report)
    if request.headers.get("HX-Request") and request.headers.get("HX-Trigger-Name") == "reply":
        return _autosave_reply(request, address, report)
    if request.headers.get("HX-Request"):
        return _autosave(request, address, report)
    return _save(request, address, report)


def _autosave(request: HttpRequest, address: _ReportAddress, report: Report | None) -> HttpResponse:
    """Save the one figure (or explanation) that changed; answer with its messages only."""
    code = request.headers.get("HX-Trigger-Name", "").removeprefix("comment-")
    codes = {
        f.data_element.code for f in form_fields(address.regime, address.period, address.unit.tier)
    }
    if code not in codes:
        raise Http404(_("This figure is not on this report's form."))
    comment_key = f"comment-{code}"
    comments = {code: request.POST[comment_key]} if comment_key in request.POST else {}
    actor = _actor(request)
    context: dict[str, object] = {"form_url": address.url, "editable": True}
    try:
        report = report or open_report(actor, address.regime, address.period, address.unit)
        raw: dict[str, object] = {code: request.POST.get(code, "")}
        result = save_values(
            actor,
            report,
            raw,
            comments,
            base_version=_base_version(request),
            retry_if_only_mine=True,
        )
    except ReportConflictError as exc:
        rows = _rows(address, report, [], None, exc.changed)
        context |= {
            "row": next(r for r in rows if r.code == code),
            "conflict": _conflict_context(exc, rows),
            "changed_rows": [r for r in rows if r.changed_by_other],
            "base_version": getattr(address.report(), "version", None),
        }
        return render(request, "reporting/_autosave.html", context)
    except ReportError as exc:
        rows = _rows(address, report, [], None)
        context |= {"row": next(r for r in rows if r.code == code), "error": exc.text(_lang())}
        return render(request, "reporting/_autosave.html", context)
    # This field's unreadable text speaks for itself; the other fields keep the problems the stored
    # report has, so a partner's own error (text kept as typed) is redrawn, not wiped.
    unreadable = [i for i in result.issues if i.field == code and i.code != "required"]
    stored = validate_report(result.report).issues
    issues = (
        unreadable + [i for i in stored if i.field != code and i.code != "required"]
        if unreadable
        else [i for i in stored if i.code != "required" or i.field == code]
    )
    posted = {code: request.POST.get(code, "")}
    by_code = {r.code: r for r in _rows(address, result.report, issues, posted)}
    partners = sorted(pages.rule_partners(address.regime, code) & set(by_code))
    context |= {
        "row": by_code[code],
        "partners": [by_code[c] for c in partners],
        "base_version": result.report.version,
        "saved_at": timezone.localtime() if result.changed or result.corrected else None,
        "kept_at": timezone.localtime() if code in result.kept_as_typed else None,
    }
    return render(request, "reporting/_autosave.html", context)


def _autosave_reply(
    request: HttpRequest, address: _ReportAddress, report: Report | None
) -> HttpResponse:
    """Keep the reply to the approver as it is typed; answer with the save state only."""
    if report is None:
        raise Http404(_("This report has not been started."))
    try:
        result = save_values(_actor(request), report, {}, reply=request.POST.get("reply", ""))
    except ReportError as exc:
        return render(request, "reporting/_save_state.html", {"error": exc.text(_lang())})
    saved_at = timezone.localtime() if result.reply_changed else None
    return render(request, "reporting/_save_state.html", {"saved_at": saved_at})


def _save(request: HttpRequest, address: _ReportAddress, report: Report | None) -> HttpResponse:
    """The form posted whole (no JavaScript, or the buttons): save the draft, then maybe submit."""
    codes = [
        f.data_element.code for f in form_fields(address.regime, address.period, address.unit.tier)
    ]
    posted: dict[str, object] = {code: request.POST[code] for code in codes if code in request.POST}
    comments = {c: request.POST[f"comment-{c}"] for c in codes if f"comment-{c}" in request.POST}
    reply = request.POST.get("reply")  # only a returned report's form has the box
    actor = _actor(request)
    try:
        report = report or open_report(actor, address.regime, address.period, address.unit)
        result = save_values(
            actor,
            report,
            posted,
            comments,
            base_version=_base_version(request),
            reply=reply,
            retry_if_only_mine=True,
        )
        unreadable = [i for i in result.issues if i.code != "required"]
        if unreadable:
            return _form_page(request, address, result.report, issues=unreadable, posted=posted)
        if request.POST.get("action") == "submit":
            submit_report(actor, result.report)
            messages.success(request, _("The report was submitted. Thank you."))
        else:
            messages.success(request, _("The draft was saved."))
    except ReportInvalidError as exc:
        return _form_page(
            request, address, address.report(), issues=exc.issues, error=exc.text(_lang())
        )
    except ReportConflictError as exc:
        return _form_page(
            request, address, address.report(), posted=posted, conflict=exc, reply=reply
        )
    except ReportError as exc:
        return _form_page(
            request, address, address.report(), posted=posted, error=exc.text(_lang()), reply=reply
        )
    return redirect(address.url)


@login_required
@require_POST
def report_decide(
    request: HttpRequest, regime_code: str, period_code: str, structure: str, unit_code: str
) -> HttpResponse:
    """Approve, return (with a reason) or reopen (with a reason) a report."""
    address = _ReportAddress(regime_code, period_code, structure, unit_code)
    report = address.report() if can_view_unit(request.user, address.unit) else None
    if report is None:  # the same answer whether or not an unseen unit has started its report
        raise Http404(_("This report has not been started."))
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    actor = _actor(request)
    try:
        if action == "approve":
            approve_report(actor, report)
            messages.success(request, _("The report was approved."))
        elif action == "return":
            return_report(actor, report, reason)
            messages.success(request, _("The report was returned to its unit."))
        elif action == "reopen":
            reopen_report(actor, report, reason)
            messages.success(request, _("The report was reopened for a correction."))
        else:
            raise Http404(_("Unknown action."))
    except ReportError as exc:
        return _form_page(
            request, address, report, error=exc.text(_lang()), decision_reason=reason, status=400
        )
    return redirect(address.url)


@login_required
def field_history(
    request: HttpRequest,
    regime_code: str,
    period_code: str,
    structure: str,
    unit_code: str,
    element_code: str,
) -> HttpResponse:
    address = _ReportAddress(regime_code, period_code, structure, unit_code)
    require_view_unit(request.user, address.unit)
    form_field = get_object_or_404(
        address.regime.fields.select_related("data_element"), data_element__code=element_code
    )
    report = address.report()
    events = pages.field_history(report, element_code) if report else []
    context = {"target": address, "form_field": form_field, "report": report, "events": events}
    return render(request, "reporting/history.html", context)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not pages.may_approve_anything(request.user):
        raise PermissionDenied(_("You do not approve reports for any unit."))
    reports = Paginator(pages.reports_to_approve(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "reporting/approvals.html", {"reports": reports})


def _scope(request: HttpRequest, period: Period) -> OrgUnit | None:
    """The unit named by ?unit=structure:code, or the user's highest visible unit."""
    named = request.GET.get("unit", "")
    if named:
        structure, _sep, code = named.partition(":")
        named_unit = get_object_or_404(OrgUnit, structure=structure, code=code)
        require_view_unit(request.user, named_unit)
        return named_unit
    if getattr(request.user, "is_superuser", False):
        return None
    unit = pages.default_scope(request.user, period)
    if unit is None:
        raise PermissionDenied(_("You may not see the reports of any unit in this period."))
    return unit


def _groups(
    regime: ReportingRegime, period: Period, scope: OrgUnit | None
) -> list[pages.ChildCompleteness]:
    """Completeness per unit below the scope, when those units group several reporters (a
    district's communes); a list of single communes would only repeat the overdue list."""
    children = pages.completeness_by_child(regime, period, scope) if scope else []
    return children if any(c.counts.expected > 1 for c in children) else []


@login_required
def completeness_page(request: HttpRequest, regime_code: str, period_code: str) -> HttpResponse:
    regime = get_object_or_404(ReportingRegime, code=regime_code)
    period = get_object_or_404(Period, regime=regime, code=period_code)
    scope = _scope(request, period)
    counts = completeness(regime, period, within=scope)
    context = {
        "regime": regime,
        "period": period,
        "scope": scope,
        "ancestors": ancestors_of(scope) if scope else [],
        "counts": counts,
        "rate": round(counts.rate * 100, 1),
        "children": _groups(regime, period, scope),
        "periods": pages.recent_periods(regime, timezone.localdate(), 8),
        "unit_param": f"{scope.structure}:{scope.code}" if scope else "",
    }
    return render(request, "reporting/completeness.html", context)


def regime_index(request: HttpRequest) -> HttpResponse:
    regimes = ReportingRegime.objects.order_by("name")
    return render(request, "reporting/regime_index.html", {"regimes": regimes})


def regime_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything Decree 09 requires a regime to state, with its form, rules and periods."""
    regime = get_object_or_404(ReportingRegime, code=code)
    context = {
        "regime": regime,
        "fields": regime.fields.select_related("data_element", "regime").order_by("position"),
        "rules": regime.rules.order_by("code"),
        "scopes": regime.scopes.order_by("structure", "code"),
        "named_units": regime.reporting_units.order_by("path"),
        "deadlines": [
            (Tier(tier).label if tier in Tier.values else tier, days)
            for tier, days in sorted(regime.deadline_days.items())
        ],
        "tiers": [Tier(t).label if t in Tier.values else t for t in regime.reporting_tiers],
        "periods": regime.periods.order_by("-starts_on"),
        "today": timezone.localdate(),
    }
    return render(request, "reporting/regime_detail.html", context)
