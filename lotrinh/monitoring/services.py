"""Every write to the monitoring plan: check permission, validate, write, audit, announce."""

from __future__ import annotations

import functools
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Computation, Indicator
from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.monitoring.models import DataSource, ReportingTier, SourceKind
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.signals import plan_changed
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.reporting.models import Frequency, Period, ReportingRegime
from lotrinh.reporting.periods import MONTHS_PER_PERIOD, parse_period_code, period_label

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
