"""API shapes of reporting regimes, periods, reports, their values, issues, completeness and audit.

Figures go out as exact decimal strings ("120", "7.5") and come in as JSON numbers or strings
("1.234,5" is read the Vietnamese way), so no figure is ever rounded by a float on the way.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from lotrinh.api.schemas.units import UnitRef
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Report


class FormFieldOut(Schema):
    position: int
    section: str
    code: str
    name: str
    name_en: str
    value_type: str
    is_required: bool
    is_confidential: bool
    help_text: str
    min_value: Decimal | None
    max_value: Decimal | None
    valid_from: datetime.date | None = Field(
        None, description="First day of the first period whose reports carry the field."
    )
    valid_until: datetime.date | None = Field(
        None, description="Last day of the last period whose reports carry the field."
    )
    reporting_tiers: list[str] = Field(
        default_factory=list,
        description="The tiers whose units report the field; empty: every unit of the regime.",
    )


class RuleOut(Schema):
    code: str
    expression: str
    severity: str
    message_vi: str
    message_en: str
    valid_from: datetime.date | None = Field(
        None, description="First day of the first period whose reports the rule checks."
    )
    valid_until: datetime.date | None = Field(
        None, description="Last day of the last period whose reports the rule checks."
    )


class RegimeOut(Schema):
    code: str
    name: str
    kind: str
    frequency: str
    cutoff_day: int
    reporting_tiers: list[str]
    receiving_unit: str
    first_year: int
    is_active: bool


class RegimeDetailOut(RegimeOut):
    content: str
    sending_method: str
    deadline_days: dict[str, int]
    instructions: str
    legal_basis: str
    fields: list[FormFieldOut]
    rules: list[RuleOut]


class PeriodOut(Schema):
    code: str
    starts_on: datetime.date
    ends_on: datetime.date
    cutoff_from: datetime.date
    cutoff_to: datetime.date
    is_locked: bool
    structure: str = Field(description="The structure whose units report this period.")


class IssueOut(Schema):
    field: str = Field(description="The data element code, or empty for the whole report.")
    severity: str = Field(description="error (blocks submission) or warning (needs a comment).")
    code: str
    message_vi: str
    message_en: str


class ValueOut(Schema):
    value: str | None
    comment: str


class ReportOut(Schema):
    regime: str
    period: str
    unit: UnitRef
    status: str
    version: int = Field(description="Send it back as `base_version` to detect concurrent edits.")
    due_on: datetime.date
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    return_reason: str
    reply: str = Field(description="The unit's reply to the last return, sent with its submission.")
    is_illustrative: bool

    @staticmethod
    def resolve_regime(obj: Report) -> str:
        return obj.regime.code

    @staticmethod
    def resolve_period(obj: Report) -> str:
        return obj.period.code

    @staticmethod
    def resolve_unit(obj: Report) -> OrgUnit:
        return obj.org_unit


class ReportDetailOut(Schema):
    report: ReportOut
    values: dict[str, ValueOut]
    previous_values: dict[str, str | None] = Field(
        description="The unit's figures of the period before, to compare with."
    )
    issues: list[IssueOut] = Field(description="Every issue of the report as it stands now.")


class ValuesIn(Schema):
    values: dict[str, int | float | str | None] = Field(
        default_factory=dict,
        description="Figures by data element code; null clears one. Only the codes sent change.",
    )
    comments: dict[str, str] = Field(
        default_factory=dict, description="Explanations by data element code (for warnings)."
    )
    base_version: int | None = Field(
        None,
        description="The report version the figures were based on; a newer version answers 409.",
    )
    reply: str | None = Field(
        None,
        max_length=4000,
        description=(
            "A returned report's reply to the approver (giải trình), sent with the next "
            "submission; null leaves it as it is."
        ),
    )


class SaveOut(ReportDetailOut):
    changed: list[str] = Field(description="Codes whose figure or comment this save changed.")


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class CompletenessOut(Schema):
    regime: str
    period: str
    unit: UnitRef
    expected: int
    on_time: int
    late: int
    pending: int = Field(description="Started or returned, not yet submitted.")
    missing: int
    submitted: int
    rate: float
    overdue_units: list[UnitRef]


class HistoryEventOut(Schema):
    at: datetime.datetime
    actor: str | None = Field(description="The username of who made the change.")
    channel: str = Field(description="web, api, import or system.")
    action: str
    field: str
    old_value: str
    new_value: str
    reason: str

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str | None:
        return obj.actor.get_username() if obj.actor else None


class InputErrorOut(Schema):
    """One part of a request the schema refuses: where it is (`["query", "offset"]`) and why."""

    loc: list[str | int]
    type: str
    message_vi: str
    message_en: str


class ErrorOut(Schema):
    detail: str
    detail_en: str
    errors: list[InputErrorOut] | None = None


class InvalidOut(ErrorOut):
    issues: list[IssueOut] = []


class ConflictOut(ErrorOut):
    changed: dict[str, str | None] = Field(
        description="Figures saved by someone else since `base_version`."
    )
