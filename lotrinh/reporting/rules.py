"""Rules across fields: readable expressions over data element codes, compiled once to Python code.

A rule such as `ho_so_cong_viec_dien_tu <= tong_ho_so_cong_viec` is stored as data. It is parsed
with Python's own parser and accepted only if every part of it is on a short list: numbers, data
element codes, comparisons, + - * / %, and/or/not, a conditional (x if c else y), and the functions
abs, min and max. Attributes, subscripts, strings, powers, other calls and private names are refused
when the rule is written, so evaluation can do nothing but arithmetic on the figures given to it.

Why not a tree-walking interpreter (simpleeval): an import checks the same 30 rules for thousands of
units; evaluating compiled code is about ten times faster and keeps validation off the critical path.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import CodeType
from typing import Any

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

MAX_LENGTH = 500
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FUNCTIONS: dict[str, Any] = {"abs": abs, "min": min, "max": max}
_NODES = (
    ast.Expression,
    ast.Compare,
    ast.BoolOp,
    ast.UnaryOp,
    ast.BinOp,
    ast.IfExp,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Mod,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)


class RuleError(UserFacingError):
    """A rule expression that cannot be accepted; the message says which part and why."""


@dataclass(frozen=True, eq=False)
class CompiledRule:
    expression: str
    names: frozenset[str]  # the data element codes it reads
    code: CodeType
    # No builtins; abs/min/max and the rule's decimal literals (bound by name so arithmetic stays
    # exact). The figures themselves are passed as the local names, so nothing is copied per call.
    scope: dict[str, Any]  # never written to: a rule has no assignments

    def holds(self, values: Mapping[str, Decimal]) -> bool | None:
        """True or False; None when a figure it reads is missing or the arithmetic is undefined
        (division by zero): the rule is then skipped, and required-field checks speak instead."""
        # The keys' view compares without building a set of every figure's code (30 rules
        # × 4,000 reports of an import).
        if not values.keys() >= self.names:
            return None
        try:
            return bool(eval(self.code, self.scope, values))  # noqa: S307 - checked AST
        except (ArithmeticError, TypeError, ValueError):
            return None


class _Decimals(ast.NodeTransformer):
    """Replace non-integer literals by names bound to Decimals (1.1 * x stays exact)."""

    def __init__(self) -> None:
        self.constants: dict[str, Decimal] = {}

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, float):
            name = f"_c{len(self.constants)}"
            self.constants[name] = Decimal(str(node.value))
            return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
        return node


def _refuse(expression: str, message: Any, **params: object) -> RuleError:
    return RuleError(message, expression=expression, **params)


@functools.lru_cache(maxsize=4096)
def compile_rule(expression: str) -> CompiledRule:
    """Parse and check a rule; raises RuleError naming the part that is not allowed."""
    text = expression.strip()
    if not text:
        raise _refuse(expression, _("The rule is empty."))
    if len(text) > MAX_LENGTH:
        raise _refuse(expression, _("The rule is longer than %(max)s characters."), max=MAX_LENGTH)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _refuse(
            expression,
            _("The rule “%(expression)s” cannot be read near character %(column)s."),
            column=exc.offset or 1,
        ) from exc
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        raise _refuse(expression, _("The rule “%(expression)s” cannot be read.")) from exc
    names: set[str] = set()
    for node in ast.walk(tree):
        _check_node(text, expression, node)
        if isinstance(node, ast.Name) and node.id not in _FUNCTIONS:
            names.add(node.id)
    decimals = _Decimals()
    tree = ast.fix_missing_locations(decimals.visit(tree))
    scope = {"__builtins__": {}, **_FUNCTIONS, **decimals.constants}
    return CompiledRule(text, frozenset(names), compile(tree, "<rule>", "eval"), scope)


def _check_node(text: str, expression: str, node: ast.AST) -> None:
    """Raise RuleError unless this part of a rule is on the allowed list."""
    part = ast.get_source_segment(text, node)
    if not isinstance(node, _NODES):
        raise _refuse(
            expression,
            _("“%(part)s” is not allowed in a rule (“%(expression)s”)."),
            part=part or type(node).__name__,
        )
    if isinstance(node, ast.Constant) and (
        isinstance(node.value, bool) or not isinstance(node.value, int | float)
    ):
        raise _refuse(
            expression,
            _("Only numbers may be written in a rule, not “%(part)s”."),
            part=part or repr(node.value),
        )
    if isinstance(node, ast.Call) and not (
        isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and not node.keywords
    ):
        raise _refuse(
            expression, _("Only abs, min and max may be called in a rule (“%(expression)s”).")
        )
    if isinstance(node, ast.Name) and not (node.id in _FUNCTIONS or _NAME.match(node.id)):
        raise _refuse(expression, _("“%(part)s” is not a data element code."), part=node.id)


def check_rule_names(expression: str, known: Collection[str]) -> None:
    """Raise RuleError when the rule reads a code that is not on the regime's form."""
    unknown = sorted(compile_rule(expression).names - set(known))
    if unknown:
        raise RuleError(
            _("The rule “%(expression)s” names %(codes)s, which is not on this regime's form."),
            expression=expression,
            codes=", ".join(unknown),
        )
