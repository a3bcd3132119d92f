"""The one search of the published datasets, for the catalogue page and CKAN's `package_search`.

Each server process builds an index of the datasets' search fields once per version of the
published data (`catalogue.publication()`) instead of reading every dataset on every request: for
each field, the datasets holding each value or word, as the bits of an integer (bit i is the i-th
dataset by name). A query is then a few bitwise operations. Words match with or without diacritics
(`core.text.search_key`) anywhere inside a word of the text, as `ckan_query` defines.
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lotrinh.core.text import search_key
from lotrinh.opendata import ckan_query
from lotrinh.opendata.catalogue import (
    Dataset,
    Publication,
    ckan_time,
    publication,
    resources_of,
    stable_id,
)
from lotrinh.opendata.licences import current_licence

# Every field a query may name, with each dataset's values; CKAN's names where CKAN has one.
FIELDS: dict[str, Callable[[Dataset], list[str]]] = {
    "name": lambda d: [d.name],
    "title": lambda d: [d.title, d.title_en],
    "notes": lambda d: [d.description],
    "text": lambda d: [searchable_text(d)],
    "tags": lambda d: list(d.tags),
    "organization": lambda d: [d.organisation.name],
    "groups": lambda d: [d.pillar] if d.pillar else [],
    "res_format": lambda d: sorted({r.format for r in resources_of(d)}),
    "id": lambda d: [stable_id("dataset", d.name)],
    "pillar": lambda d: [d.pillar] if d.pillar else [],
    "indicator": lambda d: [d.indicator_code] if d.indicator_code else [],
    "year": lambda d: [str(y) for y in d.years],
    "kind": lambda d: [d.kind],
}
# The licence is the deployment's, the same for every dataset; read when asked.
SEARCH_FIELDS = (*FIELDS, "license_id")
# The fields the catalogue page filters by and counts.
FACETS = ("pillar", "organization", "indicator", "year", "res_format", "kind", "tags", "groups")

SORTS: dict[str, Callable[[Dataset], Any]] = {
    "name": lambda d: d.name,
    "title_string": lambda d: d.title,
    "metadata_modified": lambda d: ckan_time(d.modified) or "",
    "metadata_created": lambda d: ckan_time(d.created) or "",
}
DEFAULT_SORT = "score desc, metadata_modified desc"
MAX_KEPT_WORDS = 4096


# Most values repeat over the datasets (an indicator's description in every province, the
# provinces' names, the years): each is folded once, not once per dataset.
_key = functools.lru_cache(maxsize=1 << 16)(search_key)


def searchable_text(dataset: Dataset) -> str:
    """The search key of every word a free-text query looks in (each part folded on its own)."""
    parts = (
        dataset.name,
        dataset.title,
        dataset.title_en,
        dataset.description,
        dataset.organisation.title,
        dataset.organisation.code,
        dataset.indicator_code,
        dataset.programme_code,
        " ".join(str(y) for y in dataset.years),
    )
    return " ".join(key for key in map(_key, parts) if key)


@dataclass(frozen=True)
class FacetItem:
    name: str
    count: int


def _add(found: dict[str, int], key: str, bit: int) -> None:
    found[key] = found.get(key, 0) | bit


@dataclass
class SearchIndex:
    """The datasets of one publication by the values and words of each field."""

    datasets: list[Dataset]
    everything: int
    values: dict[str, dict[str, int]]  # field → value as published → datasets
    keys: dict[str, dict[str, int]]  # field → value's search key → datasets
    words: dict[tuple[str, int], dict[str, int]]  # (text field, value's place) → word → datasets
    _found_words: dict[tuple[str, int, str], int] = field(default_factory=dict)
    _orders: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, datasets: list[Dataset]) -> SearchIndex:
        values: dict[str, dict[str, int]] = {name: {} for name in FIELDS}
        keys: dict[str, dict[str, int]] = {name: {} for name in FIELDS}
        words: dict[tuple[str, int], dict[str, int]] = {}
        for position, dataset in enumerate(datasets):
            bit = 1 << position
            for name, read in FIELDS.items():
                for place, value in enumerate(read(dataset)):
                    _add(values[name], value, bit)
                    key = _key(value)
                    _add(keys[name], key, bit)
                    if name in ckan_query.TEXT_FIELDS:
                        for word in set(key.split()):
                            _add(words.setdefault((name, place), {}), word, bit)
        return cls(datasets, (1 << len(datasets)) - 1, values, keys, words)

    def _containing(self, name: str, place: int, part: str) -> int:
        """The datasets whose `name` value at `place` has a word containing `part`."""
        kept = (name, place, part)
        found = self._found_words.get(kept)
        if found is None:
            found = 0
            for word, bits in self.words.get((name, place), {}).items():
                if part in word:
                    found |= bits
            if len(self._found_words) < MAX_KEPT_WORDS:
                self._found_words[kept] = found
        return found

    def _term(self, term: ckan_query.Term) -> int:
        wanted = search_key(term.value)
        if term.field == "license_id":
            return self.everything if wanted == search_key(current_licence().id) else 0
        if term.field in ckan_query.TEXT_FIELDS or not term.field:
            name = term.field or "text"
            places = {place for field_name, place in self.words if field_name == name}
            found = 0
            for place in places or {0}:
                bits = self.everything
                for part in wanted.split():
                    bits &= self._containing(name, place, part)
                found |= bits
            return found
        return self.keys[term.field].get(wanted, 0)

    def matching(self, queries: Iterable[ckan_query.Query]) -> int:
        """The datasets matching every query, as bits."""
        found = self.everything
        for query in queries:
            for group in query.groups:
                alternatives = 0
                for term in group:
                    alternatives |= self._term(term)
                found &= alternatives
            for term in query.excluded:
                found &= ~self._term(term)
        return found

    def order(self, sort: str) -> list[int]:
        """The positions of all datasets in the order `sort` asks ("field asc|desc, …"; `score`
        keeps the order found, as there is no relevance ranking); ties by name."""
        kept = self._orders.get(sort)
        if kept is not None:
            return kept
        keys = []
        for part in sort.split(","):
            words = part.split()
            if not words:
                continue
            name, direction = words[0], (words[1] if len(words) > 1 else "asc").lower()
            if (name != "score" and name not in SORTS) or direction not in ("asc", "desc"):
                raise ckan_query.QueryError(f"Cannot sort by '{part.strip()}' (không sắp xếp được)")
            keys.append((name, direction))
        ordered = list(range(len(self.datasets)))  # by name already
        for name, direction in reversed(keys):
            if name != "score":
                key = SORTS[name]
                ordered.sort(key=lambda p: key(self.datasets[p]), reverse=direction == "desc")
        if len(self._orders) < 64:
            self._orders[sort] = ordered
        return ordered

    def facet_counts(self, found: int, name: str, limit: int = 50) -> list[FacetItem]:
        """How many of the `found` datasets hold each value of field `name`, most first (ties by
        value); all of them when `limit` is negative."""
        counts = [(value, (bits & found).bit_count()) for value, bits in self.values[name].items()]
        ordered = sorted(
            ((value, count) for value, count in counts if count), key=lambda i: (-i[1], i[0])
        )
        return [FacetItem(v, c) for v, c in ordered[: limit if limit >= 0 else None]]

    def modified_since(self, moment: datetime.datetime) -> int:
        """The datasets last changed at `moment` or later."""
        return sum(
            1 << position
            for position, dataset in enumerate(self.datasets)
            if dataset.modified is not None and dataset.modified >= moment
        )

    def find(self, key: str) -> Dataset | None:
        """The dataset named `key` or with id `key`."""
        bits = self.values["name"].get(key) or self.values["id"].get(key)
        return self.datasets[bits.bit_length() - 1] if bits else None


@dataclass(frozen=True)
class Found:
    """A search's answer: how many datasets matched, and the asked page of them in order."""

    index: SearchIndex
    bits: int
    sort: str

    @property
    def count(self) -> int:
        return self.bits.bit_count()

    def page(self, start: int, rows: int) -> list[Dataset]:
        found: list[Dataset] = []
        if start >= self.count or rows <= 0:
            return found
        skipped = 0
        for position in self.index.order(self.sort):
            if self.bits >> position & 1:
                if skipped < start:
                    skipped += 1
                    continue
                found.append(self.index.datasets[position])
                if len(found) >= rows:
                    break
        return found

    def facet_counts(self, name: str, limit: int = 50) -> list[FacetItem]:
        return self.index.facet_counts(self.bits, name, limit)


_built: list[tuple[Publication, SearchIndex]] = []
_building = threading.Lock()


def search_index() -> SearchIndex:
    """The index of the current publication, built by the first request that needs it."""
    current = publication()
    kept = _built[-1] if _built else None
    if kept is not None and kept[0] is current:
        return kept[1]
    with _building:
        kept = _built[-1] if _built else None
        if kept is not None and kept[0] is current:
            return kept[1]
        index = SearchIndex.build(current.datasets)
        _built[:] = [(current, index)]
        return index


def search(
    text: str = "",
    filters: Mapping[str, Iterable[str]] | None = None,
    queries: Iterable[ckan_query.Query] = (),
    sort: str = "name asc",
    modified_since: datetime.datetime | None = None,
) -> Found:
    """The datasets containing every word of `text`, with, for each field of `filters`, one of
    its values (several values of one field are alternatives), matching every query and, with
    `modified_since`, changed since then. Raises `ckan_query.QueryError` for a sort it cannot
    do."""
    words = tuple(ckan_query.Term("", word, "") for word in search_key(text).split())
    groups: list[tuple[ckan_query.Term, ...]] = [(word,) for word in words]
    for name, values in (filters or {}).items():
        wanted = list(values)
        if name in FIELDS and wanted:
            groups.append(tuple(ckan_query.Term(name, value, "") for value in wanted))
    index = search_index()
    bits = index.matching([ckan_query.Query(tuple(groups), ()), *queries])
    if modified_since is not None:
        bits &= index.modified_since(modified_since)
    index.order(sort)  # refuses an unknown sort before any page is asked
    return Found(index, bits, sort)


def find_dataset(key: str) -> Dataset | None:
    """The dataset with this name or id."""
    return search_index().find(key)
