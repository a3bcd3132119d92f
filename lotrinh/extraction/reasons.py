"""Why a number was proposed as a target, in words a reviewer reads next to the row.

Built from what the extractor recorded (`rule`, `year_source`, `confidence`) and the row's own
values, so the reasons never disagree with the proposal. Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotrinh.core.text import collapse_whitespace
from lotrinh.extraction.forms import ACCEPT_CONFIDENCE

# Below this a reviewer should check the row closely (it is also sorted first).
DOUBTFUL_CONFIDENCE = 0.75
# How much of the words that state a year is quoted beside a row.
QUOTE_LENGTH = 90

_COMPARATOR_WORDS = re.compile(
    r"(?<!\w)(tối\s+thiểu|ít\s+nhất|trở\s+lên|trên|hơn|vượt|tối\s+đa|không\s+quá|dưới|khoảng|"
    r"gần|top|tốp|nhóm|≥|>=|≤|<=|>|<|~|≈)(?!\w)",
    re.IGNORECASE,
)


def _what(rule: str) -> str:
    kinds = (
        ("table-cell", _("a value cell of a table")),
        ("percent-range", _("a range of percentages")),
        ("percent", _("a percentage")),
        ("rank", _("a rank")),
        ("count-in-words", _("a count written in words")),
        ("count", _("a count of things")),
        ("per-population", _("a figure per so many people")),
        ("technical-unit", _("a figure with a technical unit")),
        ("index-value", _("an index value")),
        ("implied-100-all", _("“all” read as 100%")),
    )
    return next((text for prefix, text in kinds if rule.startswith(prefix)), _("a number"))


def _year_origin(rule: str, year_source: str) -> str:
    if "+header-year" in rule:
        return _("from the column heading")
    if "+table-section-year" in rule:
        return _("from a heading row inside the table")
    if "+caption-year" in rule:
        return _("from the table's caption or the sentence above it")
    if "+document-year" in rule or "+title-year" in rule:
        return _("from the document's title")
    if "+deadline-column-year" in rule:
        return _("from the row's deadline column")
    if "+carried-year" in rule:
        return _("carried from the sentence before")
    if "+bracket-year" in rule:
        return _("from the brackets after the value")
    if "+year-after" in rule:
        return _("stated after the value")
    if year_source == "explicit":
        return _("stated in the sentence")
    return _("from the heading or lead-in above")


def year_words(document: str, span: Sequence[int], year: int) -> str:
    """The words of `document` at `span` that state `year`, cut to about 90 characters around
    the year so that a long heading or title still reads as a quotation."""
    words = collapse_whitespace(document[span[0] : span[1]]).strip(" |*_#:")
    if len(words) <= QUOTE_LENGTH:
        return words
    at = max(words.find(str(year)), 0)
    start = max(0, min(at - QUOTE_LENGTH // 2, len(words) - QUOTE_LENGTH))
    quote = words[start : start + QUOTE_LENGTH].strip()
    return ("…" if start > 0 else "") + quote + ("…" if start + QUOTE_LENGTH < len(words) else "")


def reasons(proposal: Mapping[str, Any], row: Mapping[str, Any], document: str = "") -> list[str]:
    """Short sentences saying where the row's number, year, tier and comparator came from.

    `proposal` is what the extractor recorded (rule, year_source, confidence, the year and where
    the document states it); `row` the values proposed on the form (year, level, comparator,
    text); `document` the text the spans point into.
    """
    rule, year_source = str(proposal.get("rule", "")), str(proposal.get("year_source", "none"))
    found = [_("Read as %(what)s.") % {"what": _what(rule)}]
    if "+baseline" in rule:
        found.append(_("It describes the past or present: proposed as a baseline."))
    year = row.get("year")
    span = proposal.get("year_span")
    if year and span and document and str(year) == str(proposal.get("year")):
        found.append(
            _("Year %(year)s %(origin)s: “%(words)s”.")
            % {
                "year": year,
                "origin": _year_origin(rule, year_source),
                "words": year_words(document, span, int(year)),
            }
        )
    elif year:
        found.append(
            _("Year %(year)s %(origin)s.")
            % {"year": year, "origin": _year_origin(rule, year_source)}
        )
    else:
        found.append(_("No deadline year was found: enter it."))
    if row.get("level"):
        found.append(_("Tier named in the text."))
    word = _COMPARATOR_WORDS.search(str(row.get("text", "")))
    if word:
        found.append(_("Comparator from “%(word)s”.") % {"word": " ".join(word.group().split())})
    confidence = float(proposal.get("confidence", 0))
    shown = number_format(confidence, 2)
    if confidence < ACCEPT_CONFIDENCE:
        found.append(
            _("Confidence %(value)s: not ticked; accept it only if it is a target.")
            % {"value": shown}
        )
    elif confidence < DOUBTFUL_CONFIDENCE:
        found.append(_("Confidence %(value)s: check this row.") % {"value": shown})
    else:
        found.append(_("Confidence %(value)s.") % {"value": shown})
    return found


def is_doubtful(proposal: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Rows a reviewer should look at first: low confidence or no year."""
    return float(proposal.get("confidence", 0)) < DOUBTFUL_CONFIDENCE or not row.get("year")
