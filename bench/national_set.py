"""A national-scale reporting data set for benchmarks (issues #3 and #5), made up and deterministic.

Every province of both structures reports the quarterly regime "cds-dinh-ky-quy" on a 60-element
form: the regime's sample elements, the other countable elements of the indicator catalogue, and
synthetic `bench_*` elements that exist only to give the form its size. Agencies are added under
each province so that about 11,000 legacy units (communes, districts, agencies) report every quarter
from 2021Q1 to 2025Q2 and about 4,000 current units (communes, agencies) from 2025Q3 to the last
closed quarter. Every report is approved and marked illustrative.

Call `generate()` after `django.setup()`, on a database where the units, the indicator catalogue,
the sample programmes and the sample regimes are loaded (as `lotrinh demo` does). Rows are written
with `lotrinh.core.bulk.insert_rows` (COPY on PostgreSQL), one transaction per quarter.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from lotrinh.core.bulk import insert_rows
from lotrinh.indicators.models import DataElement
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.orgunits.services import add_agency
from lotrinh.reporting.illustrative import (
    CURRENT_AGENCIES,
    DEFAULT_SEED,
    LEGACY_AGENCIES,
    _profile,
    _quarterly_values,
    _rng,
)
from lotrinh.reporting.models import (
    DataValue,
    FormField,
    Period,
    Report,
    ReportingRegime,
    Status,
    ValidationRule,
)
from lotrinh.reporting.queries import due_date, expected_units
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.usual_ranges import refresh_usual_ranges

REGIME = "cds-dinh-ky-quy"
ELEMENTS = 60
# Departments per province: with the counts (≈4,000 current and ≈11,000 legacy reporting
# units) this gives 3,321 + 34 × 20 = 4,001 and 10,035 + 696 + 63 × 5 = 11,046.
AGENCIES_PER_PROVINCE = {Structure.CURRENT: 20, Structure.LEGACY: 5}
EXTRA_CURRENT_AGENCIES = [
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
    "Trường Chính trị tỉnh",
]
AGENCY_NAMES = {
    Structure.CURRENT: CURRENT_AGENCIES + EXTRA_CURRENT_AGENCIES,
    Structure.LEGACY: LEGACY_AGENCIES,
}
TIERS = (Tier.AGENCY, Tier.DISTRICT, Tier.COMMUNE)
# How fast a province's units improve, relative to their own profile, drawn per province, element
# family and tier: most improve, some stall, a few slip back, so assessments get a mix of statuses.
GROWTH_FACTORS = (-0.6, 0.2, 0.5, 0.8, 1.0, 1.0, 1.3, 1.6, 2.2)


@dataclass(frozen=True)
class Part:
    """A count within a family's total: it starts at a share of `bound` and grows with the unit."""

    code: str
    bound: str
    start: tuple[float, float] = (0.15, 0.6)
    growth: float = 1.0


@dataclass(frozen=True)
class Family:
    """A total (the denominator) with typical sizes per tier (agency, district, commune) and the
    counts that cannot exceed it. `binary`: each unit counts 0 or 1 (a commune is or is not …)."""

    total: str
    sizes: tuple[float, float, float]
    parts: tuple[Part, ...]
    binary: bool = False


# The catalogue's countable elements that the sample form lacks, as numerator/denominator families.
CATALOGUE_FAMILIES = (
    Family(
        "tong_bao_cao_dinh_ky",
        (30, 45, 18),
        (Part("bao_cao_dinh_ky_tren_httt_bao_cao", "tong_bao_cao_dinh_ky"),),
    ),
    Family(
        "tong_co_quan_don_vi_nha_nuoc",
        (5, 14, 3),
        (
            Part("co_quan_cung_cap_du_lieu_mo", "tong_co_quan_don_vi_nha_nuoc", (0.05, 0.3)),
            Part("co_quan_hop_qua_httt_phuc_vu_hop", "tong_co_quan_don_vi_nha_nuoc"),
            Part("co_quan_co_mang_lan_bang_rong", "tong_co_quan_don_vi_nha_nuoc", (0.5, 0.9), 0.5),
            Part(
                "co_quan_trien_khai_chinh_quyen_dien_tu", "tong_co_quan_don_vi_nha_nuoc", (0.3, 0.7)
            ),
        ),
    ),
    Family(
        "tong_so_xa",
        (0, 0, 1),
        (
            Part("xa_chuyen_doi_so", "tong_so_xa", (0.05, 0.35)),
            Part("xa_co_bang_rong", "tong_so_xa", (0.4, 0.8), 0.6),
            Part("xa_co_cap_quang", "xa_co_bang_rong", (0.5, 0.9), 0.6),
        ),
        binary=True,
    ),
    Family(
        "tong_ho_gia_dinh",
        (0, 0, 2600),
        (
            Part("ho_gia_dinh_co_bang_rong", "tong_ho_gia_dinh", (0.45, 0.8), 0.6),
            Part("ho_gia_dinh_co_cap_quang", "ho_gia_dinh_co_bang_rong", (0.6, 0.9), 0.4),
        ),
    ),
    Family(
        "dan_so",
        (0, 0, 9500),
        (
            Part("dan_so_truong_thanh", "dan_so", (0.72, 0.8), 0.0),
            Part("nguoi_co_tai_khoan_thanh_toan_dien_tu", "dan_so_truong_thanh", (0.3, 0.55)),
            Part("nguoi_co_ho_so_suc_khoe_dien_tu", "dan_so", (0.1, 0.4)),
        ),
    ),
    Family(
        "tong_co_so_giao_duc",
        (1, 3, 4),
        (
            Part("truong_hoc_ket_noi_bang_rong", "tong_co_so_giao_duc", (0.5, 0.9), 0.5),
            Part("co_so_giao_duc_co_trang_thong_tin", "tong_co_so_giao_duc", (0.3, 0.7)),
            Part("co_so_giao_duc_ung_dung_cntt_quan_tri", "tong_co_so_giao_duc"),
        ),
    ),
    Family(
        "tong_hoc_sinh_sinh_vien",
        (0, 600, 1800),
        (Part("hoc_sinh_sinh_vien_tiep_can_hoc_lieu_truc_tuyen", "tong_hoc_sinh_sinh_vien"),),
    ),
    Family(
        "tong_co_so_kham_chua_benh",
        (1, 3, 2),
        (Part("co_so_kham_chua_benh_tu_xa", "tong_co_so_kham_chua_benh", (0.05, 0.3)),),
    ),
    Family(
        "httt_lien_quan_nguoi_dan_doanh_nghiep",
        (4, 2, 1),
        (Part("httt_ket_noi_nen_tang_tich_hop", "httt_lien_quan_nguoi_dan_doanh_nghiep"),),
    ),
    Family(
        "tong_he_thong_ung_dung",
        (8, 5, 2),
        (Part("he_thong_ung_dung_ipv6", "tong_he_thong_ung_dung", (0.05, 0.3)),),
    ),
    Family(
        "tong_san_pham_thuong_hieu",
        (0, 4, 6),
        (Part("san_pham_thuong_hieu_tren_san_tmdt", "tong_san_pham_thuong_hieu"),),
    ),
)
# Catalogue elements bounded by the sample form's own figures (computed after them).
SAMPLE_PARTS = (
    Part("so_dvctt_tich_hop_cong_dvc_quoc_gia", "so_dvctt", (0.4, 0.8)),
    Part("che_do_bao_cao_tich_hop_httt_bao_cao", "che_do_bao_cao_tren_httt_bao_cao", (0.3, 0.7)),
)
ELIGIBLE_FOR_ONLINE = "so_tthc_du_dieu_kien_dvctt"  # between so_dvctt and tong_so_tthc
SYNTHETIC_SIZES = (400.0, 600.0, 150.0)


@dataclass(frozen=True)
class Summary:
    legacy_units: int
    current_units: int
    agencies_added: int
    elements: int
    periods: int
    reports: int
    values: int
    seconds: float


def _quarter_step(period: Period, first_year: int) -> int:
    return (period.starts_on.year - first_year) * 4 + (period.starts_on.month - 1) // 3


def _clamp(share: float) -> float:
    return 0.0 if share < 0.0 else 0.99 if share > 0.99 else share


class UnitFigures:
    """One unit's way of reporting: its sizes, starting shares and growth for every element family.

    Everything is drawn once from (seed, unit) and the province's factors; `figures(step, rng)` then
    gives one quarter's counts.
    """

    def __init__(
        self, seed: int, unit: OrgUnit, factor: Callable[[str], float], synthetic: int
    ) -> None:
        rng = _rng(str(seed), "national", unit.structure, unit.code)
        tier = TIERS.index(Tier(unit.tier)) if unit.tier in TIERS else 0
        own = _profile(seed, unit)
        growth = own.online_growth  # the unit's own pace; each family scales it by its factor
        self.profile = dataclasses.replace(
            own,
            online_growth=own.online_growth * factor("online"),
            service_growth=own.service_growth * factor("service"),
        )
        # (size, noise, growth per quarter) of each total; a binary total is 1 for the units it counts.
        self.sizes = {
            f.total: (f.sizes[tier], 0.0, 0.0)
            if f.binary
            else (f.sizes[tier] * rng.uniform(0.6, 1.5), 0.03, 0.004)
            for f in CATALOGUE_FAMILIES
        }
        self.parts: list[tuple[Part, float, float, bool]] = [
            (
                part,
                rng.uniform(*part.start),
                growth * factor(family.total) * part.growth,
                family.binary,
            )
            for family in CATALOGUE_FAMILIES
            for part in family.parts
        ]
        self.parts += [
            (part, rng.uniform(*part.start), growth * factor(part.code), False)
            for part in SAMPLE_PARTS
        ]
        self.eligible = rng.uniform(0.2, 0.8)
        scale = SYNTHETIC_SIZES[tier] * rng.uniform(0.6, 1.5)
        self.synthetic = [
            (scale * rng.uniform(0.5, 2.0), rng.uniform(0.2, 0.7), growth * 0.5)
            for _pair in range((synthetic + 1) // 2)
        ]
        self.synthetic_count = synthetic

    def figures(self, step: int, rng: random.Random) -> dict[str, int]:
        """Counts for the quarter `step` quarters after 2021Q1; every part ≤ the figure it bounds."""
        values = {
            code: int(value) for code, value in _quarterly_values(self.profile, step, rng).items()
        }
        values[ELIGIBLE_FOR_ONLINE] = values["so_dvctt"] + int(
            (values["tong_so_tthc"] - values["so_dvctt"]) * self.eligible
        )
        for total, (size, noise, trend) in self.sizes.items():
            values[total] = round(size * (1 + noise * (2 * rng.random() - 1) + trend * step))
        for part, start, growth, binary in self.parts:
            share = _clamp(start + growth * step + rng.gauss(0, 0.02))
            bound = values[part.bound]
            if binary:
                values[part.code] = bound if rng.random() < share else 0
            else:
                values[part.code] = round(bound * share)
        self._synthetic(step, rng, values)
        return values

    def _synthetic(self, step: int, rng: random.Random, values: dict[str, int]) -> None:
        for number, (size, start, growth) in enumerate(self.synthetic, start=1):
            total = int(size * (0.9 + 0.2 * rng.random()))
            values[synthetic_code("tong", number)] = total
            if 2 * number <= self.synthetic_count:
                share = _clamp(start + growth * step + (rng.random() - 0.5) * 0.04)
                values[synthetic_code("so", number)] = int(total * share)


def synthetic_code(kind: str, number: int) -> str:
    return f"bench_{kind}_{number:02d}"


def _catalogue_order() -> list[str]:
    """Catalogue elements added to the form, in form order (each total before its parts)."""
    codes = [ELIGIBLE_FOR_ONLINE] + [part.code for part in SAMPLE_PARTS]
    for family in CATALOGUE_FAMILIES:
        codes += [family.total] + [part.code for part in family.parts]
    return codes


def _synthetic_element(number: int) -> DataElement:
    """The `number`-th synthetic element: odd ones are totals, even ones a count within the total."""
    pair = (number + 1) // 2
    kind = "tong" if number % 2 else "so"
    name = (
        f"Tổng số đối tượng thử nghiệm {pair:02d} (chỉ tiêu giả lập cho benchmark)"
        if kind == "tong"
        else f"Số đối tượng thử nghiệm {pair:02d} đã số hóa (chỉ tiêu giả lập cho benchmark)"
    )
    element, _created = DataElement.objects.get_or_create(
        code=synthetic_code(kind, pair),
        defaults={
            "name": name,
            "name_en": f"Synthetic benchmark element {kind} {pair:02d} (not a real quantity)",
            "description": "Made up for the national-scale benchmark set; not a real indicator.",
        },
    )
    return element


def _extend_form(regime: ReportingRegime, elements: int) -> list[tuple[str, int]]:
    """Add catalogue and synthetic elements to the regime's form up to `elements` fields (idempotent);
    return (code, id) of every field in form order."""
    on_form = list(regime.fields.order_by("position").values_list("data_element__code", flat=True))
    if elements < len(on_form):
        raise ValueError(f"the form already has {len(on_form)} fields, more than {elements}")
    known = set(DataElement.objects.values_list("code", flat=True))
    extra = [c for c in _catalogue_order() if c in known and c not in on_form]
    extra = extra[: elements - len(on_form)]
    new = list(DataElement.objects.filter(code__in=extra))
    new.sort(key=lambda element: extra.index(element.code))
    synthetic = sum(code.startswith("bench_") for code in on_form)
    new += [
        _synthetic_element(n)
        for n in range(synthetic + 1, synthetic + 1 + elements - len(on_form) - len(new))
    ]
    position = regime.fields.count()
    for element in new:
        position += 1
        FormField.objects.get_or_create(
            regime=regime,
            data_element=element,
            defaults={
                "position": position,
                "section": "Bộ số liệu quốc gia (benchmark)",
                "is_required": False,
            },
        )
    codes = set(regime.fields.values_list("data_element__code", flat=True))
    for pair in range(1, 100):
        if synthetic_code("so", pair) not in codes:
            break
        ValidationRule.objects.get_or_create(
            regime=regime,
            code=f"bench-so-{pair:02d}-khong-vuot-tong",
            defaults={
                "expression": f"{synthetic_code('so', pair)} <= {synthetic_code('tong', pair)}",
                "message_vi": "Số đối tượng đã số hóa không được lớn hơn tổng số (chỉ tiêu giả lập).",
                "message_en": "The digitised count cannot exceed the total (synthetic element).",
            },
        )
    return list(
        regime.fields.order_by("position").values_list("data_element__code", "data_element_id")
    )


def _provinces(codes: list[str] | None) -> tuple[list[OrgUnit], dict[tuple[str, str], str]]:
    """The selected current provinces with their legacy predecessors, and for each (structure,
    province code) the current province it is (or became): legacy units follow their successor's
    trajectory factors, so series stay continuous across the reform."""
    current = OrgUnit.objects.filter(structure=Structure.CURRENT, tier=Tier.PROVINCE).order_by(
        "code"
    )
    if codes is not None:
        current = current.filter(code__in=codes)
    selected = list(current)
    current_of = {(Structure.CURRENT.value, p.code): p.code for p in selected}
    links = (
        OrgUnitSuccession.objects.filter(predecessor__tier=Tier.PROVINCE, successor__in=selected)
        .select_related("predecessor", "successor")
        .order_by("predecessor__code", "-is_default")
    )
    for link in links:
        key = (Structure.LEGACY.value, link.predecessor.code)
        if key not in current_of:
            current_of[key] = link.successor.code
            selected.append(link.predecessor)
    return selected, current_of


def _ensure_agencies(provinces: Sequence[OrgUnit]) -> int:
    """Give every province at least AGENCIES_PER_PROVINCE departments (existing ones count)."""
    added = 0
    for province in provinces:
        have = OrgUnit.objects.filter(parent=province, tier=Tier.AGENCY).count()
        names = AGENCY_NAMES[Structure(province.structure)]
        for number in range(have + 1, AGENCIES_PER_PROVINCE[Structure(province.structure)] + 1):
            name = names[(number - 1) % len(names)]
            add_agency(province, name, f"{province.code}-N{number:02d}")
            added += 1
    return added


class _Units:
    """Each unit's UnitFigures, built once, with growth factors per (current province, family, tier)."""

    def __init__(self, seed: int, current_of: dict[tuple[str, str], str], synthetic: int) -> None:
        self.seed, self.current_of, self.synthetic = seed, current_of, synthetic
        self._factors: dict[tuple[str, str, str], float] = {}
        self._units: dict[int, UnitFigures] = {}

    def province(self, unit: OrgUnit) -> str | None:
        return self.current_of.get((unit.structure, unit.path.split("/")[1]))

    def _factor(self, province: str, tier: str, family: str) -> float:
        key = (province, family, tier)
        if key not in self._factors:
            self._factors[key] = _rng(str(self.seed), "factor", *key).choice(GROWTH_FACTORS)
        return self._factors[key]

    def of(self, unit: OrgUnit) -> UnitFigures:
        if unit.pk not in self._units:
            province = self.province(unit) or ""
            self._units[unit.pk] = UnitFigures(
                self.seed,
                unit,
                lambda family: self._factor(province, unit.tier, family),
                self.synthetic,
            )
        return self._units[unit.pk]


REPORT_FIELDS = (
    "regime", "period", "org_unit", "status", "version", "due_on", "created_at", "updated_at",
    "submitted_at", "decided_at", "return_reason", "is_illustrative",
)  # fmt: skip
VALUE_FIELDS = (
    "report", "data_element", "value", "comment", "version", "updated_at",
)  # fmt: skip


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    """Database column names of the model's fields (so a renamed column needs no change here)."""
    fields = [model._meta.get_field(name) for name in names]
    return [field.column for field in fields if isinstance(field, Field) and field.column]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """`hour` hours after 9:00 in Vietnam (UTC+7) on `day`, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(2 + hour), tzinfo=datetime.UTC)


def _stamp(now: datetime.datetime) -> Any:
    """A timestamp as the database takes it, formatted once for the millions of rows that carry it."""
    adapted = connection.ops.adapt_datetimefield_value(now)
    return adapted if isinstance(adapted, str) else now.isoformat()


class _Quarter:
    """Writes one quarter: an approved report per unit, then its figures, in one transaction."""

    def __init__(
        self, regime: ReportingRegime, period: Period, units: _Units, today: datetime.date
    ) -> None:
        self.regime, self.period, self.units, self.today = regime, period, units, today
        self.now = timezone.now()
        self.step = _quarter_step(period, regime.first_year)

    def _report(self, unit: OrgUnit) -> tuple[Any, ...]:
        rng = _rng(str(self.units.seed), "submitted", self.period.code, unit.structure, unit.code)
        due = due_date(self.regime, self.period, unit)
        late = rng.random() > self.units.of(unit).profile.punctuality
        day = due + datetime.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 3))
        submitted = min(_at(min(day, self.today), rng.randint(0, 7)), self.now)
        decided = min(submitted + datetime.timedelta(days=rng.randint(1, 6)), self.now)
        return (
            self.regime.pk, self.period.pk, unit.pk, Status.APPROVED.value, 1, due,
            submitted, decided, submitted, decided, "", True,
        )  # fmt: skip

    def _values(
        self, units: Sequence[OrgUnit], reports: dict[int, int], form: Sequence[tuple[str, int]]
    ) -> Iterator[tuple[Any, ...]]:
        seed, stamp = str(self.units.seed), _stamp(self.now)
        for unit in units:
            rng = _rng(seed, self.period.code, unit.structure, unit.code)
            figures = self.units.of(unit).figures(self.step, rng)
            report = reports[unit.pk]
            for code, element in form:
                value = figures.get(code)
                if value is not None:
                    yield (report, element, value, "", 1, stamp)

    def write(self, units: Sequence[OrgUnit], form: Sequence[tuple[str, int]]) -> tuple[int, int]:
        """Write reports and figures for the units that have no report yet; return both counts."""
        existing = set(
            Report.objects.filter(regime=self.regime, period=self.period).values_list(
                "org_unit_id", flat=True
            )
        )
        todo = [unit for unit in units if unit.pk not in existing]
        with transaction.atomic():
            insert_rows(Report, _columns(Report, REPORT_FIELDS), (self._report(u) for u in todo))
            reports = dict(
                Report.objects.filter(regime=self.regime, period=self.period).values_list(
                    "org_unit_id", "pk"
                )
            )
            values = insert_rows(
                DataValue, _columns(DataValue, VALUE_FIELDS), self._values(todo, reports, form)
            )
        return len(todo), values


def _vacuum() -> float:
    """VACUUM ANALYZE (PostgreSQL, outside a transaction), as autovacuum would after a while: the
    planner then knows the tables' sizes, and index-only scans work."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def generate(
    *,
    provinces: list[str] | None = None,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    since: datetime.date | None = None,
    elements: int = ELEMENTS,
    log: Callable[[str], None] = print,
) -> Summary:
    """Build the national-scale set and return its exact totals.

    `provinces` limits it to some current provinces (GSO codes) and their legacy predecessors;
    `since` skips quarters whose data are counted before that day; `elements` sizes the form (60 by
    default: with every quarter from 2021Q1 this gives about 13 million figures; about 92 gives 20
    million). Units that already have a report for a quarter are left alone, so it can run again.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    regime = ReportingRegime.objects.get(code=REGIME)
    selected, current_of = _provinces(provinces)
    with transaction.atomic():
        regime.scopes.add(*selected)
        agencies = _ensure_agencies(selected)
        form = _extend_form(regime, elements)
    periods = [
        p
        for p in ensure_periods(regime, today)
        if p.cutoff_to < today and (since is None or p.cutoff_to >= since)
    ]
    log(
        f"national set: {len(selected)} provinces, {agencies} agencies added, {len(form)} elements on the "
        f"form, {len(periods)} quarters ({periods[0].code if periods else '-'}–{periods[-1].code if periods else '-'})"
    )
    units = _Units(seed, current_of, sum(code.startswith("bench_") for code, _id in form))
    reporting: dict[str, set[int]] = {Structure.LEGACY: set(), Structure.CURRENT: set()}
    reports = values = 0
    for period in periods:
        quarter = _Quarter(regime, period, units, today)
        expected = [u for u in expected_units(regime, period).order_by("path") if units.province(u)]
        made, count = quarter.write(expected, form)
        reports, values = reports + made, values + count
        for unit in expected:
            reporting[unit.structure].add(unit.pk)
        log(
            f"  {period.code}: {len(expected):6,} units, {made:6,} reports, {count:9,} values, {time.perf_counter() - started:6.1f} s"
        )
    # As approving them through the workflow would: keep each unit's usual ranges for the period
    # that follows the last one written (reporting.usual_ranges).
    following = (
        regime.periods.filter(starts_on__gt=periods[-1].starts_on).order_by("starts_on").first()
        if periods
        else None
    )
    if following is not None:
        begun = time.perf_counter()
        kept = refresh_usual_ranges(regime, following)
        log(
            f"  usual ranges of {following.code} kept for {kept:,} units: {time.perf_counter() - begun:.1f} s"
        )
    vacuum = _vacuum()
    if vacuum:
        log(f"  VACUUM ANALYZE: {vacuum:.1f} s")
    summary = Summary(
        legacy_units=len(reporting[Structure.LEGACY]),
        current_units=len(reporting[Structure.CURRENT]),
        agencies_added=agencies,
        elements=len(form),
        periods=len(periods),
        reports=reports,
        values=values,
        seconds=time.perf_counter() - started,
    )
    log(
        f"national set: {summary.legacy_units:,} legacy and {summary.current_units:,} current reporting units, "
        f"{summary.reports:,} approved reports, {summary.values:,} values, {summary.seconds:.1f} s"
    )
    return summary
