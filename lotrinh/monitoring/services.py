"""Every write to the monitoring plan: check permission, validate, write, audit, announce."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import (
    Computation,
    DataElement,
    Indicator,
    Programme,
    UnitKind,
    ValueType,
)
from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.monitoring import proposal
from lotrinh.monitoring.models import DataSource, ReportingTier, SourceKind
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.queries import plan_province, regimes_of
from lotrinh.monitoring.signals import plan_changed
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.reporting.models import Frequency, Period, ReportingRegime, Status
from lotrinh.reporting.periods import (
    MONTHS_PER_PERIOD,
    parse_period_code,
    period_code_on,
    period_label,
    period_label_lazy,
    period_spec,
)
from lotrinh.reporting.queries import form_fields, form_rules
from lotrinh.reporting.regimes import FieldToAdd, RuleToAdd, add_form_version, ensure_periods

NO_SOURCE = "none"
AUDIT_TARGET = "datasource"


@dataclass(frozen=True)
class SourceInput:
    """What an officer states about an indicator's source. `kind` is "reported", "published" or
    "none" (no source yet: the plan forgets any source it had)."""

    kind: str
    frequency: str = ""
    regime: str = ""  # reported: the regime's code
    reporting_tiers: tuple[str, ...] = ()
    first_period: str = ""  # reported: a period id such as 2026Q1
    publisher: str = ""  # published: who publishes it
    reference: str = ""  # published: the document number or web address
    note: str = ""


def _check_frequency(frequency: str) -> None:
    if frequency not in Frequency.values:
        raise UserFacingError(
            _("“%(value)s” is not a frequency: use monthly, quarterly, semiannual or annual."),
            value=frequency,
        )


def _regime(code: str, frequency: str) -> ReportingRegime:
    regime = ReportingRegime.objects.filter(code=code).first()
    if regime is None:
        raise UserFacingError(_("No reporting regime has the code “%(code)s”."), code=code)
    if MONTHS_PER_PERIOD[frequency] < MONTHS_PER_PERIOD[regime.frequency]:
        raise UserFacingError(
            _(
                "The regime “%(regime)s” reports at a fixed frequency (%(regime_frequency)s): "
                "it cannot carry a figure collected more often (%(frequency)s)."
            ),
            regime=regime.name,
            regime_frequency=Frequency(regime.frequency).label,
            frequency=Frequency(frequency).label,
        )
    return regime


def _check_tiers(tiers: tuple[str, ...]) -> None:
    if not tiers:
        raise UserFacingError(_("Say which units report the figure (communes, departments…)."))
    unknown = [t for t in tiers if t not in ReportingTier.values]
    if unknown:
        raise UserFacingError(
            _("“%(value)s” is not a reporting tier: use commune, district, agency or province."),
            value=unknown[0],
        )


def _check_first_period(code: str, frequency: str, regime: ReportingRegime) -> None:
    try:
        period_frequency, _year, _number = parse_period_code(code)
    except ValueError:
        raise UserFacingError(
            _("“%(value)s” is not a period: write 2026Q1, 2026S1, 2026 or 202601."), value=code
        ) from None
    if period_frequency != frequency:
        raise UserFacingError(
            _("The first period %(period)s does not match the frequency (%(frequency)s)."),
            period=period_label(code),
            frequency=Frequency(frequency).label,
        )
    if Period.objects.filter(regime=regime, code=code, is_locked=True).exists():
        raise UserFacingError(
            _("The period %(period)s of “%(regime)s” is already closed: choose a later one."),
            period=period_label(code),
            regime=regime.name,
        )


def _reported_fields(indicator: Indicator, source: SourceInput) -> dict[str, object]:
    needs = [indicator.numerator_id, indicator.denominator_id]
    if indicator.computation == Computation.DIRECT:
        needs = [indicator.reported_as_id]
    if not all(needs):
        raise UserFacingError(
            _(
                "The indicator “%(indicator)s” has no data element to report yet: give it one in "
                "the catalogue, or record it as a published figure."
            ),
            indicator=indicator.name,
        )
    regime = _regime(source.regime, source.frequency)
    _check_tiers(source.reporting_tiers)
    if not source.first_period:
        raise UserFacingError(_("Give the first period to collect (2026Q1, 2026…)."))
    _check_first_period(source.first_period, source.frequency, regime)
    return {
        "regime": regime,
        "reporting_tiers": list(dict.fromkeys(source.reporting_tiers)),
        "first_period": source.first_period.strip(),
        "publisher": "",
        "reference": "",
    }


def _published_fields(source: SourceInput) -> dict[str, object]:
    if not source.publisher.strip():
        raise UserFacingError(_("Say who publishes the figure (the statistics office, VCCI…)."))
    if not source.reference.strip():
        raise UserFacingError(_("Give the document or web address where the figure is published."))
    return {
        "regime": None,
        "reporting_tiers": [],
        "first_period": "",
        "publisher": source.publisher.strip(),
        "reference": source.reference.strip(),
    }


def _summary(row: DataSource | None) -> str:
    if row is None:
        return ""
    return json.dumps(
        {
            "kind": row.kind,
            "frequency": row.frequency,
            "regime": row.regime.code if row.regime else "",
            "reporting_tiers": row.reporting_tiers,
            "first_period": row.first_period,
            "publisher": row.publisher,
            "reference": row.reference,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _same(row: DataSource, fields: dict[str, object]) -> bool:
    return all(getattr(row, name) == value for name, value in fields.items())


def validated_fields(indicator: Indicator, source: SourceInput) -> dict[str, object] | None:
    """The columns of the source as stored, or None for "no source"; raises UserFacingError,
    in Vietnamese and English, on the first thing that is wrong."""
    if source.kind == NO_SOURCE:
        return None
    if source.kind not in SourceKind.values:
        raise UserFacingError(
            _("“%(value)s” is not a kind of source: use reported, published or none."),
            value=source.kind,
        )
    _check_frequency(source.frequency)
    fields = (
        _reported_fields(indicator, source)
        if source.kind == SourceKind.REPORTED
        else _published_fields(source)
    )
    return {**fields, "kind": source.kind, "frequency": source.frequency, "note": source.note}


def set_source(
    actor: AbstractBaseUser | AnonymousUser | None,
    indicator: Indicator,
    province: OrgUnit,
    source: SourceInput,
    *,
    channel: str = "web",
    announce: bool = True,
) -> DataSource | None:
    """Record how `indicator` is measured in `province` (a current province, or a legacy one not
    merged into any), replacing what the plan said; None when the source is now "none".
    `actor` None is the system (the sample loader); `announce` False leaves announcing the change
    to the caller (a file of many sources announces once per province). Nothing is written if
    anything is wrong."""
    if actor is not None:
        require_change_plan(actor, province)
    fields = validated_fields(indicator, source)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        old = (
            DataSource.objects.select_for_update(of=("self",))
            .select_related("regime")
            .filter(indicator=indicator, province=province)
            .first()
        )
        if old is not None and fields is not None and _same(old, fields):
            return old  # nothing to change, record or announce
        before = _summary(old)
        row: DataSource | None = None
        if fields is None:
            if old is not None:
                old.delete()
        else:
            row, _created = DataSource.objects.update_or_create(
                indicator=indicator,
                province=province,
                defaults={**fields, "updated_by_id": actor_id},
            )
        after = _summary(row)
        if before != after:
            record(
                "source_set" if row is not None else "source_removed",
                AUDIT_TARGET,
                indicator.pk,
                user=actor,
                channel=channel if actor is not None else "system",
                field=f"{province.structure}/{province.code}",
                old=before,
                new=after,
            )
            if announce:
                transaction.on_commit(
                    lambda: plan_changed.send(sender=DataSource, province=province)
                )
    return row


SAMPLE_PLAN = Path(__file__).resolve().parent.parent / "sample_data" / "monitoring-plan.toml"


def load_plan(path: Path = SAMPLE_PLAN) -> int:
    """Load a monitoring plan file ([[source]] entries: province as structure/code, indicator
    code, and the fields of SourceInput) through `set_source`, all or nothing, as the system.
    A bad entry raises ProgrammeFileError naming its position and the problem. Returns the
    number of sources."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("source", [])
    changed: dict[int, OrgUnit] = {}
    with transaction.atomic():
        for number, entry in enumerate(entries, start=1):
            try:
                indicator, province = _plan_keys(entry)
                source = SourceInput(
                    kind=entry.get("kind", ""),
                    frequency=entry.get("frequency", ""),
                    regime=entry.get("regime", ""),
                    reporting_tiers=tuple(entry.get("reporting_tiers", ())),
                    first_period=str(entry.get("first_period", "")),
                    publisher=entry.get("publisher", ""),
                    reference=entry.get("reference", ""),
                    note=entry.get("note", ""),
                )
                before = DataSource.objects.filter(indicator=indicator, province=province)
                old = before.values_list("updated_at", flat=True).first()
                row = set_source(None, indicator, province, source, announce=False)
                if (row.updated_at if row else None) != old:
                    changed[province.pk] = province
            except UserFacingError as error:
                raise ProgrammeFileError(
                    path.name, error.message, field=f"source {number}", **error.params
                ) from None
        for province in changed.values():
            transaction.on_commit(functools.partial(_announce, province))
    return len(entries)


def _announce(province: OrgUnit) -> None:
    plan_changed.send(sender=DataSource, province=province)


def _plan_keys(entry: dict[str, object]) -> tuple[Indicator, OrgUnit]:
    indicator = Indicator.objects.filter(code=entry.get("indicator", "")).first()
    if indicator is None:
        raise UserFacingError(
            _("No indicator has the code “%(code)s”."), code=entry.get("indicator", "")
        )
    structure, _slash, code = str(entry.get("province", "")).partition("/")
    province = OrgUnit.objects.filter(structure=structure, code=code, tier=Tier.PROVINCE).first()
    if province is None:
        raise UserFacingError(
            _("No province is “%(value)s”: write its structure and code, as 2025/52."),
            value=entry.get("province", ""),
        )
    return indicator, province


# From plan to form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetPlan:
    """How the office wants one indicator collected: `how` is a reporting tier (commune,
    district, agency, province) or "published" (then `publisher` and `reference` say where)."""

    indicator: str  # the indicator's code
    how: str
    frequency: str
    publisher: str = ""
    reference: str = ""
    note: str = ""
    # For an indicator the catalogue has no data element for: the elements to add to it, one
    # of role "value" (a figure reported as is) or a "numerator" and a "denominator" (a ratio).
    new_elements: tuple[NewElementInput, ...] = ()


@dataclass(frozen=True)
class NewElementInput:
    """A data element the office proposes to add to the shared catalogue."""

    role: str  # value | numerator | denominator
    code: str
    name: str
    unit: str = ""
    value_type: str = ValueType.INTEGER
    name_en: str = ""


VALUE, NUMERATOR, DENOMINATOR = "value", "numerator", "denominator"
ELEMENT_CODE = re.compile(r"[a-z][a-z0-9_]*\Z")
ELEMENT_CODE_LENGTH = 80  # DataElement.code
ELEMENT_NAME_LENGTH, ELEMENT_UNIT_LENGTH = 300, 60  # DataElement.name, DataElement.unit


def proposed_elements(indicator: Indicator, *, ratio: bool) -> tuple[NewElementInput, ...]:
    """Lộ Trình's first guess at the new elements of an indicator without any: codes from the
    indicator's code, names from its name, the officer corrects them before applying."""
    base = indicator.code.replace("-", "_")[: ELEMENT_CODE_LENGTH - 7]
    value_type = ValueType.INTEGER if indicator.unit_kind == UnitKind.COUNT else ValueType.DECIMAL
    if not ratio:
        return (NewElementInput(VALUE, base, indicator.name, indicator.unit, value_type),)
    return (
        NewElementInput(NUMERATOR, f"{base}_tu_so", f"Tử số: {indicator.name}"),
        NewElementInput(DENOMINATOR, f"{base}_mau_so", f"Mẫu số: {indicator.name}"),
    )


def needs_elements(indicator: Indicator) -> bool:
    """Whether the catalogue gives the indicator no data element to be reported from."""
    return not (indicator.numerator_id and indicator.denominator_id) and not (
        indicator.reported_as_id
    )


def _checked_elements(
    indicator: Indicator, given: Sequence[NewElementInput], taken: set[str]
) -> dict[str, NewElementInput]:
    """The new elements of one indicator by role, checked, spaces trimmed; `taken` holds the
    codes already used (the catalogue's and those proposed for other targets) and gains these."""
    roles = [e.role for e in given]
    if sorted(roles) not in ([VALUE], [DENOMINATOR, NUMERATOR]):
        raise UserFacingError(
            _(
                "Give “%(indicator)s” either one new data element (a figure reported as is) or "
                "a numerator and a denominator (a ratio)."
            ),
            indicator=indicator.name,
        )
    checked = {}
    for given_element in given:
        element = dataclasses.replace(
            given_element,
            code=given_element.code.strip(),
            name=" ".join(given_element.name.split()),
            name_en=given_element.name_en.strip(),
            unit=given_element.unit.strip(),
        )
        code, name = element.code, element.name
        if not name:
            raise UserFacingError(
                _("Give the new data element “%(code)s” of “%(indicator)s” a name."),
                code=code,
                indicator=indicator.name,
            )
        if not ELEMENT_CODE.match(code) or len(code) > ELEMENT_CODE_LENGTH:
            raise UserFacingError(
                _(
                    "“%(code)s” cannot be a data element code: use lower-case letters without "
                    "accents, digits and _, starting with a letter, at most 80 characters "
                    "(so_trung_tam_du_lieu)."
                ),
                code=code,
            )
        if code in taken:
            raise UserFacingError(
                _("The data element code “%(code)s” is already taken: choose another."), code=code
            )
        if element.value_type not in ValueType.values:
            raise UserFacingError(
                _("“%(value)s” is not a value type: use integer, decimal or percent."),
                value=element.value_type,
            )
        if len(element.unit) > ELEMENT_UNIT_LENGTH or len(name) > ELEMENT_NAME_LENGTH:
            raise UserFacingError(
                _(
                    "The name (at most 300 characters) or the unit (at most 60) of the new data "
                    "element “%(code)s” is too long."
                ),
                code=code,
            )
        taken.add(code)
        checked[element.role] = element
    return checked


@dataclass
class FormChangePlan:
    """A proposal read from the database, ready to show as a diff and to apply."""

    proposal: proposal.Proposal
    first_periods: dict[str, Period]  # regime code -> the regime's first period of the change
    sources: list[tuple[Indicator, SourceInput]]
    # indicator code -> the new catalogue elements it is reported from, by role
    new_elements: dict[str, dict[str, NewElementInput]] = field(default_factory=dict)

    @property
    def field_codes(self) -> list[str]:
        return [f.element.code for c in self.proposal.changes for f in c.added]


def _element(element: DataElement | None) -> proposal.Element | None:
    if element is None:
        return None
    return proposal.Element(element.code, element.name, element.name_en)


def _start_of(code: str) -> datetime.date:
    try:
        frequency, year, number = parse_period_code(code.strip())
    except ValueError:
        raise UserFacingError(
            _("“%(value)s” is not a period: write 2026Q1, 2026S1, 2026 or 202601."), value=code
        ) from None
    return period_spec(frequency, year, number).starts_on


def _first_period(regime: ReportingRegime, start: datetime.date, *, create: bool) -> Period:
    """The regime's period starting the change, refused when it is closed or a unit already
    submitted a report of it. One the calendar has not reached yet is created when `create`,
    and otherwise returned unsaved (a preview writes nothing)."""
    code = period_code_on(regime.frequency, start)
    spec = period_spec(*parse_period_code(code), regime.cutoff_day)
    if spec.starts_on.year < regime.first_year:
        raise UserFacingError(
            _("The regime “%(regime)s” has no period %(period)s."),
            regime=regime.name,
            period=period_label_lazy(code),
        )
    period = regime.periods.filter(code=code).first()
    if period is None and create:
        ensure_periods(regime, spec.cutoff_to)
        period = regime.periods.get(code=code)
    if period is None:
        return Period(regime=regime, code=code, starts_on=spec.starts_on, ends_on=spec.ends_on)
    if period.is_locked or period.reports.exclude(status=Status.DRAFT).exists():
        raise UserFacingError(
            _(
                "The period %(period)s of “%(regime)s” is already closed or has submitted "
                "reports, whose form cannot change: choose a later period."
            ),
            period=period_label_lazy(code),
            regime=regime.name,
        )
    return period


def _forms(
    province: OrgUnit, start: datetime.date
) -> dict[str, tuple[ReportingRegime, proposal.Form]]:
    forms = {}
    for regime in regimes_of(province):
        spec = period_spec(*parse_period_code(period_code_on(regime.frequency, start)))
        probe = Period(regime=regime, starts_on=spec.starts_on, ends_on=spec.ends_on)
        fields = form_fields(regime, probe, None)
        forms[regime.code] = (
            regime,
            proposal.Form(
                regime.code,
                regime.name,
                regime.frequency,
                tuple(regime.reporting_tiers),
                tuple(f.data_element.code for f in fields),
                tuple(r.expression for r in form_rules(regime, probe, None)),
                {f.data_element.code: tuple(f.tiers) for f in fields if f.tiers},
            ),
        )
    return forms


def plan_form_change(
    programme: Programme, targets: Sequence[TargetPlan], first_period: str, *, create: bool = False
) -> FormChangePlan:
    """What applying `targets` from `first_period` on would change; writes nothing unless
    `create` (applying), which creates the first period when the calendar has not reached it.
    Raises UserFacingError, in Vietnamese and English, on the first thing that cannot be done."""
    if not targets:
        raise UserFacingError(_("Choose at least one target to collect."))
    province = plan_province(programme.org_unit)
    start = _start_of(first_period)
    measured = {
        i.code: i
        for i in Indicator.objects.filter(
            target__programme=programme, code__in=[t.indicator for t in targets]
        )
        .select_related("numerator", "denominator", "reported_as")
        .distinct()
    }
    wanted = []
    taken = _taken_codes(targets)
    new_elements: dict[str, dict[str, NewElementInput]] = {}
    for target in targets:
        indicator = measured.get(target.indicator)
        if indicator is None:
            raise UserFacingError(
                _("The programme has no target of an indicator with the code “%(code)s”."),
                code=target.indicator,
            )
        wanted.append(_wanted(indicator, target, taken, new_elements))
    forms = _forms(province, start)
    proposed = proposal.propose(wanted, [form for _regime, form in forms.values()])
    first_periods = {}
    for change in proposed.changes:
        regime = forms[change.form.regime_code][0]
        first_periods[regime.code] = _first_period(regime, start, create=create)
        elsewhere = set(
            regime.fields.filter(
                data_element__code__in=[f.element.code for f in change.added]
            ).values_list("data_element__code", flat=True)
        )
        if elsewhere:
            raise UserFacingError(
                _(
                    "“%(code)s” is on the form of “%(regime)s” for other periods: change that "
                    "field's periods instead."
                ),
                code=sorted(elsewhere)[0],
                regime=regime.name,
            )
    by_code = {t.indicator: t for t in targets}
    sources = []
    for plan in proposed.sources:
        target = by_code[plan.indicator_code]
        first = first_periods.get(plan.regime_code)
        sources.append(
            (
                measured[plan.indicator_code],
                SourceInput(
                    kind=plan.kind,
                    frequency=plan.frequency,
                    regime=plan.regime_code,
                    reporting_tiers=plan.tiers,
                    first_period=period_code_on(plan.frequency, first.starts_on) if first else "",
                    publisher=target.publisher,
                    reference=target.reference,
                    note=target.note,
                ),
            )
        )
    for indicator, source in sources:
        if source.kind == SourceKind.PUBLISHED:
            validated_fields(indicator, source)  # reported ones are checked once the form has them
    return FormChangePlan(proposed, first_periods, sources, new_elements)


def _wanted(
    indicator: Indicator,
    target: TargetPlan,
    taken: set[str],
    new_elements: dict[str, dict[str, NewElementInput]],
) -> proposal.Wanted:
    """What the proposal needs to know of one target: its elements, from the catalogue or new
    (checked, and kept in `new_elements`)."""
    elements = {
        NUMERATOR: _element(indicator.numerator),
        DENOMINATOR: _element(indicator.denominator),
        VALUE: _element(indicator.reported_as),
    }
    if target.new_elements and target.how != proposal.PUBLISHED:
        if not needs_elements(indicator):
            raise UserFacingError(
                _(
                    "“%(indicator)s” already has its data elements in the catalogue: it needs "
                    "no new one."
                ),
                indicator=indicator.name,
            )
        checked = _checked_elements(indicator, target.new_elements, taken)
        elements |= {
            role: proposal.Element(e.code, e.name, e.name_en, is_new=True)
            for role, e in checked.items()
        }
        new_elements[indicator.code] = checked
    return proposal.Wanted(
        indicator.code,
        indicator.name,
        target.how,
        target.frequency,
        numerator=elements[NUMERATOR],
        denominator=elements[DENOMINATOR],
        reported_as=elements[VALUE],
    )


def _taken_codes(targets: Sequence[TargetPlan]) -> set[str]:
    """The catalogue's codes among those the targets propose for new elements."""
    proposed = [e.code.strip() for t in targets for e in t.new_elements]
    return set(DataElement.objects.filter(code__in=proposed).values_list("code", flat=True))


def _help_text(new: proposal.NewField) -> str:
    # stored with the form, which is in Vietnamese
    return "Để theo dõi: " + "; ".join(new.for_indicators) + "."


def _create_elements(
    plan: FormChangePlan, measured: dict[str, Indicator]
) -> dict[str, dict[str, str]]:
    """Add the plan's new data elements to the catalogue and make each indicator reported from
    them (a ratio of the numerator to the denominator, or the figure as is); what was created,
    for the audit record."""
    created: dict[str, dict[str, str]] = {}
    for code, roles in plan.new_elements.items():
        made = {
            role: DataElement.objects.create(
                code=e.code,
                name=e.name,
                name_en=e.name_en,
                unit=e.unit,
                value_type=e.value_type,
                min_value=Decimal(0),
                max_value=Decimal(100) if e.value_type == ValueType.PERCENT else None,
            )
            for role, e in roles.items()
        }
        indicator = measured[code]
        if VALUE in made:
            indicator.reported_as = made[VALUE]
            indicator.save(update_fields=["reported_as"])
        else:
            indicator.computation = Computation.RATIO
            indicator.numerator, indicator.denominator = made[NUMERATOR], made[DENOMINATOR]
            indicator.save(update_fields=["computation", "numerator", "denominator"])
        created[code] = {role: element.code for role, element in made.items()}
    return created


def apply_form_change(
    actor: AbstractBaseUser | AnonymousUser,
    programme: Programme,
    targets: Sequence[TargetPlan],
    first_period: str,
    *,
    expected_fields: Sequence[str] | None = None,
    channel: str = "web",
) -> FormChangePlan:
    """Apply the proposal: each regime's form gains its fields and rules as a new version from
    the first period on, and the plan records every target's source; audited, announced once.
    `expected_fields` are the element codes of the diff the officer saw: an unknown code, or a
    form that changed since, is refused. All or nothing."""
    province = plan_province(programme.org_unit)
    require_change_plan(actor, province)
    with transaction.atomic():
        plan = plan_form_change(programme, targets, first_period, create=True)
        proposed = {e.code for roles in plan.new_elements.values() for e in roles.values()}
        if expected_fields is not None:
            known = proposed | set(
                DataElement.objects.filter(code__in=expected_fields).values_list("code", flat=True)
            )
            unknown = [c for c in expected_fields if c not in known]
            if unknown:
                raise UserFacingError(
                    _("No data element has the code “%(code)s”."), code=unknown[0]
                )
            if sorted(expected_fields) != sorted(plan.field_codes):
                raise UserFacingError(
                    _("The form changed since the proposal was shown: look at the change again.")
                )
        created = _create_elements(plan, {i.code: i for i, _source in plan.sources})
        for change in plan.proposal.changes:
            if not change.changes_anything:
                continue
            regime = ReportingRegime.objects.select_for_update().get(code=change.form.regime_code)
            taken = set(regime.rules.values_list("code", flat=True))
            elements = {
                e.code: e
                for e in DataElement.objects.filter(code__in=[f.element.code for f in change.added])
            }
            first = plan.first_periods[regime.code]
            add_form_version(
                regime,
                first,
                [
                    FieldToAdd(
                        elements[f.element.code],
                        _help_text(f),
                        is_required=True,
                        section=proposal.SECTION,
                        tiers=f.tiers,
                    )
                    for f in change.added
                ],
                [
                    RuleToAdd(
                        r.code if r.code not in taken else f"{r.code[:56]}-{regime.pk}",
                        r.expression,
                        r.message_vi,
                        r.message_en,
                    )
                    for r in change.rules
                ],
            )
            record(
                "form_changed",
                "regime",
                regime.pk,
                user=actor,
                channel=channel,
                field=first.code,
                new=json.dumps(
                    {
                        "fields": {f.element.code: list(f.tiers) for f in change.added},
                        "rules": [r.expression for r in change.rules],
                        "programme": programme.code,
                        # the catalogue's new elements among the fields, by indicator and role
                        "elements_created": {
                            code: roles
                            for code, roles in created.items()
                            if set(roles.values()) & {f.element.code for f in change.added}
                        },
                    },
                    ensure_ascii=False,
                ),
            )
        for indicator, source in plan.sources:
            set_source(actor, indicator, province, source, channel=channel, announce=False)
        transaction.on_commit(functools.partial(_announce, province))
    return plan
