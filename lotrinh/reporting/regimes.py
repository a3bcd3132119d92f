"""Defining reporting regimes from a file, and creating their periods up to a date."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import nfc
from lotrinh.indicators.models import DataElement
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import FormField, Period, ReportingRegime, ValidationRule
from lotrinh.reporting.periods import periods_between
from lotrinh.reporting.rules import check_rule_names

SAMPLE_REGIMES = Path(__file__).resolve().parent.parent / "sample_data" / "regimes.toml"
_REGIME_FIELDS = [
    "name",
    "content",
    "kind",
    "frequency",
    "cutoff_day",
    "reporting_tiers",
    "receiving_unit",
    "sending_method",
    "deadline_days",
    "instructions",
    "legal_basis",
    "first_year",
    "completeness_threshold",
    "approver_must_differ",
]


@dataclass(frozen=True)
class RegimesResult:
    regimes: int
    fields: int
    rules: int


def _element(entry: dict[str, Any]) -> DataElement:
    element, _created = DataElement.objects.update_or_create(
        code=entry["code"],
        defaults={
            "name": nfc(entry["name"]),
            "name_en": entry.get("name_en", ""),
            "description": entry.get("description", ""),
            "value_type": entry.get("value_type", "integer"),
            "min_value": Decimal(str(entry["min_value"])) if "min_value" in entry else None,
            "max_value": Decimal(str(entry["max_value"])) if "max_value" in entry else None,
            "is_confidential": bool(entry.get("is_confidential", False)),
        },
    )
    return element


def _scopes(entry: dict[str, Any]) -> list[OrgUnit]:
    units = []
    for scope in entry.get("scopes", []):
        unit = OrgUnit.objects.filter(structure=scope["structure"], code=scope["code"]).first()
        if unit is None:
            raise UserFacingError(
                _("Unknown unit %(code)s (%(structure)s) in the regime's territories."),
                code=scope["code"],
                structure=scope["structure"],
            )
        units.append(unit)
    return units


def _field_tiers(spec: dict[str, Any], regime: ReportingRegime) -> list[str]:
    """A field's `tiers` (the tiers whose units report it; none: every tier of the regime), each
    one of the regime's reporting tiers."""
    tiers = list(spec.get("tiers", []))
    wrong = [t for t in tiers if t not in regime.reporting_tiers]
    if wrong:
        raise UserFacingError(
            _("Regime %(regime)s: “%(tier)s” of field %(code)s is not one of its reporting tiers."),
            regime=regime.code,
            tier=wrong[0],
            code=spec["element"],
        )
    return tiers


def _define_regime(entry: dict[str, Any]) -> tuple[ReportingRegime, int, int]:
    threshold = entry.get("completeness_threshold")
    if threshold is not None and not (
        isinstance(threshold, int | float)
        and not isinstance(threshold, bool)
        and 0 <= threshold <= 1
    ):
        raise UserFacingError(
            _(
                "Regime %(regime)s: completeness_threshold must be a share from 0 to 1, not %(value)s."
            ),
            regime=entry["code"],
            value=threshold,
        )
    regime, _created = ReportingRegime.objects.update_or_create(
        code=entry["code"], defaults={name: entry[name] for name in _REGIME_FIELDS if name in entry}
    )
    regime.scopes.set(_scopes(entry))
    kept = []
    for position, spec in enumerate(entry.get("field", []), start=1):
        element = DataElement.objects.filter(code=spec["element"]).first()
        if element is None:
            raise UserFacingError(
                _("Unknown data element “%(code)s” in regime %(regime)s."),
                code=spec["element"],
                regime=entry["code"],
            )
        FormField.objects.update_or_create(
            regime=regime,
            data_element=element,
            defaults={
                "position": position,
                "section": spec.get("section", ""),
                "help_text": spec.get("help", ""),
                "is_required": spec.get("is_required", True),
                "tiers": _field_tiers(spec, regime),
            },
        )
        kept.append(element.pk)
    regime.fields.exclude(data_element_id__in=kept).delete()
    codes = list(regime.fields.values_list("data_element__code", flat=True))
    for rule in entry.get("rule", []):
        check_rule_names(rule["expression"], codes)
        ValidationRule.objects.update_or_create(
            regime=regime,
            code=rule["code"],
            defaults={
                "expression": rule["expression"],
                "severity": rule.get("severity", "error"),
                "message_vi": rule["message_vi"],
                "message_en": rule["message_en"],
            },
        )
    regime.rules.exclude(code__in=[r["code"] for r in entry.get("rule", [])]).delete()
    return regime, len(kept), len(entry.get("rule", []))


def load_regimes(path: Path = SAMPLE_REGIMES) -> RegimesResult:
    """Create or update the regimes of a TOML file (with their forms, rules and territories)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UserFacingError(
            _("The regimes file cannot be read (%(reason)s)."), reason=str(exc)
        ) from exc
    fields = rules = 0
    with transaction.atomic():
        for entry in data.get("data_element", []):
            _element(entry)
        for entry in data.get("regime", []):
            _regime, field_count, rule_count = _define_regime(entry)
            fields, rules = fields + field_count, rules + rule_count
    return RegimesResult(len(data.get("regime", [])), fields, rules)


def ensure_periods(regime: ReportingRegime, until: datetime.date) -> list[Period]:
    """Create the regime's periods from its first year up to the one counting `until`."""
    specs = periods_between(
        regime.frequency, datetime.date(regime.first_year, 1, 1), until, regime.cutoff_day
    )
    existing = set(regime.periods.values_list("code", flat=True))
    Period.objects.bulk_create(
        [
            Period(
                regime=regime,
                code=s.code,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                cutoff_from=s.cutoff_from,
                cutoff_to=s.cutoff_to,
            )
            for s in specs
            if s.code not in existing and s.starts_on.year >= regime.first_year
        ]
    )
    return list(regime.periods.order_by("starts_on"))


@dataclass(frozen=True)
class FieldToAdd:
    element: DataElement
    help_text: str
    is_required: bool
    section: str
    tiers: tuple[str, ...] = ()  # the tiers whose units report it; none: every tier


@dataclass(frozen=True)
class RuleToAdd:
    code: str
    expression: str
    message_vi: str
    message_en: str


def add_form_version(
    regime: ReportingRegime, first: Period, fields: list[FieldToAdd], rules: list[RuleToAdd]
) -> None:
    """Add fields (and rules over them) to a regime's form from period `first` on, after the
    fields it has; reports of earlier periods keep the form they were made with, and are not
    checked by the new rules. The caller
    (monitoring.services.apply_form_change) checks permission, validates, audits and announces."""
    position = max(regime.fields.values_list("position", flat=True), default=0)
    FormField.objects.bulk_create(
        [
            FormField(
                regime=regime,
                data_element=f.element,
                position=position + number,
                section=f.section,
                help_text=f.help_text,
                is_required=f.is_required,
                valid_from=first.starts_on,
                tiers=list(f.tiers),
            )
            for number, f in enumerate(fields, start=1)
        ]
    )
    codes = list(regime.fields.values_list("data_element__code", flat=True))
    for rule in rules:
        check_rule_names(rule.expression, codes)
    ValidationRule.objects.bulk_create(
        [
            ValidationRule(
                regime=regime,
                code=r.code,
                expression=r.expression,
                message_vi=r.message_vi,
                message_en=r.message_en,
                valid_from=first.starts_on,
            )
            for r in rules
        ]
    )
