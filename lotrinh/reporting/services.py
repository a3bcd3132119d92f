"""Every write of the reporting workflow: open, save, submit, approve, return, reopen.

Each step checks permission (lotrinh.access), checks the report's state, writes in one transaction
with the report row locked, records an AuditEvent for every changed value and status, and notifies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import require_approve_for, require_report_for
from lotrinh.core.audit import FIGURE_CHANGED, KEPT_AS_TYPED
from lotrinh.core.formatting import plain_decimal
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import DataElement
from lotrinh.ledger import services as ledger
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.errors import ReportConflictError, ReportError, ReportInvalidError
from lotrinh.reporting.models import (
    DataValue,
    DraftText,
    Notification,
    Period,
    Report,
    ReportingRegime,
    Status,
)
from lotrinh.reporting.periods import period_label_lazy
from lotrinh.reporting.queries import (
    due_date,
    element_specs,
    expected_units,
    rule_specs,
    value_history,
)
from lotrinh.reporting.signals import report_decided
from lotrinh.reporting.validation import CheckResult, Issue, check_report


@dataclass(frozen=True)
class Actor:
    """Who acts and from where; recorded in the audit trail."""

    user: AbstractBaseUser | AnonymousUser
    ip_address: str | None = None
    channel: str = "web"


@dataclass
class SaveResult:
    report: Report
    changed: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    kept_as_typed: list[str] = field(default_factory=list)  # unreadable, kept with their error
    corrected: list[str] = field(default_factory=list)  # no longer kept as typed
    reply_changed: bool = False


def _audit(
    actor: Actor,
    report: Report,
    action: str,
    *,
    field_name: str = "",
    old: object = "",
    new: object = "",
    reason: str = "",
) -> AuditEvent:
    user = _user(actor)
    old, new = _plain(old), _plain(new)
    return AuditEvent(
        actor=user,
        ip_address=actor.ip_address,
        channel=actor.channel,
        action=action,
        target_type="report",
        target_id=report.pk,
        field=field_name,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        reason=reason,
    )


def _plain(value: object) -> object:
    """Decimals as people write them in the audit trail: 120, not 120.0000."""
    return plain_decimal(value) if isinstance(value, Decimal) else value


def _notify(user_id: int | None, text: str, url: str = "") -> None:
    if user_id:
        Notification.objects.create(user_id=user_id, text=text[:500], url=url)


def _check_open(period: Period, today: datetime.date) -> None:
    if period.is_locked:
        raise ReportError(
            _("The period %(period)s is locked: figures can no longer be changed."),
            period=period_label_lazy(period.code),
        )
    if not period.is_open_on(today):
        raise ReportError(
            _("The period %(period)s opens on %(day)s."),
            period=period_label_lazy(period.code),
            day=period.cutoff_from.strftime("%d/%m/%Y"),
        )


def open_report(actor: Actor, regime: ReportingRegime, period: Period, unit: OrgUnit) -> Report:
    """Return the unit's report for the period, creating an empty draft the first time."""
    require_report_for(actor.user, unit)
    existing = Report.objects.filter(regime=regime, period=period, org_unit=unit).first()
    if existing:
        return existing
    _check_open(period, timezone.localdate())
    if not expected_units(regime, period).filter(pk=unit.pk).exists():
        raise ReportError(
            _("%(unit)s does not report under this regime for %(period)s."),
            unit=unit.name,
            period=period_label_lazy(period.code),
        )
    try:
        with transaction.atomic():
            return Report.objects.create(
                regime=regime, period=period, org_unit=unit, due_on=due_date(regime, period, unit)
            )
    except IntegrityError:  # created by a concurrent request a moment ago
        return Report.objects.get(regime=regime, period=period, org_unit=unit)


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("period", "regime", "org_unit")
        .get(pk=report.pk)
    )


def _changed_since(report: Report, base_version: int) -> dict[str, Decimal | None]:
    rows = DataValue.objects.filter(report=report, version__gt=base_version).select_related(
        "data_element"
    )
    return {row.data_element.code: row.value for row in rows}


def save_values(
    actor: Actor,
    report: Report,
    raw_values: dict[str, object],
    comments: dict[str, str] | None = None,
    *,
    base_version: int | None = None,
    reply: str | None = None,
) -> SaveResult:
    """Save a draft's figures (only those that changed) and return the validation issues so far.

    A figure that cannot be read is not stored as a figure: what was typed is kept as a DraftText
    with its issue, which blocks submission until it is corrected (callers that want all or
    nothing roll the transaction back). `reply` is the unit's answer to a return, sent with the
    next submission. With `base_version`, a save based on an older version is refused and told
    what changed.
    """
    require_report_for(actor.user, report.org_unit)
    comments = comments or {}
    with transaction.atomic():
        report = _locked_report(report)
        _check_open(report.period, timezone.localdate())
        if report.is_locked:
            raise ReportError(
                _("This report is %(status)s and cannot be changed."),
                status=Status(report.status).label,
            )
        if base_version is not None and base_version != report.version:
            changed = _changed_since(report, base_version)
            raise ReportConflictError(
                _(
                    "Someone else saved this report after you opened it; these figures changed: %(fields)s. "
                    "Nothing of yours was saved: review them and save again."
                ),
                changed,
                fields=", ".join(sorted(changed)) or "—",
            )
        specs = {spec.code: spec for spec in element_specs(report.regime)}
        unknown = sorted((set(raw_values) | set(comments)) - set(specs))
        if unknown:
            raise ReportError(
                _("These figures are not on this report's form: %(codes)s."),
                codes=", ".join(unknown),
            )
        result = check_report(raw_values, [specs[c] for c in raw_values], [])
        unreadable = {issue.field for issue in result.errors if issue.code not in {"required"}}
        saved = _store(actor, report, result, unreadable, raw_values, comments)
        saved.kept_as_typed, saved.corrected = _keep_typed(actor, report, unreadable, raw_values)
        if reply is not None:
            saved.reply_changed = _store_reply(actor, report, reply)
        if saved.changed and report.status != Status.DRAFT:  # figures once sent: a correction
            ledger.record([report.pk], "corrected", actor.user)
        return saved


def _keep_typed(
    actor: Actor, report: Report, unreadable: set[str], raw_values: dict[str, object]
) -> tuple[list[str], list[str]]:
    """Keep the text of each unreadable figure, and forget the kept text of each figure now read;
    returns (codes kept, codes corrected)."""
    kept_texts = {
        dt.data_element.code: dt for dt in report.draft_texts.select_related("data_element")
    }
    elements = {e.code: e for e in DataElement.objects.filter(code__in=unreadable)}
    events: list[AuditEvent] = []
    kept: list[str] = []
    for code in sorted(unreadable):
        text = str(raw_values[code]).strip()
        row = kept_texts.get(code) or DraftText(report=report, data_element=elements[code])
        if row.pk is not None and row.text == text:
            continue
        events.append(_audit(actor, report, KEPT_AS_TYPED, field_name=code, old=row.text, new=text))
        row.text = text
        row.save()
        kept.append(code)
    corrected = sorted(c for c in kept_texts if c in raw_values and c not in unreadable)
    events += forget_kept_texts(actor, [kept_texts[c] for c in corrected])
    AuditEvent.objects.bulk_create(events)
    return kept, corrected


def forget_kept_texts(actor: Actor, rows: list[DraftText]) -> list[AuditEvent]:
    """Delete figures kept as typed that a readable figure now replaces, so they no longer block
    submission; returns their unsaved audit events, for the caller to save with its own."""
    if not rows:
        return []
    DraftText.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return [
        _audit(
            actor,
            row.report,
            KEPT_AS_TYPED,
            field_name=row.data_element.code,
            old=row.text,
            new="",
        )
        for row in rows
    ]


def _store_reply(actor: Actor, report: Report, reply: str) -> bool:
    """Keep the unit's reply to a return on the draft; returns whether it changed."""
    reply = reply.strip()
    if reply == report.reply:
        return False
    if report.status != Status.RETURNED:
        raise ReportError(_("Only a returned report takes a reply to the approver."))
    _audit(actor, report, "reply_changed", field_name="reply", old=report.reply, new=reply).save()
    report.reply = reply
    report.save(update_fields=["reply", "updated_at"])
    return True


def _store(
    actor: Actor,
    report: Report,
    result: CheckResult,
    unreadable: set[str],
    raw_values: dict[str, object],
    comments: dict[str, str],
) -> SaveResult:
    stored = {dv.data_element.code: dv for dv in report.values.select_related("data_element")}
    elements = {
        f.data_element.code: f.data_element
        for f in report.regime.fields.select_related("data_element")
    }
    new_version = report.version + 1
    events: list[AuditEvent] = []
    changed: list[str] = []
    for code in [*raw_values, *(c for c in comments if c not in raw_values)]:
        if code in unreadable:
            continue
        comment = comments.get(code)
        value = (
            result.values.get(code)
            if code in raw_values
            else (stored[code].value if code in stored else None)
        )
        row = stored.get(code)
        old_value = row.value if row else None
        old_comment = row.comment if row else ""
        new_comment = old_comment if comment is None else comment.strip()
        if row is not None and old_value == value and old_comment == new_comment:
            continue
        if row is None and value is None and not new_comment:  # an empty field stays absent
            continue
        new = row is None
        if row is None:
            row = DataValue(report=report, data_element=elements[code])
        row.value, row.comment, row.version = value, new_comment, new_version
        row.save(force_insert=new)  # its key is known: no UPDATE tried first
        changed.append(code)
        if old_value != value:
            events.append(
                _audit(actor, report, FIGURE_CHANGED, field_name=code, old=old_value, new=value)
            )
        if old_comment != new_comment:
            events.append(
                _audit(
                    actor,
                    report,
                    "comment_changed",
                    field_name=code,
                    old=old_comment,
                    new=new_comment,
                )
            )
    if changed:
        report.version = new_version
        report.save(update_fields=["version", "updated_at"])
        AuditEvent.objects.bulk_create(events)
    return SaveResult(report, changed, result.issues)


def validate_report(report: Report) -> CheckResult:
    """Check every figure of a report against its form, rules and the unit's history; a figure
    kept as typed is checked as typed (so its error stays until it is corrected)."""
    values: dict[str, object] = {
        dv.data_element.code: dv.value for dv in report.values.select_related("data_element")
    }
    values |= dict(report.draft_texts.values_list("data_element__code", "text"))
    return check_report(
        values, element_specs(report.regime), rule_specs(report.regime), value_history(report)
    )


def submit_report(actor: Actor, report: Report) -> SaveResult:
    """Submit a draft or returned report. Errors block; each warning needs an explanation; a
    returned report must have changed since, or carry a reply to the approver."""
    require_report_for(actor.user, report.org_unit)
    with transaction.atomic():
        report = _locked_report(report)
        if report.status not in {Status.DRAFT, Status.RETURNED}:
            raise ReportError(
                _("This report is already %(status)s."), status=Status(report.status).label
            )
        _check_open(report.period, timezone.localdate())
        if _unanswered_return(report):
            raise ReportError(
                _(
                    "This report was returned and nothing in it has changed since. Correct the "
                    "figures, or write a reply to the approver saying why they are right, then "
                    "submit it again."
                )
            )
        result = validate_report(report)
        comments = dict(report.values.values_list("data_element__code", "comment"))
        unexplained = [w for w in result.warnings if not (comments.get(w.field) or "").strip()]
        if result.errors or unexplained:
            raise ReportInvalidError(
                _("The report cannot be submitted yet: fix the errors and explain the warnings."),
                result.errors + unexplained,
            )
        old_status = report.status
        report.status, report.submitted_at, report.submitted_by = (
            Status.SUBMITTED,
            timezone.now(),
            _user(actor),
        )
        report.version += 1
        report.save(
            update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"]
        )
        _audit(
            actor,
            report,
            "submitted",
            field_name="status",
            old=old_status,
            new=report.status,
            reason=report.reply,
        ).save()
        ledger.record([report.pk], "submitted", actor.user)
    return SaveResult(report, [], result.warnings)


def _unanswered_return(report: Report) -> bool:
    """A returned report with no reply and no figure or explanation changed since the return."""
    if report.status != Status.RETURNED or report.reply or report.returned_version is None:
        return False
    return not report.values.filter(version__gt=report.returned_version).exists()


def _user(actor: Actor) -> User | None:
    return actor.user if isinstance(actor.user, User) else None


def _decide(
    actor: Actor, report: Report, *, expected: set[str], new_status: str, reason: str, action: str
) -> Report:
    require_approve_for(actor.user, report.org_unit)
    with transaction.atomic():
        report = _locked_report(report)
        if report.status not in expected:
            raise ReportError(
                _("This report is %(status)s, so this cannot be done now."),
                status=Status(report.status).label,
            )
        if new_status == Status.APPROVED:
            _require_second_person(actor, report)
        old_status = report.status
        report.status, report.decided_at, report.decided_by = (
            new_status,
            timezone.now(),
            _user(actor),
        )
        report.return_reason = reason if new_status == Status.RETURNED else report.return_reason
        report.version += 1
        if new_status == Status.RETURNED:  # a new return waits for a new answer
            report.returned_version, report.reply = report.version, ""
        report.save(
            update_fields=[
                "status",
                "decided_at",
                "decided_by",
                "return_reason",
                "returned_version",
                "reply",
                "version",
                "updated_at",
            ]
        )
        _audit(
            actor,
            report,
            action,
            field_name="status",
            old=old_status,
            new=new_status,
            reason=reason,
        ).save()
        ledger.record([report.pk], action, actor.user)
    if Status.APPROVED in {old_status, new_status}:  # approved data changed: refresh assessments
        _announce(report)
    return report


def needs_another_approver(user: AbstractBaseUser | AnonymousUser | None, report: Report) -> bool:
    """Four eyes: under a regime that asks for it, whoever submitted a report may not approve it."""
    return bool(
        report.regime.approver_must_differ
        and user is not None
        and user.is_authenticated
        and report.submitted_by_id == user.pk
    )


def _require_second_person(actor: Actor, report: Report) -> None:
    if needs_another_approver(_user(actor), report):
        raise ReportError(
            _(
                "You submitted this report, so another approver must approve it: this regime "
                "requires a second person to check every report."
            )
        )


def _announce(report: Report) -> None:
    """Tell listeners (assessment) once the decision is committed, so dashboards refresh at once."""
    transaction.on_commit(lambda: report_decided.send(sender=Report, report=report))


def approve_report(actor: Actor, report: Report) -> Report:
    report = _decide(
        actor,
        report,
        expected={Status.SUBMITTED},
        new_status=Status.APPROVED,
        reason="",
        action="approved",
    )
    _notify(
        report.submitted_by_id,
        gettext("The report %(period)s of %(unit)s was approved.")
        % {"period": report.period.label, "unit": report.org_unit.name},
    )
    return report


def _require_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ReportError(_("Please give a reason (at least a few words)."))
    return reason


def return_report(actor: Actor, report: Report, reason: str) -> Report:
    """Send a submitted report back to its unit with a reason."""
    report = _decide(
        actor,
        report,
        expected={Status.SUBMITTED},
        new_status=Status.RETURNED,
        reason=_require_reason(reason),
        action="returned",
    )
    _notify(
        report.submitted_by_id,
        gettext("The report %(period)s of %(unit)s was returned: %(reason)s")
        % {
            "period": report.period.label,
            "unit": report.org_unit.name,
            "reason": report.return_reason,
        },
    )
    return report


def reopen_report(actor: Actor, report: Report, reason: str) -> Report:
    """Reopen an approved report for a correction; the history of every value is kept."""
    report = _decide(
        actor,
        report,
        expected={Status.APPROVED},
        new_status=Status.RETURNED,
        reason=_require_reason(reason),
        action="reopened",
    )
    _notify(
        report.submitted_by_id,
        gettext("The report %(period)s of %(unit)s was reopened for a correction: %(reason)s")
        % {
            "period": report.period.label,
            "unit": report.org_unit.name,
            "reason": report.return_reason,
        },
    )
    return report


def mark_notifications_read(user: AbstractBaseUser | AnonymousUser, ids: list[int]) -> int:
    """Mark some of the user's own notifications as read (the ones a page has just shown)."""
    if not user.is_authenticated or not ids:
        return 0
    return Notification.objects.filter(user_id=user.pk, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
