"""The part of CKAN's Solr query syntax that `package_search` accepts for `q` and `fq` (pure).

Free words, `field:value`, `field:"quoted value"`, `+`/`-` prefixes, `AND`/`OR` between terms and
`*:*`. Words match with or without diacritics (`core.text.search_key`). Terms are all required
unless joined by OR, as Solr's default operator in CKAN's search form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TERM = re.compile(r'([+-]?)(?:([A-Za-z_][\w.]*):)?("[^"]*"|\S+)')
# Fields whose value is matched as words anywhere in it; the others must equal a value.
TEXT_FIELDS = frozenset({"title", "notes", "text"})


class QueryError(ValueError):
    """A query that cannot be read: CKAN answers it with a "Search Query Error" (400)."""


@dataclass(frozen=True)
class Term:
    field: str  # "" for free text
    value: str
    sign: str  # "+" required, "-" excluded, "" required unless joined by OR


@dataclass(frozen=True)
class Query:
    """Groups of terms: a document matches when every group has a term that matches (OR inside a
    group) and no excluded term matches."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]


def parse(text: str, fields: Sequence[str]) -> Query:
    """Read a `q` or `fq` string; `fields` are the field names a term may name."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joined = False
    for match in _TERM.finditer(text or ""):
        sign, field, value = match.group(1), match.group(2) or "", match.group(3)
        if not field and not sign and value in ("AND", "&&"):
            continue
        if not field and not sign and value in ("OR", "||"):
            joined = bool(groups)
            continue
        if field == "*" or (not field and value in ("*", "*:*")):
            continue
        if field and field not in fields:
            raise QueryError(f"Unknown field '{field}' (trường không có: {field})")
        term = Term(field, value.strip('"'), sign)
        if sign == "-":
            excluded.append(term)
        elif joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))
