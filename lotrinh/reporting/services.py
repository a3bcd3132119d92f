"""Every write of the reporting workflow: open, save, submit, approve, return, reopen.

Each step checks permission (lotrinh.access), checks the report's state, writes in one transaction
with the report row locked, records an AuditEvent for every changed value and status, and notifies.
Figures are saved here only: `save_values` for one report (the form, the API), `save_many` for the
reports of an import; both check the period, each report's status and version with the same
functions and messages, and end at one point, `_values_written`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import (
    needs_second_person,
    require_approve_for,
    require_report_for,
)
from lotrinh.core.audit import (
    EVENT_COLUMNS,
    FIGURES_CHANGED,
    KEPT_AS_TYPED,
    audit_event,
    audit_text,
)
from lotrinh.core.bulk import insert_alike, insert_grouped, insert_rows, update_rows
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import DataElement
from lotrinh.ledger import services as ledger
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.errors import (
    NOT_REPORTED_BY_UNIT,
    ReportConflictError,
    ReportError,
    ReportInvalidError,
)
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
    form_fields,
    rule_specs,
    value_history,
)
from lotrinh.reporting.signals import report_decided, values_written
from lotrinh.reporting.validation import CheckResult, Issue, check_report, parse_number

# The statuses whose figures may change; submitted and approved reports are read-only.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
NOT_SAVED = _("Nothing was saved: some figures cannot be read. Correct them and send them again.")


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
    changes: Mapping[str, object] | None = None,
) -> AuditEvent:
    return audit_event(
        action,
        "report",
        report.pk,
        user=actor.user,
        ip_address=actor.ip_address,
        channel=actor.channel,
        field=field_name,
        old=old,
        new=new,
        reason=reason,
        changes=changes,
    )


def _notify(user_id: int | None, text: str, url: str = "") -> None:
    if user_id:
        Notification.objects.create(user_id=user_id, text=text[:500], url=url)


def _check_editable(status: str) -> None:
    if status not in EDITABLE:
        raise ReportError(
            _("This report is %(status)s and cannot be changed."),
            status=dict(Status.choices).get(status, status),
        )


def _check_version(report_id: int, version: int, base_version: int | None) -> None:
    """Refuse a save based on another version of the report, naming the figures changed since."""
    if base_version is not None and base_version != version:
        raise _conflict(_changed_since(report_id, base_version))


def _conflict(changed: dict[str, Decimal | None]) -> ReportConflictError:
    return ReportConflictError(
        _(
            "Someone else saved this report after you opened it; these figures changed: %(fields)s. "
            "Nothing of yours was saved: review them and save again."
        ),
        changed,
        fields=", ".join(sorted(changed)) or "—",
    )


def _values_written(actor: Actor, report_ids: list[int], ledger_action: str) -> None:
    """Every save of figures ends here once, inside its transaction: the ledger records it (when
    `ledger_action` is given) in the same transaction, and listeners learn after commit."""
    if report_ids and ledger_action:
        ledger.record(report_ids, ledger_action, actor.user)
    if report_ids:
        transaction.on_commit(
            lambda: values_written.send(sender=Report, report_ids=report_ids, channel=actor.channel)
        )


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


def _changed_since(report_id: int, base_version: int) -> dict[str, Decimal | None]:
    rows = DataValue.objects.filter(report_id=report_id, version__gt=base_version).values_list(
        "data_element__code", "value"
    )
    return dict(rows)


def save_values(
    actor: Actor,
    report: Report,
    raw_values: Mapping[str, object],
    comments: dict[str, str] | None = None,
    *,
    base_version: int | None = None,
    reply: str | None = None,
    all_or_nothing: bool = False,
    retry_if_only_mine: bool = False,
) -> SaveResult:
    """Save a draft's figures (only those that changed) and return the validation issues so far.

    A figure that cannot be read is not stored as a figure: what was typed is kept as a DraftText
    with its issue, which blocks submission until it is corrected; with `all_or_nothing` (the API)
    nothing is stored then and ReportInvalidError lists why. `reply` is the unit's answer to a
    return, sent with the next submission. With `base_version`, a save based on an older version
    is refused and told what changed; with `retry_if_only_mine` (the form) it is saved anyway when
    every figure changed since is the one sent now (the user's own autosave got there first).
    """
    try:
        return _save_values(
            actor, report, raw_values, comments, base_version, reply, all_or_nothing
        )
    except ReportConflictError as exc:
        if not retry_if_only_mine or not _only_mine(exc, raw_values):
            raise
        current = Report.objects.only("version").get(pk=report.pk).version
        return _save_values(actor, report, raw_values, comments, current, reply, all_or_nothing)


def _only_mine(conflict: ReportConflictError, posted: Mapping[str, object]) -> bool:
    """True when every figure changed since the user's version is the one they are sending now:
    nobody's work is lost by saving it."""
    for code, value in conflict.changed.items():
        try:
            if code not in posted or parse_number(posted[code]) != value:
                return False
        except ValueError:
            return False
    return True


def _save_values(
    actor: Actor,
    report: Report,
    raw_values: Mapping[str, object],
    comments: dict[str, str] | None,
    base_version: int | None,
    reply: str | None,
    all_or_nothing: bool,
) -> SaveResult:
    require_report_for(actor.user, report.org_unit)
    comments = comments or {}
    with transaction.atomic():
        report = _locked_report(report)
        _check_open(report.period, timezone.localdate())
        _check_editable(report.status)
        _check_version(report.pk, report.version, base_version)
        specs = {
            spec.code: spec
            for spec in element_specs(report.regime, report.period, report.org_unit.tier)
        }
        unknown = sorted((set(raw_values) | set(comments)) - set(specs))
        if unknown:
            raise ReportError(
                _("These figures are not on this report's form: %(codes)s."),
                codes=", ".join(unknown),
            )
        result = check_report(raw_values, [specs[c] for c in raw_values], [])
        unreadable = {issue.field for issue in result.errors if issue.code not in {"required"}}
        if unreadable and all_or_nothing:
            raise ReportInvalidError(NOT_SAVED, [i for i in result.errors if i.code != "required"])
        saved = _store(actor, report, result, unreadable, raw_values, comments)
        saved.kept_as_typed, saved.corrected = _keep_typed(actor, report, unreadable, raw_values)
        if reply is not None:
            saved.reply_changed = _store_reply(actor, report, reply)
        if saved.changed:
            # Figures changed once sent are a correction the ledger records; a draft is not.
            sent = report.status != Status.DRAFT
            _values_written(actor, [report.pk], "corrected" if sent else "")
        return saved


@dataclass(frozen=True)
class ReportFigures:
    """Checked figures to write for one unit's report in `save_many`: the report's version they
    were read from (None when it did not exist), and each figure's stored and new value."""

    unit_id: int
    base_version: int | None
    values: dict[str, Decimal | None]
    old: dict[str, Decimal | None]


class _HeldReport(NamedTuple):
    pk: int
    version: int
    status: str


# A report that save_many creates is written at the version open_report and a first save_values
# would leave it: 1 when opened, 2 once its first figures are saved.
_FIRST_SAVED = 2
# A new figure's columns: its own, then those it shares with the other figures of its report.
_OWN_COLUMNS = ("data_element_id", "value")
_SHARED_COLUMNS = ("report_id", "comment", "version", "updated_at")
_BATCH = 5_000


def save_many(
    actor: Actor, regime: ReportingRegime, period: Period, batches: Sequence[ReportFigures]
) -> None:
    """Write already-checked figures of many units' reports in the current transaction, creating
    the reports that do not exist yet: the checks of save_values (permission, period, status,
    version; same functions, same messages), then plain-row statements (COPY on PostgreSQL) and one
    audit event per report carrying every figure it changed. Raises ReportError (and the caller's
    transaction writes nothing) on any refusal."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check_open(period, timezone.localdate())
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__among=[b.unit_id for b in batches])}
    for batch in batches:
        require_report_for(actor.user, units[batch.unit_id])
    now = timezone.now()
    reports, created = _held_reports(regime, period, batches, units, now)
    elements = {f.data_element.code: f.data_element_id for f in form_fields(regime, period, None)}
    _check_tiers(regime, period, batches, units)
    existing = set(  # only reports that existed before can hold figures already
        DataValue.objects.filter(
            report_id__among=[reports[b.unit_id].pk for b in batches if b.base_version is not None]
        ).values_list("report_id", "data_element_id")
    )
    new_figures: list[tuple[tuple[object, ...], list[tuple[int, Decimal | None]]]] = []
    updated_rows: list[tuple[object, ...]] = []
    for batch in batches:
        report = reports[batch.unit_id]
        version = report.version if report.pk in created else report.version + 1
        figures: list[tuple[int, Decimal | None]] = []
        for code, value in batch.values.items():
            if (report.pk, elements[code]) in existing:
                updated_rows.append((report.pk, elements[code], value, version, now))
            else:
                figures.append((elements[code], value))
        new_figures.append(((report.pk, "", version, now), figures))
    insert_grouped(DataValue, _OWN_COLUMNS, _SHARED_COLUMNS, new_figures)
    updated = update_rows(
        DataValue,
        ["report_id", "data_element_id", "value", "version", "updated_at"],
        updated_rows,
        key=2,
    )
    if updated != len(updated_rows):  # cannot differ while the reports are held locked
        raise _conflict({})
    changed = [r.pk for r in reports.values() if r.pk not in created]
    for start in range(0, len(changed), _BATCH):
        Report.objects.filter(pk__among=changed[start : start + _BATCH]).update(
            version=F("version") + 1, updated_at=now
        )
    insert_rows(AuditEvent, EVENT_COLUMNS, _figure_events(actor, now, batches, reports))
    _forget_replaced_texts(actor, batches, reports, created)
    _values_written(actor, [reports[b.unit_id].pk for b in batches], "imported")


def _check_tiers(
    regime: ReportingRegime,
    period: Period,
    batches: Sequence[ReportFigures],
    units: dict[int, OrgUnit],
) -> None:
    """Refuse a figure of a field the unit's tier does not report (its form is `form_fields`)."""
    on_form: dict[str, set[str]] = {}
    for batch in batches:
        unit = units[batch.unit_id]
        if unit.tier not in on_form:
            on_form[unit.tier] = {
                f.data_element.code for f in form_fields(regime, period, unit.tier)
            }
        off = sorted(set(batch.values) - on_form[unit.tier])
        if off:
            raise ReportError(
                NOT_REPORTED_BY_UNIT,
                unit=unit.name,
                element=off[0],
                period=period_label_lazy(period.code),
            )


def _figure_events(
    actor: Actor,
    now: datetime.datetime,
    batches: Sequence[ReportFigures],
    reports: dict[int, _HeldReport],
) -> Iterator[tuple[object, ...]]:
    """One audit event per report, made while COPY stores the chunk before (a generator)."""
    user_id = actor.user.pk if isinstance(actor.user, User) else None
    keys: dict[str, str] = {}
    for batch in batches:
        yield (now, user_id, actor.ip_address, actor.channel, FIGURES_CHANGED, "report") + (
            reports[batch.unit_id].pk,
            "",
            "",
            "",
            "",
            figures_json(keys, batch.old, batch.values),
        )


def figures_json(
    keys: dict[str, str], old: Mapping[str, Decimal | None], values: Mapping[str, Decimal | None]
) -> str:
    """json.dumps({code: [old, new], ...}) of a report's changed figures, each as audit_text
    writes it, made as text: an import writes 240,000 of them. `keys` remembers each code's JSON."""
    pairs = []
    for code, value in values.items():
        key = keys.get(code) or keys.setdefault(code, json.dumps(code))
        pairs.append(f'{key}: ["{audit_text(old.get(code))}", "{audit_text(value)}"]')
    return "{" + ", ".join(pairs) + "}"


def _held_reports(
    regime: ReportingRegime,
    period: Period,
    batches: Sequence[ReportFigures],
    units: dict[int, OrgUnit],
    now: datetime.datetime,
) -> tuple[dict[int, _HeldReport], set[int]]:
    """The batches' reports by unit, locked and checked (status, version), and the ids of those
    created here, in the same transaction, at the version their first figures give them."""
    missing = [b.unit_id for b in batches if b.base_version is None]
    if missing:
        expected = set(
            expected_units(regime, period).filter(pk__among=missing).values_list("pk", flat=True)
        )
        if len(expected) != len(missing):
            unit = units[next(u for u in missing if u not in expected)]
            raise ReportError(
                _("%(unit)s does not report under this regime for %(period)s."),
                unit=unit.name,
                period=period_label_lazy(period.code),
            )
        template = Report(
            regime=regime, period=period, due_on=period.cutoff_to, version=_FIRST_SAVED
        )
        try:
            with transaction.atomic():
                insert_alike(
                    Report,
                    template,
                    ["org_unit_id", "due_on", "created_at", "updated_at"],
                    ((u, due_date(regime, period, units[u]), now, now) for u in missing),
                )
        except IntegrityError as exc:  # another request created one of them meanwhile
            raise _conflict({}) from exc
    reports = {
        unit_id: _HeldReport(pk, version, status)
        for unit_id, pk, version, status in Report.objects.select_for_update()
        .filter(regime=regime, period=period, org_unit_id__among=[b.unit_id for b in batches])
        .order_by("pk")
        .values_list("org_unit_id", "pk", "version", "status")
    }
    created = {reports[u].pk for u in missing}
    for batch in batches:
        if batch.base_version is not None:
            report = reports.get(batch.unit_id)
            if report is None:  # deleted meanwhile
                raise _conflict({})
            _check_editable(report.status)
            _check_version(report.pk, report.version, batch.base_version)
    return reports, created


def _forget_replaced_texts(
    actor: Actor,
    batches: Sequence[ReportFigures],
    reports: dict[int, _HeldReport],
    created: set[int],
) -> None:
    """Drop what was kept as typed for every figure written, as save_values does. Only reports
    that existed before can keep any: asked by report, not by each of an import's figures."""
    written = {
        reports[b.unit_id].pk: b.values for b in batches if reports[b.unit_id].pk not in created
    }
    kept = DraftText.objects.filter(report_id__among=list(written)).select_related(
        "report", "data_element"
    )
    replaced = [row for row in kept if row.data_element.code in written[row.report_id]]
    AuditEvent.objects.bulk_create(forget_kept_texts(actor, replaced))


def _keep_typed(
    actor: Actor, report: Report, unreadable: set[str], raw_values: Mapping[str, object]
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
    raw_values: Mapping[str, object],
    comments: dict[str, str],
) -> SaveResult:
    stored = {dv.data_element.code: dv for dv in report.values.select_related("data_element")}
    elements = {
        f.data_element.code: f.data_element
        for f in form_fields(report.regime, report.period, report.org_unit.tier)
    }
    new_version = report.version + 1
    events: list[AuditEvent] = []
    figures: dict[str, list[str]] = {}  # one event for the save, as an import writes it
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
            figures[code] = [audit_text(old_value), audit_text(value)]
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
        if figures:
            events.insert(0, _audit(actor, report, FIGURES_CHANGED, changes=figures))
        AuditEvent.objects.bulk_create(events)
    return SaveResult(report, changed, result.issues)


def validate_report(report: Report) -> CheckResult:
    """Check every figure of a report against its form, rules and the unit's history; a figure
    kept as typed is checked as typed (so its error stays until it is corrected)."""
    values: dict[str, object] = {
        dv.data_element.code: dv.value for dv in report.values.select_related("data_element")
    }
    values |= dict(report.draft_texts.values_list("data_element__code", "text"))
    tier = report.org_unit.tier
    return check_report(
        values,
        element_specs(report.regime, report.period, tier),
        rule_specs(report.regime, report.period, tier),
        value_history(report),
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
    return needs_second_person(
        user, report.submitted_by_id, required=report.regime.approver_must_differ
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
