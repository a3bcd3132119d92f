"""Kept usual ranges read as arrays give what the same ranges read as mappings give."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.reporting.importing.screen import Unit, _mapping_bounds, _table_bounds
from lotrinh.reporting.range_table import RangeTable, stacked_bounds

CODES = {1: "a", 2: "b", 3: "c", 7: "off_form"}
COLUMNS = ["c", "a", "b", "d"]  # "d" has no element with ranges; "off_form" is not a column
BOUND = st.floats(-1e6, 1e6)
TRIPLES = st.dictionaries(
    st.sampled_from([1, 2, 3, 7, 42]),  # 42: an element no longer named (left out)
    st.tuples(BOUND, BOUND),
    max_size=5,
)


def table(ranges):
    rows = [(element, low, high) for element, (low, high) in ranges.items()]
    return RangeTable(np.array(rows, dtype="<f8").reshape(-1, 3), CODES)


def test_a_range_table_reads_as_a_mapping_by_code():
    ranges = table({2: (1.0, 5.0), 42: (0.0, 1.0), 7: (3.0, 4.0)})
    assert dict(ranges) == {"b": (1.0, 5.0), "off_form": (3.0, 4.0)}
    assert ranges["b"] == (1.0, 5.0) and "a" not in ranges and len(ranges) == 2
    assert dict(table({})) == {}


@given(st.lists(st.one_of(TRIPLES.map(table), st.just({})), max_size=6))
def test_bounds_from_arrays_are_the_bounds_from_mappings(usuals):
    units = [Unit({}, usual) for usual in usuals]
    fast = _table_bounds(units, COLUMNS)
    assert fast is not None
    slow = _mapping_bounds(units, COLUMNS, (len(units), len(COLUMNS)))
    assert fast.shape == slow.shape and np.array_equal(fast, slow)


def test_ranges_named_by_other_codes_or_given_as_dicts_take_the_mapping_path():
    other = RangeTable(np.array([(1, 0.0, 1.0)], dtype="<f8"), dict(CODES))
    assert stacked_bounds([table({1: (0.0, 1.0)}), other], COLUMNS) is None
    assert _table_bounds([Unit({}, table({})), Unit({}, {"a": (0.0, 1.0)})], COLUMNS) is None
