"""Illustrative (made-up, clearly labelled) reports for the five sample provinces.

Deterministic: the same seed gives the same figures. Units follow the structure in force: legacy
provinces, districts and communes until Q2 2025, the merged provinces and new communes after.
Trajectories differ by unit (some on track, some behind, a few falling back); some reports are late,
missing or returned, so completeness and assessment have something real to show. Elements without
a hand-written rule below get a generic trajectory from the catalogue (`_element_shapes`): totals,
parts of a total heading for the share the programmes target, and directly reported figures
heading for their target, so that every field on a form has figures.
"""

from __future__ import annotations

import datetime
import random
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lotrinh.indicators.models import Computation, DataElement, Direction, Indicator, Target
from lotrinh.ledger import services as ledger
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.services import add_agency
from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status
from lotrinh.reporting.queries import due_date, expected_units, form_fields
from lotrinh.reporting.regimes import ensure_periods

SAMPLE_LEGACY_PROVINCES = ["52", "83", "17", "54", "24"]
SAMPLE_CURRENT_PROVINCES = ["52", "86", "25", "66", "24"]
LEGACY_AGENCIES = [
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Thông tin và Truyền thông",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
]
CURRENT_AGENCIES = [
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Khoa học và Công nghệ",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
]
DEFAULT_SEED = 20250701


@dataclass(frozen=True)
class IllustrativeResult:
    agencies: int
    reports: int
    values: int


def ensure_sample_agencies() -> int:
    """Five departments under each sample province, in both structures (illustrative names)."""
    created = 0
    for structure, codes, names in (
        (Structure.LEGACY, SAMPLE_LEGACY_PROVINCES, LEGACY_AGENCIES),
        (Structure.CURRENT, SAMPLE_CURRENT_PROVINCES, CURRENT_AGENCIES),
    ):
        for province in OrgUnit.objects.filter(
            structure=structure, tier=Tier.PROVINCE, code__in=codes
        ):
            for number, name in enumerate(names, start=1):
                code = f"{province.code}-S{number:02d}"
                if not OrgUnit.objects.filter(structure=structure, code=code).exists():
                    add_agency(province, name, code)
                    created += 1
    return created


@dataclass(frozen=True)
class _Profile:
    """How one unit's figures move: starting shares, growth per quarter, size."""

    online_start: float
    online_growth: float
    service_start: float
    service_growth: float
    size: float
    punctuality: float


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))  # noqa: S311 - made-up data, not secrets


def _profile(seed: int, unit: OrgUnit) -> _Profile:
    rng = _rng(str(seed), unit.structure, unit.code)
    kind = rng.random()
    growth = 0.03 if kind < 0.45 else 0.012 if kind < 0.85 else -0.004  # fast, slow, slipping
    sizes: dict[str, int] = {
        Tier.AGENCY: 900,
        Tier.DISTRICT: 1500,
        Tier.COMMUNE: 260,
        Tier.PROVINCE: 1,
    }
    size = sizes[unit.tier]
    return _Profile(
        online_start=rng.uniform(0.25, 0.7) + (0.15 if unit.tier == Tier.AGENCY else 0.0),
        online_growth=growth,
        service_start=rng.uniform(0.2, 0.5),
        service_growth=growth * 0.8,
        size=size * rng.uniform(0.6, 1.5),
        punctuality=rng.uniform(0.7, 0.98),
    )


def _share(start: float, growth: float, step: int, rng: random.Random) -> float:
    return max(0.02, min(0.99, start + growth * step + rng.gauss(0, 0.02)))


def _quarterly_values(profile: _Profile, step: int, rng: random.Random) -> dict[str, Decimal | int]:
    files = max(12, int(profile.size * rng.uniform(0.85, 1.15)))
    procedures = max(20, int(profile.size / 8))
    services = int(
        procedures * _share(profile.service_start + 0.3, profile.service_growth, step, rng)
    )
    applications = max(5, int(profile.size * 0.6 * rng.uniform(0.8, 1.2)))
    inspections = rng.randint(0, 8)
    regimes = rng.randint(8, 25)
    figures: dict[str, Decimal | int] = {
        "tong_ho_so_cong_viec": files,
        "ho_so_cong_viec_dien_tu": int(
            files * _share(profile.online_start, profile.online_growth, step, rng)
        ),
        "tong_so_tthc": procedures,
        "so_dvctt": services,
        "so_dvctt_toan_trinh": int(
            services * _share(profile.service_start, profile.service_growth, step, rng)
        ),
        "tong_ho_so_tthc": applications,
        "ho_so_tthc_truc_tuyen": int(
            applications * _share(profile.service_start, profile.service_growth, step, rng)
        ),
        "tong_hoat_dong_kiem_tra": inspections,
        "hoat_dong_kiem_tra_moi_truong_so": rng.randint(0, inspections),
        "tong_che_do_bao_cao": regimes,
        "che_do_bao_cao_tren_httt_bao_cao": int(
            regimes * _share(0.4, profile.online_growth, step, rng)
        ),
    }
    # Eligible for online delivery: every procedure already online and part of the rest.
    figures["so_tthc_du_dieu_kien_dvctt"] = services + int(
        (procedures - services) * rng.uniform(0.1, 0.4)
    )
    return figures


def _annual_values(unit: OrgUnit, year: int, rng: random.Random) -> dict[str, Decimal | int]:
    step = year - 2021
    households = (
        int(rng.uniform(3.0e5, 9.0e5))
        if unit.structure == Structure.LEGACY
        else int(rng.uniform(8e5, 1.4e6))
    )
    adults = int(households * 2.6)
    figures: dict[str, Decimal | int] = {
        "ty_trong_kinh_te_so_grdp": Decimal(str(round(rng.uniform(5, 9) + 1.6 * step, 2))),
        "tang_nang_suat_lao_dong": Decimal(str(round(rng.uniform(3.5, 7.5), 2))),
        "so_doanh_nghiep_cong_nghe_so": int(rng.uniform(120, 260) * (1 + 0.18 * step)),
        "tong_ho_gia_dinh": households,
        "ho_gia_dinh_co_cap_quang": int(
            households * min(0.97, rng.uniform(0.55, 0.7) + 0.06 * step)
        ),
        "dan_so_truong_thanh": adults,
        "nguoi_co_tai_khoan_thanh_toan_dien_tu": int(
            adults * min(0.95, rng.uniform(0.4, 0.55) + 0.08 * step)
        ),
    }
    figures["dan_so"] = int(households * 3.5)  # about 3.5 people a household
    return figures


# Typical size of a total reported for a whole province (elements the generic rule sees as totals);
# a total missing here is a count of a few dozen things per reporting unit.
_PROVINCE_TOTALS: dict[str, float] = {
    "dan_so": 1.4e6,
    "tong_so_xa": 120,
    "tong_co_quan_don_vi_nha_nuoc": 90,
    "tong_co_so_giao_duc": 650,
    "tong_hoc_sinh_sinh_vien": 3.0e5,
    "tong_co_so_kham_chua_benh": 220,
    "tong_he_thong_ung_dung": 45,
    "httt_lien_quan_nguoi_dan_doanh_nghiep": 35,
    "tong_san_pham_thuong_hieu": 260,
}
_DEFAULT_TOTAL = 40.0


@dataclass(frozen=True)
class _Shape:
    """How the generic rule draws one element: a total, a part of `total` (its share heading for
    `goal`, 0–1), or a figure reported as is heading for `goal` (in its own unit)."""

    role: str  # "total" | "part" | "level"
    goal: float
    total: str = ""
    value_type: str = "integer"
    decrease: bool = False


def _element_shapes() -> dict[str, _Shape]:
    """The generic shape of every data element an indicator uses, read from the catalogue; the goal
    is the highest target of the programmes on that indicator (a share for numerators)."""
    goals: dict[int, float] = {}
    for indicator_id, value in Target.objects.values_list("indicator_id", "value"):
        goals[indicator_id] = max(goals.get(indicator_id, 0.0), float(value))
    types = dict(DataElement.objects.values_list("code", "value_type"))
    shapes: dict[str, _Shape] = {}
    indicators = Indicator.objects.select_related("numerator", "denominator", "reported_as")
    for indicator in indicators.order_by("code"):
        goal = goals.get(indicator.pk)
        decrease = indicator.direction == Direction.DECREASE
        if (
            indicator.computation == Computation.RATIO
            and indicator.numerator
            and indicator.denominator
        ):
            total = indicator.denominator.code
            shapes.setdefault(total, _Shape("total", 0.0, value_type=types[total]))
            share = min(1.0, (goal or 85.0) / float(indicator.multiplier))
            shapes.setdefault(
                indicator.numerator.code,
                _Shape("part", share, total, types[indicator.numerator.code], decrease),
            )
        elif indicator.reported_as:
            code = indicator.reported_as.code
            fallback = 80.0 if types[code] == "percent" else 100.0
            shapes.setdefault(code, _Shape("level", goal or fallback, "", types[code], decrease))
    return shapes


def _progress(seed: int, unit: OrgUnit, code: str, years: float) -> float:
    """Where one unit stands on one element after `years` since 2021, as a fraction of the goal:
    about half start well along and move fast, many move slowly, a few fall back."""
    rng = _rng(str(seed), "element", unit.structure, unit.code, code)
    kind = rng.random()
    growth = 0.1 if kind < 0.45 else 0.04 if kind < 0.85 else -0.02
    return rng.uniform(0.45, 0.8) + growth * years


def _generic_values(
    shapes: dict[str, _Shape],
    codes: list[str],
    unit: OrgUnit,
    starts_on: datetime.date,
    seed: int,
    rng: random.Random,
    known: dict[str, Decimal | int],
) -> dict[str, Decimal | int]:
    """Figures for the elements of `codes` by their generic shape (totals first, then parts of
    them or of the `known` hand-written figures)."""
    years = (starts_on - datetime.date(2021, 1, 1)).days / 365.25
    size = _profile(seed, unit).size / (1 if unit.tier == Tier.PROVINCE else 600)
    figures: dict[str, Decimal | int] = {}
    for code in sorted(codes, key=lambda c: shapes[c].role != "total"):
        shape = shapes[code]
        progress = max(0.05, _progress(seed, unit, code, years) + rng.gauss(0, 0.02))
        if shape.decrease:
            progress = 2 - min(progress, 1.9)  # lower is better: the figure falls as work goes on
        if shape.role == "total":
            typical = (
                _PROVINCE_TOTALS.get(code, _DEFAULT_TOTAL)
                if unit.tier == Tier.PROVINCE
                else _DEFAULT_TOTAL
            )
            figures[code] = max(1, int(typical * size * (1 + 0.02 * years)))
        elif shape.role == "part" and (shape.total in figures or shape.total in known):
            whole = int(figures.get(shape.total, known.get(shape.total, 0)))
            figures[code] = min(whole, int(whole * min(1.0, shape.goal * progress)))
        elif shape.role == "level":
            value = shape.goal * progress
            if shape.value_type == "percent":
                figures[code] = Decimal(str(round(min(100.0, value), 2)))
            elif shape.value_type == "decimal":
                figures[code] = Decimal(str(round(value, 2)))
            else:
                figures[code] = max(0, round(value))
    return figures


def _status(
    rng: random.Random, period: Period, today: datetime.date, profile: _Profile
) -> str | None:
    """None means the unit did not report. Older periods are mostly approved."""
    draw = rng.random()
    if period.cutoff_to >= today:  # the open period: a mix of work in progress
        return None if draw < 0.45 else Status.DRAFT if draw < 0.75 else Status.SUBMITTED
    if draw > profile.punctuality + 0.04:
        return None
    recent = (today - period.cutoff_to).days < 200
    if recent and draw < 0.05:
        return Status.RETURNED
    if recent and draw < 0.15:
        return Status.SUBMITTED
    return Status.APPROVED


def _report_for(
    regime: ReportingRegime,
    period: Period,
    unit: OrgUnit,
    status: str,
    rng: random.Random,
    profile: _Profile,
) -> Report:
    due = due_date(regime, period, unit)
    now = timezone.now()
    report = Report(
        regime=regime, period=period, org_unit=unit, status=status, due_on=due, is_illustrative=True
    )
    if status in {Status.SUBMITTED, Status.APPROVED, Status.RETURNED}:
        late = rng.random() > profile.punctuality
        day = due + datetime.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 3))
        sent = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 7)))
        )
        # Nothing is sent in the future: a report due later was sent in the last three days.
        report.submitted_at = (
            sent if sent <= now else now - datetime.timedelta(minutes=rng.randint(10, 3 * 24 * 60))
        )
        if status != Status.SUBMITTED:
            decided = report.submitted_at + datetime.timedelta(days=rng.randint(1, 6))
            report.decided_at = min(decided, now)
        if status == Status.RETURNED:
            report.return_reason = (
                "Số liệu hồ sơ trực tuyến chưa khớp với hệ thống một cửa điện tử; đề nghị rà soát."
            )
    return report


def generate_illustrative(
    today: datetime.date | None = None,
    seed: int = DEFAULT_SEED,
    provinces: list[str] | None = None,
    since: datetime.date | None = None,
) -> IllustrativeResult:
    """Create illustrative reports for every regime and period up to `today`; existing reports are kept.

    `provinces` limits the run to some legacy province codes (and their successors); `since` skips
    earlier periods (both used to keep tests small).
    """
    today = today or timezone.localdate()
    agencies = ensure_sample_agencies()
    shapes = _element_shapes()
    reports = values = 0
    for regime in ReportingRegime.objects.filter(code__in=["cds-dinh-ky-quy", "cds-thong-ke-nam"]):
        for period in ensure_periods(regime, today):
            if since and period.cutoff_to < since:
                continue
            made, count = _generate_period(regime, period, today, seed, provinces, shapes)
            reports, values = reports + made, values + count
    return IllustrativeResult(agencies, reports, values)


def _in_sample(unit: OrgUnit, provinces: list[str] | None) -> bool:
    if provinces is None:
        return True
    codes = (
        set(provinces)
        if unit.structure == Structure.LEGACY
        else {SAMPLE_CURRENT_PROVINCES[SAMPLE_LEGACY_PROVINCES.index(c)] for c in provinces}
    )
    return unit.path.split("/")[1] in codes


def _generate_period(
    regime: ReportingRegime,
    period: Period,
    today: datetime.date,
    seed: int,
    provinces: list[str] | None,
    shapes: dict[str, _Shape],
) -> tuple[int, int]:
    existing = set(
        Report.objects.filter(regime=regime, period=period).values_list("org_unit_id", flat=True)
    )
    elements = {f.data_element.code: f.data_element_id for f in form_fields(regime, period, None)}
    on_form: dict[str, set[str]] = {}  # tier -> the codes its units report (form_fields)
    step = (period.starts_on.year - regime.first_year) * 4 + (period.starts_on.month - 1) // 3
    planned: list[tuple[Report, dict[str, Decimal | int]]] = []
    for unit in expected_units(regime, period).order_by("path"):
        if unit.pk in existing or not _in_sample(unit, provinces):
            continue
        profile = _profile(seed, unit)
        rng = _rng(str(seed), regime.code, period.code, unit.structure, unit.code)
        status = _status(rng, period, today, profile)
        if status is None:
            continue
        figures: dict[str, Decimal | int] = (
            _annual_values(unit, period.starts_on.year, rng)
            if regime.frequency == "annual"
            else _quarterly_values(profile, step, rng)
        )
        generic = [c for c in elements if c not in figures and c in shapes]
        figures.update(_generic_values(shapes, generic, unit, period.starts_on, seed, rng, figures))
        if unit.tier not in on_form:
            on_form[unit.tier] = {
                f.data_element.code for f in form_fields(regime, period, unit.tier)
            }
        figures = {c: v for c, v in figures.items() if c in on_form[unit.tier]}
        planned.append((_report_for(regime, period, unit, status, rng, profile), figures))
    with transaction.atomic():
        Report.objects.bulk_create([report for report, _f in planned], batch_size=1000)
        rows = [
            DataValue(report=report, data_element_id=elements[code], value=Decimal(value))
            for report, figures in planned
            for code, value in figures.items()
            if code in elements
        ]
        DataValue.objects.bulk_create(rows, batch_size=2000)
        ledger.record([report.pk for report, _f in planned], "generated", None)
    return len(planned), len(rows)
