"""The published datasets, built from the database: one per indicator × province, one per programme.

Every figure comes through `lotrinh.reporting.publication` (approved, not confidential) and the
indicator series of `lotrinh.assessment.series` (sums first, then divides). Each server process
keeps the list of datasets of one version of the published data, which changes whenever a report
is approved or reopened or a published figure is added; the version is read again at most
LOTRINH_OPEN_DATA_FRESHNESS_SECONDS after it was last read, so an approval shows within that.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, Exists, Func, Max, Min, OuterRef, Q, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from unidecode import unidecode

from lotrinh.assessment.models import Assessment
from lotrinh.assessment.scoring import DEFAULT_METHOD
from lotrinh.assessment.series import indicator_series
from lotrinh.indicators.models import Computation, DataElement, Indicator, Programme, Target
from lotrinh.opendata.responses import ResponseKeeper
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, Structure, Tier
from lotrinh.reporting.models import FormField, Report, Status
from lotrinh.reporting.publication import confidential_indicators, published_observations
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress
from lotrinh.workplan.queries import with_state

INDICATOR, PROGRAMME = "indicator", "programme"
KIND_LABELS = {INDICATOR: _("Indicator by province"), PROGRAMME: _("Programme targets")}
FORMATS = ("CSV", "XLSX", "JSON")
TASKS = "tasks"
_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4c1e-9d0f-2a4b6c8e0a1b")


@dataclass(frozen=True)
class Organisation:
    """The province that publishes a dataset, in the structure valid for its figures."""

    name: str  # slug, e.g. "gia-lai" or "binh-dinh-truoc-2025"
    title: str
    code: str
    structure: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    pk: int


@dataclass(frozen=True)
class Dataset:
    """One published dataset: its identity, description and facets, without its rows."""

    name: str
    kind: str
    title: str
    title_en: str
    description: str
    pillar: str
    organisation: Organisation
    indicator_code: str = ""
    programme_code: str = ""
    unit: str = ""
    years: tuple[int, ...] = ()
    created: datetime.datetime | None = None
    modified: datetime.datetime | None = None

    @property
    def tags(self) -> tuple[str, ...]:
        """Keywords: the pillar, the kind and the indicator's code."""
        return tuple(t for t in (self.pillar, self.kind, self.indicator_code) if t)


@dataclass(frozen=True)
class Resource:
    """One file of a dataset: its key in the download's address and the resource's id
    (`<dataset>-<key>`), its format, and which of the dataset's tables it holds ("" its rows,
    TASKS a programme's tasks)."""

    key: str
    format: str
    part: str = ""

    @property
    def datastore(self) -> bool:
        """Whether `datastore_search` reads it (one per table: the CSV)."""
        return self.format == "CSV"


def resources_of(dataset: Dataset) -> list[Resource]:
    found = [Resource(fmt.lower(), fmt) for fmt in FORMATS]
    if dataset.kind == INDICATOR:
        found += [Resource("sdmx-csv", "SDMX-CSV"), Resource("sdmx-json", "SDMX-JSON")]
    if dataset.kind == PROGRAMME:
        found += [Resource(f"{TASKS}-csv", "CSV", TASKS), Resource(f"{TASKS}-json", "JSON", TASKS)]
    return found


def find_resource(dataset: Dataset, key: str) -> Resource | None:
    return next((r for r in resources_of(dataset) if r.key == key), None)


@dataclass(frozen=True)
class Column:
    id: str
    type: str  # CKAN DataStore types: text, numeric, int4, date, bool
    label: str | Promise


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, object]] = field(default_factory=list)


INDICATOR_COLUMNS = [
    Column("period_end", "date", _("Period ends")),
    Column("year", "int4", _("Year")),
    Column("unit_code", "text", _("Unit code")),
    Column("unit_name", "text", _("Unit")),
    Column("structure", "text", _("Administrative structure")),
    Column("unit_valid_from", "date", _("Unit valid from")),
    Column("unit_valid_to", "date", _("Unit valid until")),
    Column("value", "numeric", _("Value")),
    Column("measure", "text", _("Measure")),
    Column("numerator", "numeric", _("Numerator")),
    Column("denominator", "numeric", _("Denominator")),
    Column("provisional", "bool", _("Provisional")),
    Column("units_expected", "int4", _("Units expected to report")),
    Column("units_approved", "int4", _("Units with approved figures")),
    Column("source", "text", _("Source")),
]
PROGRAMME_COLUMNS = [
    Column("line", "int4", _("Line")),
    Column("pillar", "text", _("Pillar")),
    Column("indicator_code", "text", _("Indicator code")),
    Column("indicator", "text", _("Indicator")),
    Column("tier", "text", _("Tier")),
    Column("year", "int4", _("Year")),
    Column("comparator", "text", _("Comparator")),
    Column("target_value", "numeric", _("Target value")),
    Column("target_value_max", "numeric", _("Upper value")),
    Column("measure", "text", _("Measure")),
    Column("status", "text", _("Status")),
    Column("latest_year", "numeric", _("Latest year")),
    Column("latest_value", "numeric", _("Latest value")),
    Column("forecast_value", "numeric", _("Forecast at the deadline")),
    Column("source_text", "text", _("Source sentence")),
]


def stable_id(kind: str, name: str) -> str:
    """The same UUID for the same name on every run and every server."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def ckan_time(moment: datetime.datetime | None) -> str | None:
    """CKAN's timestamps: naive UTC in ISO 8601 with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


TASK_COLUMNS = [
    Column("line", "int4", _("Line")),
    Column("title", "text", _("Task")),
    Column("lead_unit_code", "text", _("Lead agency code")),
    Column("lead_unit", "text", _("Lead agency")),
    Column("partners", "text", _("Partners")),
    Column("deadline", "text", _("Deadline")),
    Column("due_on", "date", _("Last day on time")),
    Column("status", "text", _("Status")),
    Column("status_label", "text", _("Status (label)")),
    Column("percent", "int4", _("Percent done")),
    Column("overdue", "bool", _("Overdue")),
    Column("as_of", "date", _("State on")),
]


def organisation_of(unit: OrgUnit) -> Organisation:
    slug = slugify(unidecode(unit.short_name or unit.name))
    if unit.structure == Structure.LEGACY:
        slug += "-truoc-2025"
    return Organisation(
        slug, unit.name, unit.code, unit.structure, unit.valid_from, unit.valid_to, unit.pk
    )


def indicator_dataset_name(indicator_code: str, organisation: Organisation) -> str:
    return f"{indicator_code}-{organisation.name}"


def programme_dataset_name(programme_code: str) -> str:
    return f"chi-tieu-{programme_code}"


def publication_version() -> tuple[object, ...]:
    """Changes when a report is approved, reopened or changed, published figures change, a
    target or task is added, removed or changed (its text too), a task's progress is approved,
    the day changes, or a data element becomes confidential."""
    reports = Report.objects.aggregate(
        changed=Max("updated_at"), approved=Count("pk", filter=Q(status=Status.APPROVED))
    )
    observations = published_observations().aggregate(
        n=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    programmes = Target.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    assessed = Assessment.objects.aggregate(last=Max("computed_at"))
    tasks = Task.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    progress = TaskProgress.objects.filter(state=ApprovalState.APPROVED).aggregate(
        n=Count("pk"), last=Max("decided_at")
    )
    secret = tuple(DataElement.objects.filter(is_confidential=True).values_list("pk", flat=True))
    return (
        *reports.values(),
        *observations.values(),
        *programmes.values(),
        *assessed.values(),
        *tasks.values(),
        *progress.values(),
        timezone.localdate(),  # a task's state (overdue) is of a day
        secret,
    )


@dataclass(frozen=True)
class Publication:
    """The datasets of one version of the published data, kept by each server process."""

    version: tuple[object, ...]
    datasets: list[Dataset]
    by_name: dict[str, Dataset]
    latest: datetime.datetime | None
    tables: dict[str, Table] = field(default_factory=dict)  # the rows of datasets asked for
    documents: dict[str, bytes] = field(default_factory=dict)  # see `kept_document`
    # Answers to anonymous requests of this version (lotrinh.opendata.responses).
    responses: ResponseKeeper = field(default_factory=ResponseKeeper.from_settings)


_kept: list[tuple[float, Publication]] = []  # (when its version was last confirmed, publication)


_refreshing = threading.Lock()


def publication() -> Publication:
    """The current datasets. The version is read again once it is older than
    LOTRINH_OPEN_DATA_FRESHNESS_SECONDS, and the datasets rebuilt only when it changed, so that
    under load most requests run no query for the list. One thread of the process reads and
    rebuilds; the others wait for its result instead of doing the same work."""
    kept = _fresh()
    if kept is not None:
        return kept
    with _refreshing:
        return _fresh() or _refreshed()


def _fresh() -> Publication | None:
    """The kept publication while its version is recent enough to trust."""
    kept = _kept[-1] if _kept else None
    fresh = settings.LOTRINH_OPEN_DATA_FRESHNESS_SECONDS
    if kept is not None and time.monotonic() - kept[0] < fresh:
        return kept[1]
    return None


def _refreshed() -> Publication:
    now = time.monotonic()
    kept = _kept[-1] if _kept else None
    version = publication_version()
    if kept is not None and kept[1].version == version:
        found = kept[1]
    else:
        datasets = sorted(_indicator_datasets() + _programme_datasets(), key=lambda d: d.name)
        found = Publication(
            version,
            datasets,
            {d.name: d for d in datasets},
            max((d.modified for d in datasets if d.modified), default=None),
        )
    _kept[:] = [(now, found)]
    return found


def list_datasets() -> list[Dataset]:
    return publication().datasets


def latest_change() -> datetime.datetime | None:
    """When the published data last changed: the newest dataset's last update."""
    return publication().latest


def get_dataset(name: str) -> Dataset | None:
    return publication().by_name.get(name)


def _publishable_indicators() -> dict[int, Indicator]:
    hidden = confidential_indicators()
    return {
        i.pk: i
        for i in Indicator.objects.exclude(pk__in=hidden.values("pk")).filter(
            Q(computation=Computation.RATIO) | Q(reported_as__isnull=False)
        )
    }


def _indicators_by_regime(indicators: dict[int, Indicator]) -> dict[int, list[Indicator]]:
    """The publishable indicators each regime's form carries every element of."""
    elements: dict[int, set[int]] = defaultdict(set)
    for regime_id, element_id in FormField.objects.values_list("regime_id", "data_element_id"):
        elements[regime_id].add(element_id)
    found: dict[int, list[Indicator]] = {}
    for regime_id, codes in elements.items():
        found[regime_id] = [
            i
            for i in indicators.values()
            if (i.computation == Computation.RATIO and {i.numerator_id, i.denominator_id} <= codes)
            or (i.computation == Computation.DIRECT and i.reported_as_id in codes)
        ]
    return found


def _province_path_of(field: str) -> Func:
    """In SQL, the path of the province a unit's `path` lies in: its first two parts
    ("2025/52/" of "2025/52/21583/")."""
    first = StrIndex(field, Value("/"))
    second = StrIndex(Substr(field, first + 1), Value("/"))
    return Substr(field, 1, first + second, output_field=CharField())


@dataclass
class _Facts:
    years: set[int] = field(default_factory=set)
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None

    def add(self, year: int, moment: datetime.datetime | None) -> None:
        self.years.add(year)
        if moment is not None:
            self.first = min(self.first or moment, moment)
            self.last = max(self.last or moment, moment)

    def merge(self, other: _Facts) -> None:
        self.years |= other.years
        for moment in (other.first, other.last):
            if moment is not None:
                self.first = min(self.first or moment, moment)
                self.last = max(self.last or moment, moment)


def _indicator_datasets() -> list[Dataset]:
    indicators = _publishable_indicators()
    by_regime = _indicators_by_regime(indicators)
    provinces = {u.path: u for u in OrgUnit.objects.filter(tier=Tier.PROVINCE)}
    # Grouped by province in the database: a row per regime, province and year (hundreds), not
    # per reporting unit (tens of thousands at national scale).
    approved = (
        Report.objects.filter(status=Status.APPROVED)
        .annotate(province_path=_province_path_of("org_unit__path"))
        .values_list("regime_id", "province_path", "period__cutoff_to__year")
        .annotate(first=Min("decided_at"), last=Max("decided_at"))
        .order_by()
    )
    by_province: dict[tuple[int, int], _Facts] = defaultdict(_Facts)
    for regime_id, path, year, first, last in approved:
        province = provinces.get(path)
        if province is not None and regime_id in by_regime:
            by_province[(regime_id, province.pk)].add(year, first)
            by_province[(regime_id, province.pk)].add(year, last)
    facts: dict[tuple[int, int], _Facts] = defaultdict(_Facts)
    for (regime_id, province_id), found in by_province.items():
        for indicator in by_regime[regime_id]:
            facts[(indicator.pk, province_id)].merge(found)
    by_id = {u.pk: u for u in provinces.values()}
    observed = published_observations().values_list("indicator_id", "org_unit_id", "year")
    for indicator_id, unit_id, year in observed:
        facts[(indicator_id, unit_id)].add(year, None)
    missing = {i for i, _u in facts if i not in indicators}
    indicators |= {i.pk: i for i in Indicator.objects.filter(pk__in=missing)}
    missing_units = {u for _i, u in facts if u not in by_id}
    by_id |= {u.pk: u for u in OrgUnit.objects.filter(pk__in=missing_units)}
    return [_indicator_dataset(indicators[i], by_id[u], fact) for (i, u), fact in facts.items()]


def _indicator_dataset(indicator: Indicator, province: OrgUnit, facts: _Facts) -> Dataset:
    organisation = organisation_of(province)
    return Dataset(
        name=indicator_dataset_name(indicator.code, organisation),
        kind=INDICATOR,
        title=f"{indicator.name} — {province.name}",
        title_en=f"{indicator.name_en or indicator.name} — {province.name}",
        description=indicator.description or indicator.name,
        pillar=indicator.pillar,
        organisation=organisation,
        indicator_code=indicator.code,
        unit=indicator.unit,
        years=tuple(sorted(facts.years)),
        created=facts.first,
        modified=facts.last,
    )


def _programme_datasets() -> list[Dataset]:
    """One per programme with targets or tasks: a programme that sets no target but assigns
    tasks publishes its tasks (and an empty list of targets)."""
    programmes = Programme.objects.select_related("org_unit").filter(
        Exists(Target.objects.filter(programme=OuterRef("pk")))
        | Exists(Task.objects.filter(programme=OuterRef("pk")))
    )
    years: dict[int, set[int]] = defaultdict(set)
    for programme_id, year in Target.objects.filter(year__isnull=False).values_list(
        "programme_id", "year"
    ):
        years[programme_id].add(int(year or 0))
    found = []
    for programme in programmes.order_by("code"):
        moment = datetime.datetime.combine(
            programme.issued_on, datetime.time(), tzinfo=datetime.UTC
        )
        found.append(
            Dataset(
                name=programme_dataset_name(programme.code),
                kind=PROGRAMME,
                title=f"{programme.number} — {programme.title}",
                title_en=f"{programme.number} — {programme.title}",
                description=programme.summary or programme.title,
                pillar="",
                organisation=organisation_of(programme.org_unit),
                programme_code=programme.code,
                years=tuple(sorted(years[programme.pk])),
                created=moment,
                modified=moment,
            )
        )
    return found


MAX_KEPT_TABLES = 512
MAX_KEPT_DOCUMENTS = 64


def kept_document(key: str, build: Callable[[], bytes]) -> bytes:
    """A document made from many datasets (data.json, a page of the DCAT catalogue, the SDMX
    structure), made once per version of the published data and address (`key`), so that a
    harvester reading it again costs a lookup."""
    kept = publication().documents
    found = kept.get(key)
    if found is None:
        found = build()
        if len(kept) < MAX_KEPT_DOCUMENTS:
            kept[key] = found
    return found


def dataset_table(dataset: Dataset, part: str = "") -> Table:
    """The dataset's rows (published figures only), or a programme's tasks (`part` TASKS);
    kept with the publication's version."""
    kept = publication().tables
    key = f"{dataset.name}:{part}"
    found = kept.get(key)
    if found is None:
        if part == TASKS and dataset.kind == PROGRAMME:
            found = _task_table(dataset)
        elif dataset.kind == PROGRAMME:
            found = _programme_table(dataset)
        else:
            found = _indicator_table(dataset)
        if len(kept) < MAX_KEPT_TABLES:
            kept[key] = found
    return found


def _unit_cells(unit: OrgUnit) -> dict[str, object]:
    return {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "structure": unit.structure,
        "unit_valid_from": unit.valid_from,
        "unit_valid_to": unit.valid_to,
    }


def _indicator_table(dataset: Dataset) -> Table:
    indicator = Indicator.objects.exclude(pk__in=confidential_indicators().values("pk")).get(
        code=dataset.indicator_code
    )
    province = OrgUnit.objects.get(pk=dataset.organisation.pk)
    legacy = province.structure == Structure.LEGACY
    table = Table(INDICATOR_COLUMNS)
    series = indicator_series(indicator, province, public=True)
    for point in series.points:
        # Only the periods of the province's own structure, whose unit code is valid for them.
        if point.source != "reports" or (point.day < REFORM_DATE) != legacy:
            continue
        table.rows.append(
            {
                "period_end": point.day,
                "year": point.day.year,
                **_unit_cells(province),
                "value": Decimal(str(round(point.value, 4))),
                "measure": indicator.unit,
                "numerator": point.numerator,
                "denominator": point.denominator,
                "provisional": point.provisional,
                "units_expected": point.expected,
                "units_approved": point.approved,
                "source": "reports",
            }
        )
    observations = published_observations(
        indicator.observations.filter(org_unit=province).order_by("year", "period_label")
    )
    for row in observations:
        table.rows.append(
            {
                "period_end": datetime.date(row.year, 12, 31),
                "year": row.year,
                **_unit_cells(province),
                "value": row.value,
                "measure": row.unit,
                "numerator": None,
                "denominator": None,
                "provisional": False,
                "units_expected": None,
                "units_approved": None,
                "source": row.source_url,
            }
        )
    table.rows.sort(key=lambda r: (r["period_end"], str(r["source"])))
    return table


def _programme_table(dataset: Dataset) -> Table:
    programme = Programme.objects.get(code=dataset.programme_code)
    hidden = set(confidential_indicators().values_list("pk", flat=True))
    assessments = {
        a.target_id: a
        for a in Assessment.objects.filter(target__programme=programme, method=DEFAULT_METHOD)
    }
    table = Table(PROGRAMME_COLUMNS)
    targets = Target.objects.filter(programme=programme).select_related("indicator")
    for target in targets.order_by("source_line"):
        # A confidential indicator's progress would give its figures away: its target only.
        assessment = None if target.indicator_id in hidden else assessments.get(target.pk)
        table.rows.append(
            {
                "line": target.source_line,
                "pillar": target.pillar,
                "indicator_code": target.indicator.code,
                "indicator": target.indicator_name,
                "tier": target.level,
                "year": target.year,
                "comparator": target.comparator,
                "target_value": target.value,
                "target_value_max": target.value_max,
                "measure": target.unit,
                "status": assessment.status if assessment else "",
                "latest_year": _rounded(assessment.latest_year if assessment else None),
                "latest_value": _rounded(assessment.latest_value if assessment else None),
                "forecast_value": _rounded(assessment.forecast_value if assessment else None),
                "source_text": target.text,
            }
        )
    return table


def _task_table(dataset: Dataset) -> Table:
    """The programme's tasks and their state today: the latest approved progress only, and no
    one's name (reporters and approvers stay inside)."""
    today = timezone.localdate()
    tasks: Any = (
        with_state(Task.objects.filter(programme__code=dataset.programme_code), today)
        .select_related("lead_unit")
        .prefetch_related("partners")
        .order_by("source_line", "due_on", "pk")
    )
    table = Table(TASK_COLUMNS)
    with override("vi"):
        labels = {code: str(label) for code, label in ProgressStatus.choices}
        for task in tasks:
            table.rows.append(
                {
                    "line": task.source_line,
                    "title": task.title,
                    "lead_unit_code": task.lead_unit.code,
                    "lead_unit": task.lead_unit.name,
                    "partners": "; ".join(sorted(p.name for p in task.partners.all())),
                    "deadline": str(task.deadline.label),
                    "due_on": task.due_on,
                    "status": task.state_status,
                    "status_label": labels.get(task.state_status, task.state_status),
                    "percent": task.state_percent,
                    "overdue": task.is_overdue,
                    "as_of": today,
                }
            )
    return table


def _rounded(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def sdmx_codes() -> tuple[dict[str, str], dict[str, str]]:
    """The codes of the published indicators and areas in the SDMX files, with their names."""
    datasets = [d for d in list_datasets() if d.kind == INDICATOR]
    codes = {d.indicator_code for d in datasets}
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
    areas = {
        sdmx_area_id(d.organisation.structure, d.organisation.code): d.organisation.title
        for d in datasets
    }
    return indicators, areas


def sdmx_area_id(structure: str, code: str) -> str:
    """An area's code in SDMX: the unit's structure and code, since a code is unique only
    within a structure (`S2025_52`, `LEGACY_52`)."""
    return f"{'LEGACY' if structure == Structure.LEGACY else 'S' + structure}_{code}"
