"""Filter values read from a page's address: each is kept when it is one of its filter's choices,
otherwise dropped with a message naming the filter and the value, so that a mistyped address
(`?year=abc`) says what went wrong instead of silently showing nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

SHOWN_VALUE_LENGTH = 40


@dataclass(frozen=True)
class Choice:
    label: Promise  # the filter's name as its list shows it
    accepts: Callable[[str], bool]


def one_of(*values: str) -> Callable[[str], bool]:
    allowed = frozenset(values)
    return allowed.__contains__


def read_filters(
    query: Mapping[str, str], choices: Mapping[str, Choice]
) -> tuple[dict[str, str], list[str]]:
    """The filters' values ("" for none or a refused one) and a bilingual message per refused value."""
    kept: dict[str, str] = {}
    problems: list[str] = []
    for name, choice in choices.items():
        value = query.get(name, "")
        if not value or choice.accepts(value):
            kept[name] = value
            continue
        kept[name] = ""
        shown = value if len(value) <= SHOWN_VALUE_LENGTH else value[:SHOWN_VALUE_LENGTH] + "…"
        problems.append(
            UserFacingError(
                _(
                    "“%(value)s” is not one of the choices of the filter “%(filter)s”, so that "
                    "filter was not applied. Choose a value from its list."
                ),
                value=shown,
                filter=choice.label,
            ).bilingual()
        )
    return kept, problems
