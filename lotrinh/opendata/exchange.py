"""Data exchange with DHIS2 and other health and statistics systems: dataValueSets (JSON) and ADX (XML).

Export writes a regime's published figures for one period (approved reports, non-confidential data
elements) with codes as identifiers (DHIS2 `idScheme=code`): data elements by code, units by their
code in the period's structure, the regime as the data set. Import reads such a file into the
same dry run as an Excel or CSV import (`reporting.importing`): the same checks, permissions,
approval rules and audit, and nothing is written while any figure is wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 -- writing only

from defusedxml import ElementTree as SafeElementTree
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.core.formatting import plain_decimal
from lotrinh.indicators.models import Indicator
from lotrinh.opendata.periods import PeriodError, dhis2_id, iso_interval, parse_any, parse_dhis2
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.importing.context import WriteCheck, prepare_plan
from lotrinh.reporting.importing.plan import ImportPlan
from lotrinh.reporting.importing.reading import UNIT_CODE, UNIT_NAME, RawRow, Table
from lotrinh.reporting.importing.template import TEMPLATE_VERSION
from lotrinh.reporting.models import Period, ReportingRegime
from lotrinh.reporting.publication import published_values

ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
MEDIA_TYPES = {"dhis2": "application/json", "adx": "application/adx+xml"}
MAX_EXCHANGE_BYTES = 20 * 1024 * 1024
MAX_VALUES = 500_000


class ExchangeError(UserFacingError):
    """A file that cannot be imported as a whole; names the element, unit and period at fault."""


@dataclass(frozen=True)
class ExchangeValue:
    """One figure as exchanged: codes and the value as text (DHIS2 writes values as strings)."""

    data_element: str
    period: str  # DHIS2 id
    org_unit: str
    value: str
    data_set: str = ""


def published_exchange_values(regime: ReportingRegime, period: Period) -> list[ExchangeValue]:
    rows = (
        published_values()
        .filter(report__regime=regime, report__period=period, value__isnull=False)
        .order_by("report__org_unit__code", "data_element__code")
        .values_list("data_element__code", "report__org_unit__code", "value")
    )
    return [
        ExchangeValue(element, period.code, unit, plain_decimal(value), regime.code)
        for element, unit, value in rows
        if value is not None
    ]


def dataset_exchange_values(indicator: Indicator, province: OrgUnit) -> list[ExchangeValue]:
    """The published figures behind an indicator's open dataset of one province: the data
    elements the indicator is computed from, for every unit of the province, every approved
    period, with the regime as the data set."""
    elements = [
        pk
        for pk in (indicator.numerator_id, indicator.denominator_id, indicator.reported_as_id)
        if pk is not None
    ]
    rows = (
        published_values()
        .filter(in_subtree(province.path, "report__org_unit__"), data_element_id__in=elements)
        .filter(value__isnull=False)
        .order_by(
            "report__regime__code",
            "report__period__cutoff_to",
            "report__org_unit__code",
            "data_element__code",
        )
        .values_list(
            "data_element__code",
            "report__period__code",
            "report__org_unit__code",
            "value",
            "report__regime__code",
        )
    )
    return [
        ExchangeValue(element, period, unit, plain_decimal(value), regime)
        for element, period, unit, value, regime in rows
        if value is not None
    ]


def data_value_set(values: list[ExchangeValue]) -> dict[str, object]:
    """The bulk form of dataValueSets: period and unit on every value."""
    return {
        "dataValues": [
            {
                "dataSet": v.data_set,
                "dataElement": v.data_element,
                "period": v.period,
                "orgUnit": v.org_unit,
                "value": v.value,
            }
            for v in values
        ]
    }


def adx(values: list[ExchangeValue]) -> bytes:
    """ADX: one group per data set, unit and period, the period as an ISO 8601 interval."""
    root = Element(
        "adx",
        {"xmlns": ADX_NAMESPACE, "exported": timezone.now().isoformat(timespec="seconds")},
    )
    groups: dict[tuple[str, str, str], Element] = {}
    for v in values:
        key = (v.data_set, v.org_unit, v.period)
        if key not in groups:
            groups[key] = SubElement(
                root,
                "group",
                {
                    "dataSet": v.data_set,
                    "orgUnit": v.org_unit,
                    "period": iso_interval(parse_dhis2(v.period)),
                },
            )
        SubElement(groups[key], "dataValue", {"dataElement": v.data_element, "value": v.value})
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


MALFORMED = _("The file is not a DHIS2 dataValueSets JSON file: %(problem)s.")
MISSING_KEY = _(
    "Value %(number)s has no “%(key)s” (element %(element)s, unit %(unit)s, period %(period)s)."
)


def read_data_value_set(raw: bytes) -> list[ExchangeValue]:
    """Read dataValueSets JSON (shared keys or the bulk form); raises ExchangeError."""
    if len(raw) > MAX_EXCHANGE_BYTES:
        raise ExchangeError(MALFORMED, problem="over 20 MB")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ExchangeError(MALFORMED, problem=str(error)) from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise ExchangeError(MALFORMED, problem="no “dataValues” list")
    shared = {k: document.get(k) for k in ("dataSet", "period", "orgUnit")}
    items = document["dataValues"]
    if len(items) > MAX_VALUES:
        raise ExchangeError(MALFORMED, problem=f"more than {MAX_VALUES} values")
    found = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ExchangeError(MALFORMED, problem=f"value {number} is not an object")
        merged = {k: item.get(k, shared.get(k)) for k in ("dataSet", "period", "orgUnit")}
        merged |= {"dataElement": item.get("dataElement"), "value": item.get("value")}
        for key in ("dataElement", "period", "orgUnit", "value"):
            if merged[key] in (None, ""):
                raise ExchangeError(
                    MISSING_KEY,
                    number=number,
                    key=key,
                    element=merged["dataElement"] or "?",
                    unit=merged["orgUnit"] or "?",
                    period=merged["period"] or "?",
                )
        found.append(
            ExchangeValue(
                str(merged["dataElement"]),
                str(merged["period"]),
                str(merged["orgUnit"]),
                str(merged["value"]),
                str(merged["dataSet"] or ""),
            )
        )
    return found


NOT_ADX = _("The file is not an ADX XML file: %(problem)s.")


def read_adx(raw: bytes) -> list[ExchangeValue]:
    """Read ADX XML; periods are ISO 8601 intervals, turned into DHIS2 ids. Raises ExchangeError."""
    if len(raw) > MAX_EXCHANGE_BYTES:
        raise ExchangeError(NOT_ADX, problem="over 20 MB")
    try:
        root = SafeElementTree.fromstring(raw)
    except Exception as error:  # defusedxml raises its own errors and ParseError
        raise ExchangeError(NOT_ADX, problem=str(error)) from None
    if root.tag != f"{{{ADX_NAMESPACE}}}adx":
        raise ExchangeError(NOT_ADX, problem=f"the root element is {root.tag}")
    found: list[ExchangeValue] = []
    for group in root.findall(f"{{{ADX_NAMESPACE}}}group"):
        unit, data_set, interval = (group.get(k, "") for k in ("orgUnit", "dataSet", "period"))
        try:
            period = dhis2_id(parse_any(interval))
        except PeriodError as error:
            raise ExchangeError(
                _("Unit %(unit)s: %(problem)s"), unit=unit or "?", problem=str(error)
            ) from None
        for item in group.findall(f"{{{ADX_NAMESPACE}}}dataValue"):
            element, value = item.get("dataElement", ""), item.get("value", "")
            if not element or value == "":
                raise ExchangeError(
                    MISSING_KEY,
                    number=len(found) + 1,
                    key="dataElement" if not element else "value",
                    element=element or "?",
                    unit=unit or "?",
                    period=period,
                )
            found.append(ExchangeValue(element, period, unit, value, data_set))
    return found


@dataclass
class ExchangePlan:
    regime: ReportingRegime
    period: Period
    plan: ImportPlan


def plan_exchange(
    values: list[ExchangeValue], regime: ReportingRegime, may_write: WriteCheck
) -> list[ExchangePlan]:
    """The dry run of every period in `values`, as the Excel import makes it. Raises ExchangeError
    naming the element, unit and period of a figure the regime's form does not have, or of a
    period the regime does not have."""
    codes = list(regime.fields.order_by("position").values_list("data_element__code", flat=True))
    by_period: dict[str, list[ExchangeValue]] = defaultdict(list)
    for value in values:
        try:
            period_id = dhis2_id(parse_any(value.period))
        except PeriodError as error:
            raise ExchangeError(
                _("Element %(element)s, unit %(unit)s: %(problem)s"),
                element=value.data_element,
                unit=value.org_unit,
                problem=str(error),
            ) from None
        if value.data_element not in codes:
            raise ExchangeError(
                _(
                    "The form of regime “%(regime)s” has no data element “%(element)s” "
                    "(unit %(unit)s, period %(period)s)."
                ),
                regime=regime.code,
                element=value.data_element,
                unit=value.org_unit,
                period=period_id,
            )
        by_period[period_id].append(value)
    periods = {p.code: p for p in regime.periods.filter(code__in=list(by_period))}
    plans = []
    for period_id, found in sorted(by_period.items()):
        period = periods.get(period_id)
        if period is None:
            first = found[0]
            raise ExchangeError(
                _(
                    "Regime “%(regime)s” has no period %(period)s (element %(element)s, "
                    "unit %(unit)s)."
                ),
                regime=regime.code,
                period=period_id,
                element=first.data_element,
                unit=first.org_unit,
            )
        plans.append(
            ExchangePlan(
                regime,
                period,
                prepare_plan(regime, period, may_write, _table(regime, period, codes, found)),
            )
        )
    return plans


def _machine_number(text: str) -> object:
    """DHIS2 writes numbers with a decimal point ("1.234" is one and a bit, not 1234); text that
    is not such a number goes to the import's check, which names it."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return text
    return number if number.is_finite() else text


def _table(
    regime: ReportingRegime, period: Period, codes: list[str], values: list[ExchangeValue]
) -> Table:
    """The figures as the import reads a filled-in template: one row per unit."""
    header = [UNIT_CODE, UNIT_NAME, *codes]
    columns = {code: index for index, code in enumerate(header, start=1)}
    by_unit: dict[str, dict[str, object]] = defaultdict(dict)
    for value in values:
        by_unit[value.org_unit][value.data_element] = _machine_number(value.value)
    meta = {"regime": regime.code, "period": period.code, "template_version": TEMPLATE_VERSION}
    table = Table(kind="csv", sheet=f"dataValues {period.code}", meta=meta, header=header)
    for row, (unit, cells) in enumerate(sorted(by_unit.items()), start=2):
        table.rows.append(RawRow(row, unit, "", cells, columns))
    return table
