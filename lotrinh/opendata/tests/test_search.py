"""The search index answers every query as reading each dataset's fields one by one would."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotrinh.core.text import search_key
from lotrinh.opendata import ckan_query
from lotrinh.opendata.catalogue import INDICATOR, PROGRAMME, Dataset, Organisation
from lotrinh.opendata.licences import current_licence
from lotrinh.opendata.search import FIELDS, SEARCH_FIELDS, SearchIndex

WORDS = ["Hồ", "sơ", "công", "việc", "Gia", "Lai", "Bình", "Định", "dịch", "vụ", "số", "2025"]
PROVINCES = [("gia-lai", "Gia Lai", "52"), ("binh-dinh-truoc-2025", "Bình Định", "52")]


def _dataset(number: int, title: list[str], province: int, kind: str, years: list[int]) -> Dataset:
    name, province_title, code = PROVINCES[province]
    organisation = Organisation(name, province_title, code, "2025", None, None, province)
    return Dataset(
        name=f"bo-{number:03d}-{name}",
        kind=kind,
        title=" ".join(title),
        title_en=" ".join(reversed(title)),
        description=" ".join(title[:2]),
        pillar=["government", "economy", ""][number % 3],
        organisation=organisation,
        indicator_code=f"chi-so-{number % 4}" if kind == INDICATOR else "",
        programme_code=f"ct-{number}" if kind == PROGRAMME else "",
        years=tuple(sorted(set(years))),
        modified=datetime.datetime(2025, 1, 1 + number % 28, tzinfo=datetime.UTC),
    )


datasets = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
        st.integers(0, 1),
        st.sampled_from([INDICATOR, PROGRAMME]),
        st.lists(st.integers(2020, 2026), max_size=3),
    ),
    max_size=40,
).map(lambda rows: [_dataset(n, *row) for n, row in enumerate(rows)])

values = st.sampled_from(
    [*WORDS, "ho so", "dinh", "gia-lai", "economy", "2025", "chi-so-1", INDICATOR, "cc-by", "x"]
)
terms = st.tuples(
    st.sampled_from(["", "", "title", "notes", "text", "organization", "year", "kind", "pillar"]),
    values,
    st.sampled_from(["", "+", "-"]),
    st.booleans(),
)


def _query_text(chosen: list[tuple[str, str, str, bool]]) -> str:
    parts: list[str] = []
    for field, value, sign, joined in chosen:
        if joined and parts:
            parts.append("OR")
        parts.append(f'{sign}{field + ":" if field else ""}"{value}"')
    return " ".join(parts)


def _term_matches(term: ckan_query.Term, dataset: Dataset) -> bool:
    """What a term means, read from one dataset's fields (the definition the index must keep)."""
    wanted = search_key(term.value)
    if term.field == "license_id":
        return wanted == search_key(current_licence().id)
    if not term.field:
        return all(word in FIELDS["text"](dataset)[0] for word in wanted.split())
    found = [search_key(v) for v in FIELDS[term.field](dataset)]
    if term.field in ckan_query.TEXT_FIELDS:
        return any(all(word in v for word in wanted.split()) for v in found)
    return wanted in found


def _matches(query: ckan_query.Query, dataset: Dataset) -> bool:
    if any(_term_matches(t, dataset) for t in query.excluded):
        return False
    return all(any(_term_matches(t, dataset) for t in group) for group in query.groups)


@settings(max_examples=300, deadline=None)
@given(datasets, st.lists(terms, max_size=5))
def test_the_index_finds_what_reading_every_dataset_finds(found_datasets, chosen):
    found_datasets.sort(key=lambda d: d.name)
    index = SearchIndex.build(found_datasets)
    query = ckan_query.parse(_query_text(chosen), SEARCH_FIELDS)
    bits = index.matching([query])
    expected = [d.name for d in found_datasets if _matches(query, d)]
    assert [d.name for n, d in enumerate(found_datasets) if bits >> n & 1] == expected


@settings(max_examples=100, deadline=None)
@given(datasets, st.sampled_from(["organization", "year", "kind", "pillar"]))
def test_facet_counts_count_the_found_datasets_holding_each_value(found_datasets, field):
    found_datasets.sort(key=lambda d: d.name)
    index = SearchIndex.build(found_datasets)
    half = sum(1 << n for n in range(0, len(found_datasets), 2))
    counted = {item.name: item.count for item in index.facet_counts(half, field, -1)}
    expected: dict[str, int] = {}
    for dataset in found_datasets[::2]:
        for value in set(FIELDS[field](dataset)):
            expected[value] = expected.get(value, 0) + 1
    assert counted == expected


def test_a_sort_orders_the_found_datasets_and_an_unknown_sort_is_refused():
    found_datasets = [_dataset(n, [WORDS[n]], n % 2, INDICATOR, [2025]) for n in range(6)]
    found_datasets.sort(key=lambda d: d.name)
    index = SearchIndex.build(found_datasets)
    newest_first = [index.datasets[p] for p in index.order("metadata_modified desc")]
    assert [d.modified for d in newest_first] == sorted(
        (d.modified for d in found_datasets), reverse=True
    )
    with pytest.raises(ckan_query.QueryError, match="khong_co"):
        index.order("khong_co desc")


def test_a_page_holds_the_rows_asked_and_none_when_zero_are_asked():
    from lotrinh.opendata.search import Found

    found_datasets = [_dataset(n, [WORDS[n]], n % 2, INDICATOR, [2025]) for n in range(6)]
    found_datasets.sort(key=lambda d: d.name)
    index = SearchIndex.build(found_datasets)
    found = Found(index, index.everything, "name asc")
    assert found.page(0, 0) == []
    assert [d.name for d in found.page(2, 3)] == [d.name for d in found_datasets[2:5]]
    assert found.page(6, 10) == []
