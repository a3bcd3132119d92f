"""A unit's usual ranges as the array they are kept in, readable as a mapping by figure code.

An import of a national quarter reads the kept ranges of 4,000 units, 240,000 (low, high) pairs.
Turned into a dict per unit they cost more than the whole numpy screen that uses them; here they
stay one (n, 3) float array per unit (data element id, low, high), which the screen stacks as
they are, and the dict by code is made only for the few rows checked one by one. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from lotrinh.reporting.validation import UsualRange

_NO_COLUMN = -1


class RangeTable(Mapping[str, UsualRange]):
    """(low, high) by figure code, over rows of (data element id, low, high); `codes` names the
    data elements (shared by every unit of an import). Elements not in `codes` are left out."""

    def __init__(self, triples: np.ndarray, codes: Mapping[int, str]) -> None:
        self.triples = triples
        self.codes = codes
        self._by_code: dict[str, UsualRange] | None = None

    def _mapping(self) -> dict[str, UsualRange]:
        if self._by_code is None:
            elements = self.triples[:, 0].astype(np.int64).tolist()
            lows, highs = self.triples[:, 1].tolist(), self.triples[:, 2].tolist()
            self._by_code = {
                self.codes[e]: (low, high)
                for e, low, high in zip(elements, lows, highs, strict=True)
                if e in self.codes
            }
        return self._by_code

    def __getitem__(self, code: str) -> UsualRange:
        return self._mapping()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


def stacked_bounds(tables: Sequence[RangeTable], columns: Sequence[str]) -> np.ndarray | None:
    """The (low, high) of every (table, column) as a (tables, columns, 2) array, unbounded
    where a table has no range for the column; None unless every table names its elements with
    the same `codes`."""
    bounds = np.empty((len(tables), len(columns), 2))
    bounds[..., 0], bounds[..., 1] = -np.inf, np.inf
    if not tables:
        return bounds
    codes = tables[0].codes
    if any(table.codes is not codes for table in tables):
        return None
    position = {code: j for j, code in enumerate(columns)}
    column_of = {e: position[code] for e, code in codes.items() if code in position}
    if not column_of:
        return bounds
    lookup = np.full(max(column_of) + 1, _NO_COLUMN, dtype=np.int64)
    lookup[list(column_of)] = list(column_of.values())
    stacked = np.concatenate([table.triples for table in tables])
    owner = np.repeat(np.arange(len(tables)), [len(table.triples) for table in tables])
    elements = stacked[:, 0].astype(np.int64)
    known = (elements >= 0) & (elements < len(lookup))
    column = np.full(len(elements), _NO_COLUMN, dtype=np.int64)
    column[known] = lookup[elements[known]]
    on_form = column != _NO_COLUMN
    bounds[owner[on_form], column[on_form]] = stacked[on_form, 1:3]
    return bounds
