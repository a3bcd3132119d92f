"""Searching and faceting the dataset list (pure): words match with or without diacritics."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from lotrinh.core.text import search_key
from lotrinh.opendata.catalogue import FORMATS, Dataset

# The facet fields, named as CKAN names them where CKAN has one.
FACETS: dict[str, Callable[[Dataset], Iterable[str]]] = {
    "pillar": lambda d: [d.pillar] if d.pillar else [],
    "organization": lambda d: [d.organisation.name],
    "indicator": lambda d: [d.indicator_code] if d.indicator_code else [],
    "year": lambda d: [str(y) for y in d.years],
    "res_format": lambda d: list(FORMATS),
    "kind": lambda d: [d.kind],
    "tags": lambda d: list(d.tags),
}


@functools.lru_cache(maxsize=65536)
def searchable_text(dataset: Dataset) -> str:
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
    return search_key(" ".join(parts))


def matches(dataset: Dataset, words: list[str]) -> bool:
    text = searchable_text(dataset)
    return all(word in text for word in words)


def search(
    datasets: Iterable[Dataset], text: str, filters: Mapping[str, Iterable[str]]
) -> list[Dataset]:
    """The datasets containing every word of `text` and, for each facet of `filters`, one of its
    values (several values of one facet are alternatives)."""
    words = search_key(text).split()
    found = []
    for dataset in datasets:
        if words and not matches(dataset, words):
            continue
        if all(
            not wanted or set(FACETS[name](dataset)) & set(wanted)
            for name, wanted in filters.items()
            if name in FACETS
        ):
            found.append(dataset)
    return found


@dataclass(frozen=True)
class FacetItem:
    name: str
    count: int


def facet_counts(datasets: Iterable[Dataset], name: str, limit: int = 50) -> list[FacetItem]:
    """The values of one facet among `datasets`, most frequent first (ties by name)."""
    counts: Counter[str] = Counter()
    for dataset in datasets:
        counts.update(set(FACETS[name](dataset)))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetItem(value, count) for value, count in ordered[: limit if limit >= 0 else None]]
