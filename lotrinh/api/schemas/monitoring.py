"""API shapes of the monitoring plan: a target's source, newest figure and gap."""

from __future__ import annotations

import datetime

from ninja import Schema


class SourceIn(Schema):
    """How an indicator is measured. `kind`: reported, published or none (forget the source)."""

    kind: str
    frequency: str = ""  # monthly | quarterly | semiannual | annual
    regime: str = ""  # reported: the regime's code
    reporting_tiers: list[str] = []  # reported: commune, district, agency, province
    first_period: str = ""  # reported: 2026Q1, 2026S1, 2026, 202601
    publisher: str = ""  # published: who publishes it
    reference: str = ""  # published: document number or web address
    note: str = ""


class SourceOut(Schema):
    indicator_code: str
    province: str  # structure/code, e.g. 2025/52
    kind: str  # reported | published | none
    frequency: str
    regime: str
    reporting_tiers: list[str]
    first_period: str
    publisher: str
    reference: str
    note: str


class CoverageRowOut(Schema):
    target_id: int
    indicator_code: str
    indicator_name: str
    pillar: str
    level: str
    year: int | None
    source: SourceOut
    newest_day: datetime.date | None
    newest_value: float | None
    newest_from: str  # reports | published | ""
    status: str  # "" before the first assessment
    data_gap: str  # "" | no_source | no_data | too_few_points
    data_gap_label: str


class PillarCountOut(Schema):
    pillar: str
    label: str
    targets: int
    with_source: int
    with_status: int
    gaps: int


class CoverageOut(Schema):
    programme: str
    province: str  # the province whose plan covers the programme, structure/code
    pillars: list[PillarCountOut]
    gaps: dict[str, int]
    targets: list[CoverageRowOut]


class PublishedFigureIn(Schema):
    """A figure published by someone else, with its source (a web address or a document)."""

    indicator: str  # the indicator's code
    province: str  # structure/code, e.g. 2025/52 (or legacy/52 for a figure before the merger)
    year: int  # the reference year
    period: str  # the reference period as published: 2025, Q1/2025, 05/2025…
    value: str  # as written ("9", "7,5"); a leading ">" marks a lower bound
    unit: str  # %, hạng/34, điểm/100…
    source_url: str = ""
    reference: str = ""  # the publishing document's number
    published_on: datetime.date | None = None
    quote: str = ""


class PublishedFigureOut(Schema):
    id: int
    indicator: str
    province: str
    year: int
    period: str
    value: float
    is_lower_bound: bool
    unit: str
    source_url: str
    reference: str
    published_on: datetime.date | None


class NewElementIn(Schema):
    """A data element to add to the shared catalogue for an indicator that has none: `role` is
    value (a figure reported as is), or numerator and denominator (a ratio, checked by the rule
    numerator ≤ denominator)."""

    role: str  # value | numerator | denominator
    code: str  # lower-case letters, digits and _, e.g. so_trung_tam_du_lieu
    name: str
    name_en: str = ""
    unit: str = ""  # the counted noun: hộ, hồ sơ…
    value_type: str = "integer"  # integer | decimal | percent


class TargetPlanIn(Schema):
    """How one indicator of the programme is to be collected. `how`: commune, district, agency,
    province (the tier that reports it) or published."""

    indicator: str
    how: str
    frequency: str  # monthly | quarterly | semiannual | annual
    publisher: str = ""  # published: who publishes it
    reference: str = ""  # published: document number or web address
    new_elements: list[NewElementIn] = []  # for an indicator without a catalogue element


class FormChangeIn(Schema):
    targets: list[TargetPlanIn]
    first_period: str  # the first period of the new form version, e.g. 2027Q1
    expected_fields: list[str] | None = None  # the diff's element codes, checked when applying
    dry_run: bool = False  # only answer the proposal


class FieldChangeOut(Schema):
    """A field the form gains, required of the units of `reporting_tiers` (empty: every unit of
    the regime), who alone see it; `is_new_element`: the element is added to the catalogue."""

    code: str
    name: str
    is_required: bool
    reporting_tiers: list[str]
    is_new_element: bool = False


class RuleChangeOut(Schema):
    code: str
    expression: str
    message_vi: str
    message_en: str


class FormChangeOut(Schema):
    regime: str
    first_period: str
    reporting_tiers: list[str]
    fields_added: list[FieldChangeOut]
    fields_unchanged: list[str]
    rules_added: list[RuleChangeOut]


class FormChangePlanOut(Schema):
    applied: bool
    changes: list[FormChangeOut]
    sources: list[SourceOut]


class FigureRowOut(Schema):
    """One row of an imported file of published figures, as its check found it."""

    line: int  # as a spreadsheet numbers it: the header is line 1
    province: str
    indicator: str
    period: str
    value: str
    ok: bool
    error: str  # Vietnamese; "" when the row is right
    error_en: str


class FigureImportOut(Schema):
    applied: bool  # whether the figures were kept (only with apply and when every row is right)
    rows: list[FigureRowOut]
    wrong: int


class FigureImportRefusedOut(FigureImportOut):
    """Some rows are wrong: nothing was kept, and each row says why."""

    detail: str
    detail_en: str
