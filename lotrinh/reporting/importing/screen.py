"""Screen every cell of an import at once, to find the rows that need the exact, per-row check.

Most cells of an import are plain numbers ("1234", "-7", "45.5") and most rows have no issue. Here
all cells are read together (one byte array, no Python per cell), then checked column by column
(types, ranges, the unit's usual ranges, the regime's rules), in floating point where the answer
provably equals the exact Decimal one and marked "unsure" where it may not. A row with anything
unusual (a cell that is not a plain number, any issue, anything unsure) is left to
`validation.check_report`, so its issues and messages are the form's by construction; every other
row gets the same Decimals check_report would give and no issue. Pure: no database.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from lotrinh.reporting.importing.reading import RawRow
from lotrinh.reporting.range_table import RangeTable, stacked_bounds
from lotrinh.reporting.rules import compile_rule
from lotrinh.reporting.validation import ElementSpec, RuleSpec, UsualRange, check_value
from lotrinh.reporting.vector_rules import Column, compile_vector_rule

# Plain cells have at most 15 digits: their floats are exact below 10**15 (whole numbers), and any
# two numbers of 15 significant digits or fewer compare as their floats do.
_MAX_DIGITS = 15
_ROUNDED = 2.0**-52  # the distance of a float read from decimal text, relative to it (generous)
_TINY = 1e-290
_ALWAYS: UsualRange = (-np.inf, np.inf)
_UNUSUAL = "\x01"  # stands for a cell that is not text; it is never a plain number
_DIGIT, _MINUS, _DOT, _SEPARATOR = 48, 45, 46, 10


@dataclass
class Cells:
    """The given cells of the table's rows as (row, column) grids, in `codes` order."""

    codes: list[str]
    regular: np.ndarray  # rows whose cells are exactly the table's columns, in that order
    blank: np.ndarray  # empty cells: the stored figure stays
    value: np.ndarray  # the float nearest each given cell's number
    error: np.ndarray  # bound on |value - exact number| (0 for whole numbers)
    decimals: list[Decimal | None]  # flat, row after row: what check_value gives; None if blank
    unusual: np.ndarray  # rows with a cell only the exact check can judge

    def row_decimals(self, index: int) -> list[Decimal | None]:
        width = len(self.codes)
        return self.decimals[index * width : (index + 1) * width]


def read_cells(rows: Sequence[RawRow], codes: list[str], specs: dict[str, ElementSpec]) -> Cells:
    """Read and check every cell not needing the unit: number, type, bounds (check_value's checks)."""
    width, count = len(codes), len(rows) * len(codes)
    raws, regular = _raw_cells(rows, codes)
    texts = _texts(raws)
    plain, value, has_dot = _plain_numbers(texts)
    blank = np.zeros(count, dtype=bool)
    unusual = np.zeros(count, dtype=bool)
    error = np.where(has_dot, np.abs(value) * _ROUNDED, 0.0)
    decimals = _decimals(texts, plain)
    # The rest one by one, exactly (thousands separators, decimal commas, spaces, Excel's numbers).
    for index in np.flatnonzero(~plain).tolist():
        raw = raws[index]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            blank[index] = True
            continue
        exact, problem = check_value(raw, specs[codes[index % width]])
        if problem is not None or exact is None:
            unusual[index] = True
            continue
        decimals[index] = exact
        value[index], error[index] = _float_of(exact)
    grid = (len(rows), width)
    unusual = unusual.reshape(grid) | _outside_spec(value, has_dot, plain, codes, specs, grid)
    return Cells(
        codes,
        regular,
        blank.reshape(grid),
        value.reshape(grid),
        error.reshape(grid),
        decimals,
        unusual.any(axis=1) | ~regular,
    )


def _raw_cells(rows: Sequence[RawRow], codes: list[str]) -> tuple[list[object], np.ndarray]:
    get = _tuples(codes)
    regular = np.ones(len(rows), dtype=bool)
    raws: list[object] = []
    for index, row in enumerate(rows):
        values = row.values
        if len(values) == len(codes) and list(values) == codes:
            raws.extend(get(values))
        else:  # a short row, or keys in another order: the per-row path keeps their order
            regular[index] = False
            raws.extend(itertools.repeat(None, len(codes)))
    return raws, regular


def _texts(raws: list[object]) -> list[str]:
    """Each cell as text to screen; numbers as str() gives them (parse_number reads them so too)."""
    if set(map(type, raws)) <= {str}:
        return raws  # type: ignore[return-value]
    return [
        raw
        if type(raw) is str
        else ""
        if raw is None
        else str(raw)
        if type(raw) in (int, float)
        else _UNUSUAL
        for raw in raws
    ]


def _tuples(codes: list[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving a mapping's values for `codes`, as a tuple (itemgetter of one key does not)."""
    if len(codes) == 1:
        return lambda values: (values[codes[0]],)
    return operator.itemgetter(*codes)


def _plain_numbers(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which cells are plain numbers (-?digits, optionally . and 1–2 or 4+ decimals, 15 digits
    at most), their floats (exactly float(Decimal(text))) and whether they have decimals.

    parse_number reads these as Decimal(text): no separators to interpret (a dot followed by
    exactly three digits may be a thousands separator, so those cells are read one by one)."""
    count = len(texts)
    joined = "\n".join(texts)
    if joined.count("\n") != count - 1:  # a cell holding a line break is not a plain number
        joined = "\n".join(_UNUSUAL if "\n" in text else text for text in texts)
    data = np.frombuffer(joined.encode(), dtype=np.uint8)
    separator = data == _SEPARATOR
    ends = np.r_[np.flatnonzero(separator), len(data)]
    starts = np.r_[0, ends[:-1] + 1]
    cell = np.cumsum(separator)  # the cell of each byte (separators: the next one)
    digit = (data >= _DIGIT) & (data <= _DIGIT + 9)
    minus, dot = data == _MINUS, data == _DOT

    def per_cell(mask: np.ndarray) -> np.ndarray:
        return np.bincount(cell[mask], minlength=count)

    at_start = np.zeros(len(data) + 1, dtype=bool)
    at_start[starts] = True
    negative = np.zeros(count, dtype=bool)
    negative[cell[minus & at_start[:-1]]] = True
    digits, dots = per_cell(digit), per_cell(dot)
    stray = per_cell(~(digit | minus | dot | separator)) + per_cell(minus) - negative
    dot_at = np.zeros(count, dtype=np.int64)
    dot_at[cell[dot]] = np.flatnonzero(dot)
    has_dot = dots == 1
    whole = np.where(has_dot, dot_at - starts - negative, digits)
    decimals = np.where(has_dot, ends - dot_at - 1, 0)
    plain = (
        (stray == 0)
        & (dots <= 1)
        & (whole >= 1)
        & (digits <= _MAX_DIGITS)
        & (~has_dot | ((decimals >= 1) & (decimals != 3)))
    )
    # The digits as one whole number per cell (exact: below 10**15), then scaled by its decimals:
    # dividing two exact floats rounds once, as float(Decimal(text)) does.
    first = np.r_[0, np.cumsum(digits)[:-1]]
    digit_cell = cell[digit]
    place = digits[digit_cell] - 1 - (np.arange(len(digit_cell)) - first[digit_cell])
    with np.errstate(all="ignore"):
        weights = (data[digit] - _DIGIT) * np.power(10.0, np.minimum(place, 400))
        whole_number = np.bincount(digit_cell, weights=weights, minlength=count)
        value = np.where(negative, -whole_number, whole_number) / np.power(
            10.0, np.minimum(decimals, 400)
        )
    value = np.where(plain, value, 0.0)
    return plain, value, has_dot & plain


def _decimals(texts: list[str], plain: np.ndarray) -> list[Decimal | None]:
    """Decimal(text) of the plain cells, None elsewhere; each distinct text is read once when
    texts repeat (a template's figures often do)."""
    if plain.all():
        distinct = dict.fromkeys(texts)
        if len(distinct) > len(texts) // 2:
            return list(map(Decimal, texts))
        read = dict(zip(distinct, map(Decimal, distinct), strict=True))
        return list(map(read.__getitem__, texts))
    found = np.full(len(texts), None, dtype=object)
    where = np.flatnonzero(plain).tolist()
    if where:
        some = [texts[i] for i in where]
        found[where] = _decimals(some, np.ones(len(some), dtype=bool))
    return found.tolist()


def _float_of(exact: Decimal) -> tuple[float, float]:
    value = float(exact)
    return value, 0.0 if Decimal(value) == exact else abs(value) * _ROUNDED + _TINY


def _outside_spec(
    value: np.ndarray,
    has_dot: np.ndarray,
    plain: np.ndarray,
    codes: list[str],
    specs: dict[str, ElementSpec],
    grid: tuple[int, int],
) -> np.ndarray:
    """Plain cells check_value would refuse (or may: a tie with a bound of many digits)."""
    value, has_dot, plain = value.reshape(grid), has_dot.reshape(grid), plain.reshape(grid)
    refused = np.zeros(grid, dtype=bool)
    for column, code in enumerate(codes):
        spec = specs[code]
        number = value[:, column]
        wrong = np.zeros(grid[0], dtype=bool)
        if spec.value_type == "integer":
            wrong |= has_dot[:, column]  # "3.0" is whole, but is left to the exact check
        if spec.value_type in {"integer", "percent"}:
            wrong |= number < 0
        if spec.value_type == "percent":
            wrong |= number > 100
        if spec.min_value is not None:
            bound, short = _bound(spec.min_value)
            wrong |= (number < bound) if short else (number <= bound)
        if spec.max_value is not None:
            bound, short = _bound(spec.max_value)
            wrong |= (number > bound) if short else (number >= bound)
        refused[:, column] = wrong & plain[:, column]
    return refused


def _bound(limit: Decimal) -> tuple[float, bool]:
    """A bound as a float, and whether plain cells compare with it exactly as Decimals: it has 15
    significant digits or fewer and is an ordinary float (otherwise a tie is left to check_value)."""
    bound = float(limit)
    short = len(limit.as_tuple().digits) <= _MAX_DIGITS and (
        bound == 0 or 1e-300 < abs(bound) < 1e300
    )
    return bound, bool(short)


@dataclass(frozen=True)
class Unit:
    """What a row is checked against: the unit's stored figures and usual ranges."""

    stored: dict[str, Decimal | None]
    usual: Mapping[str, UsualRange]  # a RangeTable when read from the database


def rows_needing_check(
    cells: Cells,
    rows: list[int],
    units: list[Unit],
    specs: dict[str, ElementSpec],
    rules: Sequence[RuleSpec],
) -> np.ndarray:
    """For each row index in `rows` (with its unit), whether it must go through check_report:
    a cell only the exact check can judge, an outlier among its given figures, or a rule broken
    or unsure. Raises RuleError like check_report for a rule that cannot be compiled."""
    vector_rules = [compile_vector_rule(rule.expression) for rule in rules]
    index = np.array(rows, dtype=np.int64)
    needs = cells.unusual[index]
    given = ~cells.blank[index]
    value, error = cells.value[index], cells.error[index]
    known = given.copy()
    stored = _fill_stored(value, error, known, units, cells.codes, specs)
    needs |= (_outliers(value, units, cells.codes) & given).any(axis=1)
    columns = {code: Column(value[:, j], error[:, j]) for j, code in enumerate(cells.codes)}
    position = {code: j for j, code in enumerate(cells.codes)}
    for rule, vector in zip(rules, vector_rules, strict=True):
        names = vector.names if vector is not None else _names(rule)
        if not names or not names <= position.keys():
            continue  # names no figure of the form, or one not on it: never attached to a cell
        rule_known = np.logical_and.reduce([known[:, position[n]] for n in names])
        if vector is not None:
            outcome = vector.evaluate(columns, rule_known)
            needs |= outcome.broken | outcome.unsure
            continue
        # Not for columns: exactly, one row at a time.
        for i in np.flatnonzero(rule_known & ~needs).tolist():
            figures = {n: _figure(cells, stored, rows[i], i, position[n]) for n in names}
            needs[i] = compile_rule(rule.expression).holds(figures) is False
    return needs


def _figure(
    cells: Cells, stored: dict[tuple[int, int], Decimal], row: int, i: int, column: int
) -> Decimal:
    """The figure check_report reads: the given cell's, else the stored one (known to exist)."""
    given = cells.decimals[row * len(cells.codes) + column]
    return given if given is not None else stored[i, column]


def _names(rule: RuleSpec) -> frozenset[str]:
    return compile_rule(rule.expression).names


def _fill_stored(
    value: np.ndarray,
    error: np.ndarray,
    known: np.ndarray,
    units: list[Unit],
    codes: list[str],
    specs: dict[str, ElementSpec],
) -> dict[tuple[int, int], Decimal]:
    """Empty cells take the stored figure as check_report sees it (none if it is refused now);
    returns those figures by (row, column)."""
    found = {}
    for i, j in np.argwhere(~known).tolist():
        stored = units[i].stored.get(codes[j])
        if stored is None:
            continue
        figure, _problem = check_value(stored, specs[codes[j]])
        if figure is not None:
            known[i, j] = True
            found[i, j] = figure
            value[i, j], error[i, j] = _float_of(figure)
    return found


def _outliers(value: np.ndarray, units: list[Unit], codes: list[str]) -> np.ndarray:
    """Where each figure is outside the unit's usual range (is_outside, on the same floats)."""
    bounds = _table_bounds(units, codes)
    if bounds is None:
        bounds = _mapping_bounds(units, codes, value.shape)
    with np.errstate(invalid="ignore"):
        return ~((bounds[..., 0] <= value) & (value <= bounds[..., 1]))


def _table_bounds(units: list[Unit], codes: list[str]) -> np.ndarray | None:
    """The bounds straight from the units' kept arrays, when each unit has one (or no ranges)."""
    tables: dict[int, RangeTable] = {}
    for i, unit in enumerate(units):
        if isinstance(unit.usual, RangeTable):
            tables[i] = unit.usual
        elif unit.usual:
            return None
    stacked = stacked_bounds(list(tables.values()), codes)
    if stacked is None:
        return None
    bounds = np.empty((len(units), len(codes), 2))
    bounds[..., 0], bounds[..., 1] = -np.inf, np.inf
    bounds[list(tables)] = stacked
    return bounds


def _mapping_bounds(units: list[Unit], codes: list[str], shape: tuple[int, ...]) -> np.ndarray:
    """The bounds from the units' ranges as mappings by code, one by one."""
    get = _tuples(codes)
    always = (_ALWAYS,) * len(codes)
    ranges = []
    for unit in units:
        try:
            ranges.append(get(unit.usual) if unit.usual else always)
        except KeyError:
            ranges.append(tuple(unit.usual.get(code, _ALWAYS) for code in codes))
    pairs = itertools.chain.from_iterable(itertools.chain.from_iterable(ranges))
    count = 2 * len(units) * len(codes)
    return np.fromiter(pairs, dtype=np.float64, count=count).reshape(*shape, 2)
