"""Check a report's values: types and ranges, rules across fields, outliers. Pure functions.

Hard errors block submission; warnings (outliers, warning rules) need an explanation. Every issue
carries its message in Vietnamese and English, for the field it concerns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lotrinh.reporting.rules import compile_rule

MAX_VALUE = Decimal("1e15")
# Most figures are typed or exported as plain integers: read those without the separator logic.
_PLAIN_INTEGER = re.compile(r"-?[0-9]{1,15}\Z")


@dataclass(frozen=True)
class ElementSpec:
    code: str
    value_type: str  # integer | decimal | percent
    is_required: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None


@dataclass(frozen=True)
class RuleSpec:
    code: str
    expression: str
    severity: str  # error | warning
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class Issue:
    field: str  # a data element code, or "" for the whole report
    severity: str
    code: str
    message_vi: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_vi


@dataclass
class CheckResult:
    values: dict[str, Decimal | None] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


def _issue(field_code: str, severity: str, code: str, message: object, **params: object) -> Issue:
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            texts.append(str(message) % params if params else str(message))
    return Issue(field_code, severity, code, texts[0], texts[1])


def _plain_number_text(text: str) -> str:
    """Turn "1.234,5" / "1,234.5" / "7,5" / "2.000" into Python's "1234.5" / "7.5" / "2000".

    Vietnamese first: a single comma is the decimal mark, and a single dot followed by exactly
    three digits is a thousands separator (2.000 = 2000); otherwise the last mark is the decimal one.
    """
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return text.replace(thousands, "").replace(decimal_mark, ".")
    if "," in text:
        return text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    if text.count(".") > 1:
        return text.replace(".", "")
    if text.count(".") == 1:
        whole, fraction = text.split(".")
        if len(fraction) == 3 and whole.lstrip("-+") not in {"", "0"}:
            return whole + fraction
    return text


def parse_number(raw: object) -> Decimal | None:
    """Read a figure as people type it ("1.234", "1 234", "7,5", 1234.5); None when empty.

    Raises ValueError when it is not a finite number.
    """
    if type(raw) is str and _PLAIN_INTEGER.match(raw):  # most cells of a file: read at once
        return Decimal(raw)
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        text = _plain_number_text(text)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not number.is_finite():
        raise ValueError(raw)
    return number


def check_value(raw: object, spec: ElementSpec) -> tuple[Decimal | None, Issue | None]:
    try:
        value = parse_number(raw)
    except ValueError:
        return None, _issue(
            spec.code, "error", "not_a_number", _("“%(raw)s” is not a number."), raw=raw
        )
    if value is None:
        if spec.is_required:
            return None, _issue(spec.code, "error", "required", _("This figure is required."))
        return None, None
    if abs(value) >= MAX_VALUE:
        return None, _issue(spec.code, "error", "too_large", _("This number is too large."))
    if spec.value_type == "integer" and value != value.to_integral_value():
        return None, _issue(
            spec.code, "error", "not_whole", _("Enter a whole number (a count has no decimals).")
        )
    if spec.value_type in {"integer", "percent"} and value < 0:
        return None, _issue(
            spec.code, "error", "negative", _("A count or a percentage cannot be negative.")
        )
    if spec.value_type == "percent" and value > 100:
        return None, _issue(spec.code, "error", "over_100", _("A percentage cannot be above 100."))
    if spec.min_value is not None and value < spec.min_value:
        return None, _issue(
            spec.code,
            "error",
            "below_min",
            _("The lowest allowed value is %(min)s."),
            min=spec.min_value,
        )
    if spec.max_value is not None and value > spec.max_value:
        return None, _issue(
            spec.code,
            "error",
            "above_max",
            _("The highest allowed value is %(max)s."),
            max=spec.max_value,
        )
    return value, None


def _rule_fields(rule: RuleSpec, codes: Sequence[str]) -> list[str]:
    """The data element codes a rule names, in form order."""
    named = compile_rule(rule.expression).names
    return [code for code in codes if code in named]


def check_rules(values: Mapping[str, Decimal | None], rules: Sequence[RuleSpec]) -> list[Issue]:
    """Evaluate each rule; a rule that names a missing value is skipped (required-field checks catch it)."""
    known = {code: value for code, value in values.items() if value is not None}
    issues = []
    for rule in rules:
        if compile_rule(rule.expression).holds(known) is not False:
            continue
        fields = _rule_fields(rule, list(values)) or [""]
        issues += [
            Issue(f, rule.severity, rule.code, rule.message_vi, rule.message_en) for f in fields
        ]
    return issues


# Where a unit's next figure is expected, from its own history, as (low, high); outside it is an
# outlier. Plain tuples: an import makes 200,000 of them.
UsualRange = tuple[float, float]


def is_outside(value: Decimal | float, usual: UsualRange) -> bool:
    low, high = usual
    return not low <= float(value) <= high


def usual_range(history: Sequence[Decimal | float | None]) -> UsualRange | None:
    """Robust (median and MAD) with three or more past values; with fewer, between a third and
    three times the last one (up to 10 after a zero). None without history. Oldest first."""
    past = [float(v) for v in history if v is not None]
    if not past:
        return None
    if len(past) < 3:
        last = past[-1]
        if last == 0:
            return (-math.inf, 10.0)
        return (last / 3, 3 * last)
    median = _median(past)
    mad = _median([abs(v - median) for v in past]) * 1.4826
    spread = max(mad, abs(median) * 0.1, 1.0)
    return (median - 4 * spread, median + 4 * spread)


def _median(values: list[float]) -> float:
    """statistics.median, without its type dispatch: an import may compute 240,000 of them."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def is_outlier(value: Decimal, history: Sequence[Decimal]) -> bool:
    """Flag a value far from the unit's own history (see usual_range)."""
    usual = usual_range(history)
    return usual is not None and is_outside(value, usual)


def check_report(
    raw_values: Mapping[str, object],
    elements: Sequence[ElementSpec],
    rules: Sequence[RuleSpec],
    history: Mapping[str, Sequence[Decimal]] | None = None,
    *,
    usual: Mapping[str, UsualRange] | None = None,
) -> CheckResult:
    """Parse and check every field of a report; returns the parsed values and all issues.

    Outliers are judged against the unit's `history` per code, or against `usual` ranges already
    computed from it (an import computes them for thousands of units at once)."""
    result = CheckResult()
    for spec in elements:
        value, issue = check_value(raw_values.get(spec.code), spec)
        result.values[spec.code] = value
        if issue:
            result.issues.append(issue)
    result.issues += check_rules(result.values, rules)
    if usual is None:
        usual = {code: r for code, past in (history or {}).items() if (r := usual_range(past))}
    for code, expected in usual.items():
        value = result.values.get(code)
        if value is not None and is_outside(value, expected):
            result.issues.append(
                _issue(
                    code,
                    "warning",
                    "outlier",
                    _(
                        "This figure is far from this unit's earlier reports; please check it or explain."
                    ),
                )
            )
    return result
