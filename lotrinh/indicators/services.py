"""Every write to programmes and the indicator catalogue: loading files, in one transaction each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lotrinh.core.text import nfc, search_key
from lotrinh.indicators.models import (
    Baseline,
    Computation,
    DataElement,
    Direction,
    Indicator,
    Programme,
    Target,
    UnitKind,
)
from lotrinh.indicators.parsing import (
    ProgrammeFileError,
    ProgrammeFiles,
    StatementRecord,
    read_programme,
)
from lotrinh.orgunits.models import OrgUnit, Tier

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_CATALOGUE = SAMPLE_DIR / "indicators.toml"
SAMPLE_PROGRAMMES = sorted((SAMPLE_DIR / "programmes").glob("*.programme.toml"))
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "real-observations.csv"


@dataclass(frozen=True)
class CatalogueResult:
    data_elements: int
    indicators: int


@dataclass(frozen=True)
class ProgrammeResult:
    programme: Programme
    created: bool
    targets: int
    baselines: int
    new_indicators: int


def _indicator_fields(entry: dict[str, Any], elements: dict[str, DataElement]) -> dict[str, Any]:
    numerator = elements.get(entry.get("numerator", "")) if entry.get("numerator") else None
    denominator = elements.get(entry.get("denominator", "")) if entry.get("denominator") else None
    name = nfc(entry["name"])
    return {
        "name": name,
        "name_en": entry.get("name_en", ""),
        "description": entry.get("description", ""),
        "pillar": entry["pillar"],
        "unit_kind": entry["unit_kind"],
        "unit": entry["unit"],
        "direction": entry["direction"],
        "computation": entry["computation"],
        "numerator": numerator,
        "denominator": denominator,
        "reported_as": elements.get(entry.get("reported_as", ""))
        if entry.get("reported_as")
        else None,
        "aliases": [nfc(a) for a in entry.get("aliases", [])],
        "search_name": search_key(
            " | ".join([name, entry.get("name_en", ""), *entry.get("aliases", [])])
        ),
    }


def load_catalogue(path: Path = SAMPLE_CATALOGUE) -> CatalogueResult:
    """Create or update the data elements and indicators of a catalogue file, matched by code."""
    try:
        catalogue = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProgrammeFileError(
            path.name, _("The catalogue cannot be read (%(reason)s)."), reason=str(exc)
        ) from exc
    with transaction.atomic():
        elements: dict[str, DataElement] = {}
        for entry in catalogue.get("data_element", []):
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
            elements[element.code] = element
        for entry in catalogue.get("indicator", []):
            Indicator.objects.update_or_create(
                code=entry["code"], defaults=_indicator_fields(entry, elements)
            )
    return CatalogueResult(len(elements), len(catalogue.get("indicator", [])))


def _infer_unit_kind(unit: str) -> str:
    return {"%": UnitKind.PERCENT, "%GRDP": UnitKind.GRDP_SHARE, "rank": UnitKind.RANK}.get(
        unit, UnitKind.COUNT
    )


class _IndicatorResolver:
    """Finds the catalogue indicator for a name (or an alias); creates a new one when none matches."""

    def __init__(self) -> None:
        self.by_name: dict[str, Indicator] = {}
        for indicator in Indicator.objects.all():
            for name in [indicator.name, *indicator.aliases]:
                self.by_name[search_key(name)] = indicator
        self.created = 0

    def resolve(self, record: StatementRecord) -> Indicator:
        key = search_key(record.indicator)
        if key in self.by_name:
            return self.by_name[key]
        unit_kind = _infer_unit_kind(record.unit)
        base = slugify(key)[:60] or "indicator"
        code, suffix = base, 2
        while Indicator.objects.filter(code=code).exists():
            code, suffix = f"{base[:56]}-{suffix}", suffix + 1
        indicator = Indicator.objects.create(
            code=code,
            name=record.indicator,
            pillar=record.pillar,
            unit_kind=unit_kind,
            unit=record.unit,
            direction=Direction.DECREASE if unit_kind == UnitKind.RANK else Direction.INCREASE,
            computation=Computation.DIRECT,
            search_name=key,
        )
        self.by_name[key] = indicator
        self.created += 1
        return indicator


def _statement_fields(record: StatementRecord, indicator: Indicator) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "indicator_name": record.indicator,
        "pillar": record.pillar,
        "level": record.level,
        "year": record.year,
        "comparator": record.comparator,
        "is_strict": record.strict,
        "value": record.value,
        "value_max": record.value_max,
        "unit": record.unit,
        "rank_total": record.rank_total,
        "text": record.text,
        "text_start": record.text_start,
        "text_end": record.text_end,
        "year_source": record.year_source,
        "note": record.note,
    }


def _sync_statements(
    model: type[Target] | type[Baseline],
    programme: Programme,
    records: list[StatementRecord],
    resolver: _IndicatorResolver,
) -> None:
    """Make the programme's rows equal the records, keyed by source line: update, add, remove."""
    existing = {row.source_line: row for row in model.objects.filter(programme=programme)}
    for record in records:
        fields = _statement_fields(record, resolver.resolve(record))
        if model is Target:
            fields |= {
                "period": record.period,
                "is_restatement": record.restatement,
                "is_borderline": record.borderline,
                "is_implicit_value": record.implicit_value,
            }
        row = existing.pop(record.line, None)
        if row is None:
            model.objects.create(programme=programme, source_line=record.line, **fields)
        else:
            # Only a row that differs is saved, so a reload that changes nothing keeps each row's
            # last-changed time (and the open data's version).
            changed = [name for name, value in fields.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, fields[name])
            if changed:
                row.save()
    model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def _province_for(files: ProgrammeFiles, label: str) -> OrgUnit:
    try:
        return OrgUnit.objects.get(
            structure=files.province_structure, code=files.province_code, tier=Tier.PROVINCE
        )
    except OrgUnit.DoesNotExist as exc:
        raise ProgrammeFileError(
            label,
            _(
                "No province with code %(code)s in the %(structure)s structure; run “lotrinh load-units” first."
            ),
            field="province",
            code=files.province_code,
            structure=files.province_structure,
        ) from exc


def save_programme(files: ProgrammeFiles, label: str) -> ProgrammeResult:
    """Store checked programme files: create or update the programme, its targets and baselines."""
    with transaction.atomic():
        province = _province_for(files, label)
        programme, created = Programme.objects.update_or_create(
            code=files.code,
            defaults={
                "number": files.number,
                "document_type": files.document_type,
                "title": files.title,
                "issuer": files.issuer,
                "issued_on": files.issued_on,
                "org_unit": province,
                "source_note": files.source_note,
                "document_text": files.document_text,
                "search_name": search_key(f"{files.number} {files.title} {province.name}"),
            },
        )
        resolver = _IndicatorResolver()
        _sync_statements(Target, programme, files.targets, resolver)
        _sync_statements(Baseline, programme, files.baselines, resolver)
    return ProgrammeResult(
        programme, created, len(files.targets), len(files.baselines), resolver.created
    )


def resolve_manifest(path: Path) -> Path:
    """Accept a manifest, or a targets/document file with a `<name>.programme.toml` beside it."""
    if path.suffix == ".toml":
        return path
    stem = path.name.split(".")[0]
    return path.with_name(f"{stem}.programme.toml")


def load_programme(path: Path) -> ProgrammeResult:
    """Check every file of a programme, then store it; a bad file stores nothing."""
    manifest = resolve_manifest(path)
    return save_programme(read_programme(manifest), manifest.name)


def load_sample_programmes() -> list[ProgrammeResult]:
    return [load_programme(path) for path in SAMPLE_PROGRAMMES]
