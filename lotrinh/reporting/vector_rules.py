"""Rules across fields evaluated for thousands of reports at once, in floating point, with a bound.

`compile_rule(...).holds` evaluates a rule on one report's Decimals. An import checks the same rules
for thousands of units, so here a rule is evaluated on numpy columns instead: every value is a
float64 together with a bound on its distance to the Decimal the exact evaluation would compute
(float rounding and Decimal's 28-digit rounding both fit in it). Where that bound makes the answer
uncertain (two sides of a comparison too close, a divisor that may be zero, an overflow) the row
is marked `unsure`, and the caller asks the exact evaluation instead. Whole numbers below 2**53
(most reported figures) are exact in both, so comparing them is never uncertain.

Rules using anything else (%, a literal too large for a float, a call with the wrong number of
arguments, a name that is not a figure) are not compiled here: `compile_vector_rule` returns None
and the caller evaluates them one report at a time.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from lotrinh.reporting.rules import compile_rule

# Relative slack per operation: one float64 rounding (2**-53) and one 28-digit Decimal rounding
# (5e-28), with room to spare for rounding while the bound itself is computed.
_SLACK = 2.0**-50
_TINY = 1e-290  # absolute slack, for results too small for the relative one (subnormals)
_EXACT_LIMIT = 2.0**53  # whole floats below this add, subtract and multiply exactly

_COMPARE: dict[type[ast.cmpop], Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


@dataclass
class Column:
    """One figure over many reports: the float nearest each value, and a bound on the distance to
    the exact value (0 when the float is the value)."""

    value: np.ndarray
    error: np.ndarray


@dataclass
class _Result:
    value: np.ndarray
    error: np.ndarray
    raised: np.ndarray  # the exact evaluation raises an ArithmeticError here (rule skipped)
    unsure: np.ndarray  # the float evaluation cannot tell: ask the exact one


@dataclass(frozen=True)
class Outcome:
    """Per report: `broken` where the rule is False; `unsure` where only the exact evaluation can
    say. Reports missing a figure the rule names are neither (the rule is skipped for them)."""

    broken: np.ndarray
    unsure: np.ndarray


@dataclass(frozen=True, eq=False)
class VectorRule:
    names: frozenset[str]
    tree: ast.expr

    def evaluate(self, columns: Mapping[str, Column], known: np.ndarray) -> Outcome:
        """`columns` holds every name of the rule; `known` marks the reports having all of them."""
        with np.errstate(all="ignore"):
            result = _Evaluator(columns, len(known)).visit(self.tree)
            truth, unsure = _truth(result)
            unsure = known & (result.unsure | unsure)
            broken = known & ~unsure & ~result.raised & ~truth
        return Outcome(broken, unsure)


@functools.lru_cache(maxsize=1024)
def compile_vector_rule(expression: str) -> VectorRule | None:
    """The rule for columns, or None when it uses something only the exact evaluation handles.
    Raises RuleError as compile_rule does for a rule that is not allowed at all."""
    compiled = compile_rule(expression)
    tree = ast.parse(compiled.expression, mode="eval").body
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    nodes = (node for node in ast.walk(tree) if id(node) not in called)
    if not all(_supported(node, compiled.names) for node in nodes):
        return None
    return VectorRule(compiled.names, tree)


def _supported(node: ast.AST, names: frozenset[str]) -> bool:  # noqa: C901 - one case per node kind
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, int):
            return abs(value) < _EXACT_LIMIT
        return isinstance(value, float) and np.isfinite(value)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            return False
        count = len(node.args)
        return count == 1 if node.func.id == "abs" else count >= 2
    if isinstance(node, ast.Name):  # a function's own name is checked with its call
        return node.id in names
    return isinstance(
        node,
        ast.Compare
        | ast.BoolOp
        | ast.UnaryOp
        | ast.IfExp
        | ast.expr_context
        | ast.cmpop
        | ast.operator
        | ast.boolop
        | ast.unaryop,
    )


def _exact_whole(result: _Result) -> np.ndarray:
    """Where the value is exactly a whole number that float arithmetic handles without rounding."""
    value = result.value
    return (result.error == 0) & (np.floor(value) == value) & (np.abs(value) < _EXACT_LIMIT)


def _rounding(value: np.ndarray, error: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """The bound on the rounding of an operation's result (none where it is exact)."""
    return np.where(exact, 0.0, _SLACK * (np.abs(value) + error) + _TINY)


def _truth(result: _Result) -> tuple[np.ndarray, np.ndarray]:
    """bool() of each value, and where the bound makes it uncertain (a value near zero)."""
    truth = result.value != 0
    unsure = (result.error > 0) & (np.abs(result.value) <= result.error * (1 + _SLACK) + _TINY)
    return truth, unsure


class _Evaluator(ast.NodeVisitor):
    """Evaluates a checked rule's tree on columns; each visit_* returns the node's _Result."""

    def __init__(self, columns: Mapping[str, Column], size: int) -> None:
        self.columns = columns
        self.size = size

    def _plain(self, value: np.ndarray, error: np.ndarray | None = None) -> _Result:
        no = np.zeros(self.size, dtype=bool)
        return _Result(value, np.zeros(self.size) if error is None else error, no, no)

    def visit(self, node: ast.AST) -> _Result:
        result: _Result = super().visit(node)
        # An overflow (inf) or inf - inf (nan) says nothing about the exact value.
        result.unsure = result.unsure | ~(np.isfinite(result.value) & np.isfinite(result.error))
        return result

    def visit_Name(self, node: ast.Name) -> _Result:
        column = self.columns[node.id]
        return self._plain(column.value, column.error)

    def visit_Constant(self, node: ast.Constant) -> _Result:
        if isinstance(node.value, int):
            return self._plain(np.full(self.size, float(node.value)))
        exact = Decimal(str(node.value))  # as rules.py binds it
        value = float(exact)
        error = 0.0 if Decimal(value) == exact else abs(value) * _SLACK + _TINY
        return self._plain(np.full(self.size, value), np.full(self.size, error))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> _Result:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            truth, unsure = _truth(operand)
            return _Result(
                (~truth).astype(float), np.zeros(self.size), operand.raised, operand.unsure | unsure
            )
        value = -operand.value if isinstance(node.op, ast.USub) else operand.value
        error = operand.error + _rounding(value, operand.error, _exact_whole(operand))
        return _Result(value, error, operand.raised, operand.unsure)

    def visit_BinOp(self, node: ast.BinOp) -> _Result:
        left, right = self.visit(node.left), self.visit(node.right)
        raised = left.raised | right.raised
        unsure = left.unsure | right.unsure
        if isinstance(node.op, ast.Div):
            return self._divide(left, right, raised, unsure)
        if isinstance(node.op, ast.Mult):
            value = left.value * right.value
            carried = (
                np.abs(left.value) * right.error
                + np.abs(right.value) * left.error
                + left.error * right.error
            )
        else:
            value = (
                left.value + right.value
                if isinstance(node.op, ast.Add)
                else left.value - right.value
            )
            carried = left.error + right.error
        exact = _exact_whole(left) & _exact_whole(right) & (np.abs(value) < _EXACT_LIMIT)
        return _Result(value, carried + _rounding(value, carried, exact), raised, unsure)

    def _divide(
        self, left: _Result, right: _Result, raised: np.ndarray, unsure: np.ndarray
    ) -> _Result:
        divisor = np.abs(right.value)
        zero = (right.value == 0) & (right.error == 0)  # Decimal raises: the rule is skipped
        near_zero = ~zero & (divisor <= right.error * (1 + _SLACK) + _TINY)
        value = left.value / np.where(zero, 1.0, right.value)
        carried = (left.error + np.abs(value) * right.error) / np.maximum(
            divisor - right.error * (1 + _SLACK), _TINY
        )
        error = carried + _rounding(value, carried, np.zeros(self.size, dtype=bool))
        return _Result(value, error, raised | zero, unsure | near_zero)

    def visit_Call(self, node: ast.Call) -> _Result:
        assert isinstance(node.func, ast.Name)  # checked by _supported
        args = [self.visit(arg) for arg in node.args]
        raised = functools.reduce(operator.or_, (a.raised for a in args))
        unsure = functools.reduce(operator.or_, (a.unsure for a in args))
        if node.func.id == "abs":
            (only,) = args
            value = np.abs(only.value)
            error = only.error + _rounding(value, only.error, _exact_whole(only))
            return _Result(value, error, raised, unsure)
        pick = np.minimum if node.func.id == "min" else np.maximum
        value = functools.reduce(pick, (a.value for a in args))
        # min and max move by no more than the largest error of their arguments.
        error = functools.reduce(np.maximum, (a.error for a in args))
        return _Result(value, error, raised, unsure)

    def visit_IfExp(self, node: ast.IfExp) -> _Result:
        test, body, orelse = self.visit(node.test), self.visit(node.body), self.visit(node.orelse)
        truth, unsure = _truth(test)
        return _Result(
            np.where(truth, body.value, orelse.value),
            np.where(truth, body.error, orelse.error),
            test.raised | np.where(truth, body.raised, orelse.raised),
            test.unsure | unsure | body.unsure | orelse.unsure,
        )

    def visit_BoolOp(self, node: ast.BoolOp) -> _Result:
        # `a and b` is a when a is false, else b; `a or b` is a when a is true, else b. The values
        # themselves are returned, not booleans (they may be compared or added afterwards).
        result = self.visit(node.values[0])
        for operand in node.values[1:]:
            following = self.visit(operand)
            truth, unsure = _truth(result)
            keep = ~truth if isinstance(node.op, ast.And) else truth
            result = _Result(
                np.where(keep, result.value, following.value),
                np.where(keep, result.error, following.error),
                result.raised | (~keep & following.raised),
                result.unsure | unsure | following.unsure,
            )
        return result

    def visit_Compare(self, node: ast.Compare) -> _Result:
        # a < b < c is (a < b) and (b < c), b evaluated once, c only when a < b.
        left = self.visit(node.left)
        truth = np.ones(self.size, dtype=bool)
        raised, unsure = left.raised, left.unsure
        for op, operand in zip(node.ops, node.comparators, strict=True):
            right = self.visit(operand)
            raised = raised | (truth & right.raised)
            step, step_unsure = _compare(_COMPARE[type(op)], left, right)
            unsure = unsure | right.unsure | step_unsure
            truth = truth & step
            left = right
        return _Result(truth.astype(float), np.zeros(self.size), raised, unsure)


def _compare(
    compare: Callable[[np.ndarray, np.ndarray], np.ndarray], left: _Result, right: _Result
) -> tuple[np.ndarray, np.ndarray]:
    """The comparison of the floats, and where the exact values could compare differently: both
    floats exact compare exactly; otherwise they must be further apart than their errors."""
    errors = left.error + right.error
    tolerance = np.where(
        errors > 0,
        errors * (1 + _SLACK) + _SLACK * (np.abs(left.value) + np.abs(right.value)) + _TINY,
        0.0,
    )
    unsure = (errors > 0) & (np.abs(left.value - right.value) <= tolerance)
    return compare(left.value, right.value), unsure
