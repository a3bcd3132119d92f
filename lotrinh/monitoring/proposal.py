"""From plan to form: what a reporting regime's form must gain for chosen targets to be collected.

Pure functions over plain descriptions of indicators and forms (no database): the service reads
them, asks `propose`, shows the result as a diff and applies it (monitoring.formchange).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.monitoring.models import ReportingTier
from lotrinh.reporting.models import Frequency
from lotrinh.reporting.periods import MONTHS_PER_PERIOD

PUBLISHED = "published"
# The section new fields go under on the form; forms are stored in Vietnamese, like the sample's.
SECTION = "Chỉ tiêu bổ sung theo kế hoạch theo dõi"


@dataclass(frozen=True)
class Element:
    """A data element of the shared catalogue, or one the office proposes to add to it (`is_new`)."""

    code: str
    name: str
    name_en: str = ""
    is_new: bool = False


@dataclass(frozen=True)
class Wanted:
    """One indicator the office wants collected, and how: `how` is a reporting tier (commune,
    district, agency, province) or "published"."""

    indicator_code: str
    indicator_name: str
    how: str
    frequency: str
    numerator: Element | None = None  # a ratio's
    denominator: Element | None = None
    reported_as: Element | None = None  # a direct figure's


@dataclass(frozen=True)
class Form:
    """A regime as the proposal sees it: its frequency, the tiers that report, and the fields and
    rule expressions of its form for the first period of the change."""

    regime_code: str
    regime_name: str
    frequency: str
    tiers: tuple[str, ...]
    field_codes: tuple[str, ...]
    rule_expressions: tuple[str, ...]
    # the tiers of the fields only some tiers report (FormField.tiers), by code
    field_tiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NewField:
    """A line the form gains, required of the units that report it: those of `tiers`, or every
    unit of the regime when `tiers` is empty."""

    element: Element
    tiers: tuple[str, ...]
    for_indicators: tuple[str, ...]  # names, for the help text


@dataclass(frozen=True)
class NewRule:
    code: str
    expression: str
    message_vi: str
    message_en: str


@dataclass
class FormChange:
    """What one regime's form gains."""

    form: Form
    added: list[NewField] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # codes already on the form
    rules: list[NewRule] = field(default_factory=list)
    tiers: set[str] = field(default_factory=set)

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.rules)


@dataclass(frozen=True)
class SourcePlan:
    """The monitoring plan's entry for one indicator once the change is applied."""

    indicator_code: str
    kind: str  # reported | published
    frequency: str
    regime_code: str = ""
    tiers: tuple[str, ...] = ()


@dataclass
class Proposal:
    changes: list[FormChange]
    sources: list[SourcePlan]


def needed_elements(wanted: Wanted) -> list[Element]:
    """The catalogue's elements a reported indicator is computed from: a ratio's numerator and
    denominator, or a direct figure's one element."""
    elements = [e for e in (wanted.numerator, wanted.denominator, wanted.reported_as) if e]
    if not elements:
        raise UserFacingError(
            _(
                "The indicator “%(indicator)s” has no data element to report yet: give it one in "
                "the catalogue, or record it as a published figure."
            ),
            indicator=wanted.indicator_name,
        )
    return elements


def choose_form(wanted: Wanted, forms: Sequence[Form]) -> Form:
    """The regime that carries the indicator: one whose units of the tier report and whose
    periods are no longer than the wanted frequency's, the same frequency first."""
    if wanted.frequency not in MONTHS_PER_PERIOD:
        raise UserFacingError(
            _("“%(value)s” is not a frequency: use monthly, quarterly, semiannual or annual."),
            value=wanted.frequency,
        )
    if wanted.how not in ReportingTier.values:
        raise UserFacingError(
            _("“%(value)s” is not a reporting tier: use commune, district, agency or province."),
            value=wanted.how,
        )
    months = MONTHS_PER_PERIOD[wanted.frequency]
    fitting = [
        f
        for f in forms
        if wanted.how in f.tiers
        and MONTHS_PER_PERIOD[f.frequency] <= months
        # a longer source period must be made of whole periods of the regime
        and months % MONTHS_PER_PERIOD[f.frequency] == 0
    ]
    if not fitting:
        raise UserFacingError(
            _(
                "No reporting regime of the province collects from %(tier)s at this frequency "
                "(%(frequency)s) for “%(indicator)s”: choose another frequency, or define a regime."
            ),
            tier=ReportingTier(wanted.how).label,
            frequency=Frequency(wanted.frequency).label,
            indicator=wanted.indicator_name,
        )
    return max(fitting, key=lambda f: (MONTHS_PER_PERIOD[f.frequency], f.regime_code))


def ratio_rule(numerator: Element, denominator: Element) -> NewRule:
    """numerator ≤ denominator, with the messages reporters read."""
    return NewRule(
        code=f"{numerator.code}-le-{denominator.code}"[:60].replace("_", "-"),
        expression=f"{numerator.code} <= {denominator.code}",
        message_vi=f"“{numerator.name}” không được lớn hơn “{denominator.name}”.",
        message_en=(
            f"“{numerator.name_en or numerator.code}” cannot exceed "
            f"“{denominator.name_en or denominator.code}”."
        ),
    )


def _same_rule(expression: str, existing: Sequence[str]) -> bool:
    squeezed = expression.replace(" ", "")
    return any(squeezed == e.replace(" ", "") for e in existing)


def propose(wanted: Sequence[Wanted], forms: Sequence[Form]) -> Proposal:
    """The form changes and plan entries that collect every wanted indicator. Raises
    UserFacingError (bilingual) naming the first indicator that cannot be collected as asked."""
    changes: dict[str, FormChange] = {}
    tiers_of: dict[tuple[str, str], set[str]] = {}
    users: dict[tuple[str, str], list[str]] = {}
    sources: list[SourcePlan] = []
    for each in wanted:
        if each.how == PUBLISHED:
            sources.append(SourcePlan(each.indicator_code, PUBLISHED, each.frequency))
            continue
        elements = needed_elements(each)
        form = choose_form(each, forms)
        change = changes.setdefault(form.regime_code, FormChange(form))
        change.tiers.add(each.how)
        for element in elements:
            key = (form.regime_code, element.code)
            if element.code in form.field_codes:
                _check_reported_by(form, element, each)
                if element.code not in change.unchanged:
                    change.unchanged.append(element.code)
                continue
            if key not in tiers_of:
                tiers_of[key], users[key] = set(), []
                change.added.append(NewField(element, (), ()))
            tiers_of[key].add(each.how)
            users[key].append(each.indicator_name)
        if each.numerator and each.denominator:
            rule = ratio_rule(each.numerator, each.denominator)
            known = [*form.rule_expressions, *(r.expression for r in change.rules)]
            if not _same_rule(rule.expression, known):
                change.rules.append(rule)
        sources.append(
            SourcePlan(
                each.indicator_code, "reported", each.frequency, form.regime_code, (each.how,)
            )
        )
    for change in changes.values():
        change.added = [
            _finished(f, change.form, tiers_of[(change.form.regime_code, f.element.code)], users)
            for f in change.added
        ]
    return Proposal(list(changes.values()), sources)


def _check_reported_by(form: Form, element: Element, wanted: Wanted) -> None:
    """A field already on the form for other tiers only cannot collect the figure from this one
    (its tiers apply to every period it is on, so widening them would change earlier forms)."""
    tiers = form.field_tiers.get(element.code, ())
    if tiers and wanted.how not in tiers:
        raise UserFacingError(
            _(
                "“%(code)s” is on the form of “%(regime)s” for other units only (%(tiers)s), not "
                "for %(tier)s: “%(indicator)s” cannot be collected from them this way."
            ),
            code=element.code,
            regime=form.regime_name,
            tiers=", ".join(tiers),
            tier=ReportingTier(wanted.how).label,
            indicator=wanted.indicator_name,
        )


def _finished(
    new: NewField, form: Form, tiers: set[str], users: Mapping[tuple[str, str], list[str]]
) -> NewField:
    # A field every tier of the regime reports is on every unit's form (no tiers named).
    ordered = () if set(form.tiers) <= tiers else tuple(t for t in form.tiers if t in tiers)
    return NewField(
        new.element,
        ordered,
        for_indicators=tuple(dict.fromkeys(users[(form.regime_code, new.element.code)])),
    )
