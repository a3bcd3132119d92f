"""Rules evaluated on columns: wherever the float evaluation is sure, it agrees with the exact one."""

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lotrinh.reporting.rules import compile_rule
from lotrinh.reporting.vector_rules import Column, compile_vector_rule

NAMES = ("a", "b", "c")

FIGURES = st.one_of(
    st.integers(-(10**15) + 1, 10**15 - 1).map(Decimal),
    st.integers(-1000, 1000).map(Decimal),
    st.sampled_from(["0", "-0", "0.1", "0.2", "0.3", "1.5", "2.5", "1e-20", "100", "33.333"]).map(
        Decimal
    ),
    st.decimals(min_value=-(10**15) + 1, max_value=10**15 - 1, allow_nan=False, places=4),
)


def _terms() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(NAMES),
        st.sampled_from(["0", "1", "2", "3", "10", "0.1", "0.5", "1.1", "2.5", "1e300"]),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda t: f"-{t}"),
            inner.map(lambda t: f"abs({t})"),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
        )

    return st.recursive(leaves, grow, max_leaves=6)


COMPARISONS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


def rule_expressions() -> st.SearchStrategy[str]:
    """Small rules: mostly comparisons (also chained), sometimes not/and/or of them, or a bare term."""
    terms = _terms()
    comparison = st.one_of(
        st.tuples(terms, COMPARISONS, terms).map(" ".join),
        st.tuples(terms, COMPARISONS, terms, COMPARISONS, terms).map(" ".join),
    )
    return st.one_of(
        comparison,
        comparison.map(lambda c: f"not ({c})"),
        st.tuples(comparison, st.sampled_from(["and", "or"]), comparison).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        ),
        terms,
    )


@settings(max_examples=400, deadline=None)
@given(rule_expressions(), st.lists(st.tuples(FIGURES, FIGURES, FIGURES), min_size=1, max_size=8))
def test_a_rule_on_columns_agrees_with_the_exact_rule_wherever_it_is_sure(expression, rows):
    vector = compile_vector_rule(expression)
    if vector is None:  # left to the exact evaluation (%, huge literals...)
        return
    columns = {
        name: Column(
            np.array([float(row[i]) for row in rows]),
            np.array(
                [
                    0.0
                    if Decimal(float(row[i])) == row[i]
                    else abs(float(row[i])) * 2.0**-52 + 1e-290
                    for row in rows
                ]
            ),
        )
        for i, name in enumerate(NAMES)
    }
    outcome = vector.evaluate(columns, np.ones(len(rows), dtype=bool))
    exact = compile_rule(expression)
    for index, row in enumerate(rows):
        if not outcome.unsure[index]:
            holds = exact.holds(dict(zip(NAMES, row, strict=True)))
            assert bool(outcome.broken[index]) == (holds is False), (expression, row, holds)


def test_equal_whole_numbers_compare_without_doubt():
    outcome = compile_vector_rule("b <= a").evaluate(
        {
            "a": Column(np.array([5.0, 5.0]), np.zeros(2)),
            "b": Column(np.array([5.0, 6.0]), np.zeros(2)),
        },
        np.ones(2, dtype=bool),
    )
    assert outcome.broken.tolist() == [False, True]
    assert not outcome.unsure.any()


def test_a_sum_of_decimals_equal_to_a_bound_is_left_to_the_exact_check():
    point = {
        code: Column(np.array([float(v)]), np.array([abs(float(v)) * 2.0**-52]))
        for code, v in (("a", "0.1"), ("b", "0.2"), ("c", "0.3"))
    }
    outcome = compile_vector_rule("a + b == c").evaluate(point, np.ones(1, dtype=bool))
    assert outcome.unsure.tolist() == [True]


def test_a_division_by_zero_skips_the_rule_as_the_exact_evaluation_does():
    outcome = compile_vector_rule("a / b > 1").evaluate(
        {"a": Column(np.array([3.0]), np.zeros(1)), "b": Column(np.array([0.0]), np.zeros(1))},
        np.ones(1, dtype=bool),
    )
    assert not outcome.broken.any() and not outcome.unsure.any()


def test_rows_missing_a_figure_are_neither_broken_nor_unsure():
    outcome = compile_vector_rule("a < 0").evaluate(
        {"a": Column(np.array([5.0]), np.zeros(1))}, np.zeros(1, dtype=bool)
    )
    assert not outcome.broken.any() and not outcome.unsure.any()


def test_modulo_and_huge_literals_are_left_to_the_exact_evaluation():
    assert compile_vector_rule("a % 2 == 0") is None
    assert compile_vector_rule(f"a < {2**60}") is None
    assert compile_vector_rule("a < min(b)") is None
