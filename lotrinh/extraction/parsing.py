"""From a resolution's text to proposed targets: the pure entry points of target extraction.

`extract_targets(text)` reads a document and returns one `ProposedTarget` per quantity that
states a target, with the offsets of its statement in `normalise_document(text)` and the name of
the rule that produced it. Nothing here touches the database or the network.

How a number becomes a target, in order (each step is a function in `rules` or `segments`):
1. The document is cut into blocks (paragraphs, bullets, headings); broken lines are joined.
2. Blocks in a current-state section ("hiện trạng", "tình hình") are skipped: their figures are
   baselines. So are statements that describe the present ("hiện có", "đã đạt").
3. In each block, rules find percentages (7,5%), ranges (15% đến 20%), ranks (thứ hạng 30/63,
   nhóm 15 tỉnh dẫn đầu) and counts of known things (02 trung tâm dữ liệu, ba đô thị).
4. Each number gets a deadline: a year in its own bracket ("(mục tiêu năm 2030 là 90%)"), a
   year right after it ("30% vào năm 2030"), the last deadline before it in the block, the year
   of its section heading or lead-in sentence, the last deadline of the prose paragraphs right
   before it ("Phấn đấu đến năm 2030, …" then "Khi đó, 100% …"), or none. "Mỗi năm" makes it
   annual.
5. Its comparator, strictness and administrative level come from the words around it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.extraction import rules, tables
from lotrinh.extraction.documents import check_deadline, check_length
from lotrinh.extraction.limits import ExtractionLimits
from lotrinh.extraction.naming import (
    indicator_name,
    left_phrase,
    match_indicator,
    names_a_quantity,
    pillar_for,
    right_phrase,
)
from lotrinh.extraction.rules import Mention
from lotrinh.extraction.segments import (
    Block,
    dated_year,
    deadline_years,
    document_year,
    is_report,
    normalise_document,
    split_blocks,
    title_span,
    title_year,
)

__all__ = [
    "ExtractionResult",
    "ProposedTarget",
    "extract_document",
    "extract_targets",
    "match_indicator",
    "normalise_document",
]

MAX_TEXT = 300
# How many numbers back a bracket's values look for the ones they restate.
_SOURCES_REACH = 100
# How many blocks in a row without a deadline or a target end the prose's carried year.
_CARRY_GAP = 2
_BASE_CONFIDENCE = {
    "percent": 0.9,
    "percent-range": 0.9,
    "rank-position": 0.85,
    "rank-group": 0.85,
    "rank-fraction": 0.8,
    "count": 0.7,
    "count-in-words": 0.6,
    "count-range": 0.7,
    # A noun the extractor does not know, counted because a floor word stands before it.
    "count-after-floor": 0.6,
    "per-population": 0.8,
    "technical-unit": 0.75,
    "index-value": 0.7,
    "implied-100-all": 0.5,
}
_VERB = re.compile(
    r"(?<!\w)(?P<verb>tăng|giảm|chiếm|đạt|phủ(?:\s+khắp)?)"
    r"(?:\s+(?:tối\s+thiểu|ít\s+nhất|khoảng|trên|hơn|từ|bình\s+quân))*\s*$",
    re.IGNORECASE,
)
_SHARED_UNIT_GAP = re.compile(
    r"\s*(?:trở\s+lên\s+)?(?:(?:trong|của)\s+)?(?:GRDP|GDP)?(?:\s+của\s+tỉnh)?\s*(?:và|,)\s*"
    r"(?:(?:đến|vào)\s+(?:năm\s+)?20\d\d\s*,?\s*)?(?:(?:sẽ\s+)?(?:là|đạt|chiếm)\s+)?"
    r"(?:(?:khoảng|trên|tối\s+thiểu)\s+)?",
    re.IGNORECASE,
)
# After a bare percentage that shares the share-of-GRDP unit: no counted noun of its own
# ("15% GRDP, tối thiểu 70% số xã" counts communes).
_NO_NOUN_AFTER = re.compile(r"\s*(?:trở\s+lên|vào|trong|đến|[,;.)…]|$)", re.IGNORECASE)
# "tỷ trọng kinh tế số (của tỉnh) đạt 20%", "kinh tế số chiếm 20%": the subject is a share of
# the economy, so the percentage is of GRDP even when GRDP is not written after it.
_DIGITAL_ECONOMY_SHARE_BEFORE = re.compile(
    r"(?:(?:tỷ|tỉ)\s+trọng\s+kinh\s+tế\s+số|kinh\s+tế\s+số)(?:\s+của\s+(?:tỉnh|thành\s+phố))?"
    r"\s+(?:(?:đạt|chiếm|là)\s+)?(?:(?:khoảng|tối\s+thiểu|ít\s+nhất|từ|trên|hơn)\s+)?$",
    re.IGNORECASE,
)
# "20% tỷ trọng kinh tế số đóng góp vào GRDP": the share is named after the value.
_DIGITAL_ECONOMY_SHARE_AFTER = re.compile(
    r"\s*(?:tỷ|tỉ)\s+trọng\s+kinh\s+tế\s+số[^,;.\d%]{0,40}?(?:vào|trong)\s+GRDP(?!\w)",
    re.IGNORECASE,
)
# "tỉ trọng kinh tế số của tỉnh đạt 20% GDP": a province's product is its GRDP.
_PROVINCE_SUBJECT = re.compile(r"(?<!\w)của\s+tỉnh(?!\w)", re.IGNORECASE)
# "thứ hạng 30 về chỉ số cạnh tranh (GCI)": the index is named after "về"; its acronym is kept,
# since one acronym can stand for two indices.
_RANK_ABOUT = re.compile(
    r"\s*(?:(?:tỉnh|địa\s+phương|tỉnh\s+thành)\s+)?về\s+(?P<index>[^,;.()]+?(?:\s*\([A-Z]{2,8}\))?)"
    r"\s*(?=[,;.(]|$)",
    re.IGNORECASE,
)
_PAREN_YEAR = re.compile(r"(?<!\w)năm\s+(20\d\d)(?!\d)", re.IGNORECASE)
_VIETNAMESE_LETTERS = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I
)


@dataclass(frozen=True)
class ProposedTarget:
    """A target proposed from a document, with the fields of the reviewed-targets schema.

    `start`/`end` locate `text` in the normalised document (`normalise_document`), `confidence`
    is between 0 and 1, and `rule` names the rule that produced it, so a reviewer can see why a
    number became a target.
    """

    pillar: str
    indicator: str
    level: str | None
    year: int | None
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str
    strict: bool
    rank_total: int | None
    period: str | None
    text: str
    start: int
    end: int
    confidence: float
    rule: str
    year_source: str = "none"
    # A past figure the text states ("năm 2023 đạt 85%"): proposed as a baseline, not a target.
    is_baseline: bool = False
    # Where the document states the year: a deadline in the sentence, the heading or lead-in
    # above, a table's heading cell or caption, the title (offsets in the normalised document).
    year_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class YearFrom:
    """A year that applies to a statement naming none, and where the document states it."""

    year: int
    span: tuple[int, int] | None


@dataclass(frozen=True)
class ExtractionResult:
    """Everything extraction found in one document: the targets and notes for the reader."""

    document: str
    targets: list[ProposedTarget] = field(default_factory=list)
    notes: list[Promise | str] = field(default_factory=list)
    baselines: list[ProposedTarget] = field(default_factory=list)


def extract_targets(text: str) -> list[ProposedTarget]:
    """Return the targets proposed for a document's text, in document order."""
    return extract_document(text).targets


def extract_document(text: str, limits: ExtractionLimits | None = None) -> ExtractionResult:
    """Return the normalised document, its proposed targets and notes (e.g. "not Vietnamese").

    With `limits`, a text longer than allowed raises ExtractionError before it is read, reading
    stops (with a note) after `limits.candidates` numbers, and raises ExtractionError when it
    takes longer than `limits.seconds`.
    """
    if limits is not None:
        check_length(text, limits)
    deadline = limits.deadline() if limits is not None else None
    room = limits.candidates if limits is not None else None
    document = normalise_document(text)
    if not looks_vietnamese(document):
        return ExtractionResult(
            document,
            notes=[_("The text does not look like Vietnamese, so no targets were proposed.")],
        )
    blocks = split_blocks(document)
    report = is_report(blocks)
    fallback = _fallback_year(document)
    targets: list[ProposedTarget] = []
    baselines: list[ProposedTarget] = []
    dated = dated_year(document)
    prose_year = _ProseYear()
    index = 0
    # One target more than the room is read, to know whether any were left out.
    while index < len(blocks) and (room is None or len(targets) <= room):
        if limits is not None and deadline is not None:
            check_deadline(deadline, limits)
        block = blocks[index]
        left = None if room is None else room + 1 - len(targets)
        if block.is_table_row:
            end = index
            while end < len(blocks) and blocks[end].is_table_row:
                end += 1
            caption = blocks[index - 1] if index > 0 else None
            rows = blocks[index:end]
            targets.extend(_table_targets(document, rows, caption, report, fallback, left))
            index = end
            continue
        carried = prose_year.before(block)
        found = _block_targets(document, block, report, left, carried)
        if carried is not None and _restates_with_other_value(found, targets, carried.year):
            # A paragraph that gives other values to quantities the carried year already has
            # sets targets for another, unstated year.
            found = _block_targets(document, block, report, left)
        found, past = _split_past(found, dated)
        targets.extend(found)
        block_baselines = _block_baselines(document, block, report, dated)
        known = {(b.start, b.value) for b in block_baselines}
        baselines.extend(b for b in past if (b.start, b.value) not in known)
        baselines.extend(block_baselines)
        prose_year.after(block, bool(found))
        index += 1
    notes: list[Promise | str] = []
    if room is not None and len(targets) > room:
        targets = targets[:room]
        notes.append(
            _(
                "Only the first %(limit)s proposed targets are shown: the document holds more "
                "numbers than one review can. Split the document and read the rest separately."
            )
            % {"limit": room}
        )
    if not targets:
        notes.append(_("No quantitative targets were found in this document."))
    return ExtractionResult(document, targets, notes, baselines[: room or None])


def _fallback_year(document: str) -> YearFrom | None:
    """The year of the document's title, else the deadline it names most often, with where."""
    year = title_year(document)
    if year is not None:
        return YearFrom(year, title_span(document))
    year = document_year(document)
    if year is None:
        return None
    first = next((start, end) for start, end, each in deadline_years(document) if each == year)
    return YearFrom(year, first)


def _split_past(
    found: list[ProposedTarget], dated: int | None
) -> tuple[list[ProposedTarget], list[ProposedTarget]]:
    """(targets, past figures): in a document dated 2021, "Đến hết năm 2020, … đạt 85%" states a
    result already reached, so it is proposed as a baseline rather than as a target."""
    if dated is None:
        return found, []
    targets, past = [], []
    for target in found:
        if target.year is not None and target.year < dated:
            past.append(replace(target, is_baseline=True, rule=target.rule + "+baseline"))
        else:
            targets.append(target)
    return targets, past


def looks_vietnamese(document: str) -> bool:
    """True unless the text has many letters and almost none of them carry Vietnamese marks."""
    letters = sum(1 for char in document if char.isalpha())
    if letters < 40:
        return True
    return len(_VIETNAMESE_LETTERS.findall(document)) >= 0.04 * letters


@dataclass
class _ProseYear:
    """The last deadline stated in the prose, which a following paragraph without a year keeps.

    "Phấn đấu đến năm 2030, …" then "Khi đó, 100% …": the second paragraph's targets are for
    2030. The year ends at a numbered heading, at a lead-in sentence that names no year ("Các
    giải pháp gồm:"), and after two blocks in a row that state neither a deadline nor a target
    (captions, other topics).
    """

    year: YearFrom | None = None
    quiet_blocks: int = 0

    def before(self, block: Block) -> YearFrom | None:
        if block.is_heading:
            self.year = None
        return self.year

    def after(self, block: Block, found_targets: bool) -> None:
        deadlines = deadline_years(block.text)
        self.quiet_blocks = 0 if found_targets or deadlines else self.quiet_blocks + 1
        if deadlines:
            start, end, year = deadlines[-1]
            self.year = YearFrom(year, (block.start + start, block.start + end))
        elif self.quiet_blocks >= _CARRY_GAP or block.text.rstrip().endswith(":"):
            self.year = None


@dataclass
class _Reading:
    """What the rules decided about one mention before it becomes a ProposedTarget."""

    mention: Mention
    year: int | None = None
    year_source: str = "none"
    level: str | None = None
    indicator: str = ""
    left: str = ""
    verb: str = ""
    rule: str = ""
    copied_from: _Reading | None = None
    notes: list[str] = field(default_factory=list)
    year_span: tuple[int, int] | None = None


def _table_targets(
    document: str,
    rows: list[Block],
    caption: Block | None,
    report: bool,
    fallback: YearFrom | None,
    room: int | None = None,
) -> list[ProposedTarget]:
    """Targets from the value cells of a table; rows that hold sentences are read as prose.

    With `room`, at most `room` targets are returned.
    """
    outside = (fallback.year, fallback.span) if fallback else None
    found = tables.read_table(rows, caption, outside)[:room]
    proposals = [_cell_proposal(document, cell) for cell in found]
    read = {id(cell.block) for cell in found}
    for row, deadline in zip(rows, tables.row_deadlines(rows), strict=True):
        if room is not None and len(proposals) >= room:
            break
        if id(row) not in read and not tables.is_header_like(row.text):
            left = None if room is None else room - len(proposals)
            at = YearFrom(*deadline) if deadline else None
            proposals.extend(_block_targets(document, row, report, left, row_deadline=at))
    return sorted(proposals, key=lambda target: target.start)[:room]


def _cell_proposal(document: str, cell: tables.CellTarget) -> ProposedTarget:
    block = cell.block
    start, end = block.start, block.end
    if end - start > MAX_TEXT:
        start = block.start + cell.name_cell.start
        end = min(end, start + MAX_TEXT)
    confidence = 0.85 if cell.year is not None else 0.7
    return ProposedTarget(
        pillar=pillar_for(cell.name, cell.unit, block.text, block.pillar_hint),
        indicator=cell.name,
        level=None,
        year=cell.year,
        value=cell.value,
        value_max=cell.value_max,
        unit=cell.unit,
        comparator=cell.comparator,
        strict=cell.strict,
        rank_total=None,
        period=None,
        text=document[start:end],
        start=start,
        end=end,
        confidence=confidence,
        rule=cell.rule,
        year_source=cell.year_source,
        year_span=cell.year_span if cell.year is not None else None,
    )


def _block_targets(
    document: str,
    block: Block,
    report: bool = False,
    room: int | None = None,
    carried: YearFrom | None = None,
    row_deadline: YearFrom | None = None,
) -> list[ProposedTarget]:
    """The targets of one block; with `room`, only its first `room` numbers are read.

    `carried` is the year of the prose before the block, used when the block has none itself;
    `row_deadline` the year of a table row's deadline cell, used before the section's year.
    """
    # A progress report is results throughout; there, what looks ahead is a target wherever it
    # stands (see `_looks_ahead`), even under "Kết quả thực hiện".
    if block.in_baseline_section and not report:
        return []
    text = block.text
    found = rules.drop_repeats(text, rules.find_mentions(text))
    mentions = [
        m
        for m in found[:room]
        if _is_target(block, m) and not (report and not _looks_ahead(block, m))
    ]
    if not mentions:
        return []
    mentions = _share_units(text, mentions)
    readings = [_Reading(mention, rule=mention.rule) for mention in mentions]
    _assign_years(block, readings, carried, row_deadline)
    # An implied 100% ("toàn bộ các xã") is a target only when a deadline applies to it.
    readings = [r for r in readings if not (r.rule.startswith("implied") and r.year is None)]
    if not readings:
        return []
    _assign_levels(text, readings)
    _assign_names(text, readings)
    _link_parentheses(text, readings)
    readings = _split_shared_indices(text, readings)
    return [_proposal(document, block, reading) for reading in readings]


# "… nhóm 50 nước đứng đầu thế giới về năng lực cạnh tranh số và chỉ số phát triển Chính phủ
# điện tử": one rank for two indices. The second must be named as an index ("chỉ số …"), so "về
# nghiên cứu và phát triển …" stays one subject.
_SHARED_INDICES = re.compile(
    r"(?<!\w)về\s+(?P<first>[^,;.()]+?)\s+và\s+(?P<second>chỉ\s+số\s+[^,;.()]+?)\s*(?=[,;.(]|$)",
    re.IGNORECASE,
)


def _split_shared_indices(text: str, readings: list[_Reading]) -> list[_Reading]:
    """A rank shared by two indices joined by "và" becomes one reading per index."""
    split: list[_Reading] = []
    for reading in readings:
        mention = reading.mention
        shared = None
        if mention.unit == "rank":
            end = rules.statement_end(text, mention.end)
            shared = _SHARED_INDICES.search(text, mention.end, end)
        if shared is None:
            split.append(reading)
            continue
        for index in (shared.group("first"), shared.group("second")):
            name = indicator_name("rank", "", index, "")
            split.append(replace(reading, indicator=name, rule=f"{reading.rule}+shared-index"))
    return split


_PAST_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d/])")
# "tăng 24% so với …", "giảm 7%": a change, not the level a baseline records.
_CHANGE = re.compile(
    r"(?<!\w)(?:tăng|giảm)(?:\s+(?:khoảng|~|gần|hơn|trên))?\s*[~>]?\s*$", re.IGNORECASE
)


def _block_baselines(
    document: str, block: Block, report: bool, dated: int | None
) -> list[ProposedTarget]:
    """The past figures of one block that say when they held: proposed as baselines.

    A figure is a baseline where the rules say it describes the present or the past (see
    `rules.is_baseline`), in a "hiện trạng" section, or in a progress report when it does not look
    ahead. Its year is the last year stated before it in its statement ("năm 2023 đạt 85%",
    "giai đoạn 2021-2023 … 100%"), else the section's, else the date of the document; a figure
    with none of these is left out, since a baseline without a year says nothing.
    """
    if block.is_table_row:
        return []
    text = block.text
    found = rules.drop_repeats(text, rules.find_mentions(text))
    past = [
        m
        for m in found
        if block.in_baseline_section
        or not _is_target(block, m)
        or (report and not _looks_ahead(block, m))
    ]
    readings = []
    for mention in past:
        start = rules.statement_start(text, mention.start)
        if _CHANGE.search(text, start, mention.start) or rules.AIM.search(
            text, start, mention.start
        ):
            continue
        years = [int(y) for y in _PAST_YEAR.findall(text, start, mention.start)]
        section_year = block.section_year if block.in_baseline_section else None
        year = years[-1] if years else (section_year or dated)
        if year is None or (dated is not None and year > dated):
            continue
        readings.append(_Reading(mention, year=year, year_source="explicit" if years else "section",
                                 rule=mention.rule + "+baseline"))  # fmt: skip
    if not readings:
        return []
    _assign_levels(text, readings)
    _assign_names(text, readings)
    return [replace(_proposal(document, block, r), is_baseline=True) for r in readings]


def _looks_ahead(block: Block, mention: Mention) -> bool:
    """In a progress report, a figure is a target only if it looks ahead.

    Reports are mostly past results ("đạt 47,3%", "có 1.250 doanh nghiệp"); a figure counts as a
    target when its block sits in a forward-looking section ("Phương hướng, nhiệm vụ …") or its
    statement states an aim (a deadline, "phấn đấu", "mục tiêu", "chỉ tiêu", "dự kiến").
    """
    if block.in_future_section:
        return True
    start = rules.statement_start(block.text, mention.start)
    statement = block.text[start : mention.start]
    return bool(rules.AIM.search(statement) or deadline_years(statement))


def _share_units(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "10% GRDP và 30% vào năm 2030": a bare percentage joined to a %GRDP one shares its unit.

    A percentage whose subject is the share of the digital economy is of GRDP too (see
    `_economy_share_unit`).
    """
    shared = [
        rules.with_unit(mention, unit)
        if (unit := _economy_share_unit(text, mention)) != mention.unit
        else mention
        for mention in mentions
    ]
    for index in range(1, len(shared)):
        previous, mention = shared[index - 1], shared[index]
        if mention.unit == "%" and previous.unit.startswith("%G"):
            gap = text[previous.end : mention.start]
            if _SHARED_UNIT_GAP.fullmatch(gap) and _NO_NOUN_AFTER.match(text, mention.end):
                shared[index] = rules.with_unit(mention, previous.unit)
    return shared


def _economy_share_unit(text: str, mention: Mention) -> str:
    """The unit of a percentage once its subject is read: a digital-economy share is %GRDP."""
    if mention.unit == "%":
        clause = text[rules.clause_start(text, mention.number_start) : mention.number_start]
        if _DIGITAL_ECONOMY_SHARE_BEFORE.search(clause) and _NO_NOUN_AFTER.match(text, mention.end):
            return "%GRDP"
        if _DIGITAL_ECONOMY_SHARE_AFTER.match(text, mention.end):
            return "%GRDP"
    if mention.unit == "%GDP":
        statement = text[rules.statement_start(text, mention.start) : mention.start]
        if _PROVINCE_SUBJECT.search(statement):
            return "%GRDP"
    return mention.unit


def _under_targets(block: Block) -> bool:
    """True for a block under a heading or lead-in that sets targets ("Mục tiêu đến năm 2030")."""
    return block.in_future_section or block.section_year is not None


# "Năm 2024, tỷ lệ … đạt 45%.": a bare year opening a statement.
_OPENING_BARE_YEAR = re.compile(r"\s*(?:[-–+•]\s*)?(?:trong\s+)?năm\s+(20\d\d)\s*,", re.IGNORECASE)


def _is_target(block: Block, mention: Mention) -> bool:
    text = block.text
    if rules.is_baseline(text, mention, _under_targets(block)):
        return False
    start = rules.statement_start(text, mention.start)
    opening = _OPENING_BARE_YEAR.match(text, start)
    if (
        opening is not None
        and block.first_deadline is not None
        and int(opening.group(1)) < block.first_deadline
        and not rules.AIM.search(text, start, mention.start)
    ):
        # A statement dated by a year before every deadline the document sets, with no aim,
        # reports a result.
        return False
    if mention.rule == "rank-fraction":
        # "Chỉ số PAR năm 2023 xếp 20/63" reports a ranking: a year the statement names that is
        # not a deadline dates it.
        start = rules.statement_start(text, mention.start)
        statement = text[start : mention.start]
        dated = {int(year) for year in _PAST_YEAR.findall(statement)}
        return dated <= {year for _, _, year in deadline_years(statement)}
    if text[mention.start : mention.start + 7].lower() == "xếp thứ":
        # "xếp thứ 13/63" reports a past ranking unless the statement aims for it.
        statement = text[rules.statement_start(text, mention.start) : mention.start]
        return bool(rules.STRIVE.search(statement) or deadline_years(statement))
    return True


def _restates_with_other_value(
    found: list[ProposedTarget], earlier: list[ProposedTarget], year: int
) -> bool:
    """True when a carried-year target names a quantity given another value for that year."""
    given = {
        (target.indicator, target.level, target.unit): target.value
        for target in earlier
        if target.year == year
    }
    return any(
        given.get((target.indicator, target.level, target.unit), target.value) != target.value
        for target in found
        if target.year == year and "+carried-year" in target.rule
    )


def _assign_years(
    block: Block,
    readings: list[_Reading],
    carried: YearFrom | None = None,
    row_deadline: YearFrom | None = None,
) -> None:
    text = block.text
    deadlines = deadline_years(text)
    _bind_respective_years(text, readings, block.start)
    consumed = _bind_years_after(text, readings, deadlines, block.start)
    _share_year_after(text, readings)
    # Deadlines before the current number that may still give it its year, in order. One that
    # sits in a bracket closed before a number stays closed for every later number, so it is
    # dropped for good: each deadline is added and dropped once, whatever the block's length.
    # (where it stops holding or -1, year, where it is stated)
    open_deadlines: list[tuple[int, int, tuple[int, int]]] = []
    following = 0
    for reading in readings:
        mention = reading.mention
        while following < len(deadlines) and deadlines[following][1] <= mention.start:
            start, end, _year = deadlines[following]
            opened = _opened_deadline(text, deadlines[following], following in consumed)
            if opened is not None:
                open_deadlines.append((*opened, (block.start + start, block.start + end)))
            following += 1
        if reading.year is not None:
            continue
        paren_year = _paren_year(text, mention)
        if paren_year is not None:
            reading.year, reading.year_source = int(paren_year.group(1)), "explicit"
            reading.year_span = (block.start + paren_year.start(), block.start + paren_year.end())
            reading.rule += "+bracket-year"
            continue
        while open_deadlines and 0 <= open_deadlines[-1][0] <= mention.start:
            open_deadlines.pop()
        if open_deadlines:
            _stop, reading.year, reading.year_span = open_deadlines[-1]
            reading.year_source = "explicit"
        else:
            _take_outside_year(reading, block, carried, row_deadline)


# "vào các năm 2027, 2028 và 2030", "năm 2027, 2028, 2030": one year per value of a list.
_YEAR_LIST = re.compile(
    r"(?<!\w)(?:(?:vào|đến|trong)\s+)?(?:các\s+)?năm\s+20\d\d(?:\s*(?:,|và|,\s*và)\s*20\d\d)+"
    r"(?![\d/])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"20\d\d")


def _bind_respective_years(text: str, readings: list[_Reading], at: int) -> None:
    """Give each value of a list its own year from a list of years in the same statement.

    "đạt lần lượt 65%, 75% và 85% vào các năm 2027, 2028 và 2030" and "năm 2027, 2028, 2030 lần
    lượt đạt 65%, 75% và 85%" pair the values with the years in order. The statement must say
    "lần lượt" and hold as many values (outside brackets) as years; otherwise nothing is paired.
    """
    for found in _YEAR_LIST.finditer(text):
        start = rules.statement_start(text, found.start())
        end = rules.statement_end(text, found.end())
        if not rules.RESPECTIVELY.search(text, start, end):
            continue
        years = [(each.start(), each.end()) for each in _YEAR.finditer(text, *found.span())]
        starts = [reading.mention.start for reading in readings]
        members = [
            reading
            for reading in readings[
                bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)
            ]
            if reading.year is None
            and rules.parenthesis_around(text, reading.mention.start) is None
        ]
        if len(members) != len(years):
            continue
        for reading, (year_start, year_end) in zip(members, years, strict=True):
            reading.year, reading.year_source = int(text[year_start:year_end]), "explicit"
            reading.year_span = (at + year_start, at + year_end)
            reading.rule += "+respective-years"


def _share_year_after(text: str, readings: list[_Reading]) -> None:
    """ "… lần lượt đạt 100%, 90%, 80% vào năm 2027": a year after the last value of a bare list
    of values (joined only by commas or "và") is the year of every value in the list."""
    for index in range(len(readings) - 1, 0, -1):
        reading = readings[index]
        if "+year-after" not in reading.rule:
            continue
        before = index - 1
        while before >= 0 and readings[before].year is None:
            previous = readings[before]
            gap = text[previous.mention.end : readings[before + 1].mention.number_start]
            if not _LIST_SEPARATOR.fullmatch(gap):
                break
            previous.year, previous.year_span = reading.year, reading.year_span
            previous.year_source = "explicit"
            previous.rule += "+year-after"
            before -= 1


def _take_outside_year(
    reading: _Reading, block: Block, carried: YearFrom | None, row_deadline: YearFrom | None
) -> None:
    """Give a number without a year in its own statement the nearest one around it: its table
    row's deadline cell, then its section's heading or lead-in, then the prose before."""
    if row_deadline is not None:
        reading.year, reading.year_span = row_deadline.year, row_deadline.span
        reading.year_source = "explicit"
        reading.rule += "+deadline-column-year"
    elif block.section_year is not None:
        reading.year, reading.year_span = block.section_year, block.year_span
        reading.year_source = "section"
    elif carried is not None:
        reading.year, reading.year_span = carried.year, carried.span
        reading.year_source = "section"
        reading.rule += "+carried-year"


def _opened_deadline(
    text: str, deadline: tuple[int, int, int], consumed: bool
) -> tuple[int, int] | None:
    """(where it stops holding or -1, year) for a deadline the numbers after it may take.

    One in a bracket stops at the bracket's end. One already bound to the number before it
    ("100% … vào năm 2027 và 95% …") still holds the value joined by "và", up to the end of
    that clause; otherwise it holds nothing more.
    """
    start, end, year = deadline
    if not consumed:
        bracket = rules.parenthesis_around(text, start)
        return (bracket[1] if bracket else -1, year)
    if _JOINED_AFTER.match(text, end):
        clause_end = _CLAUSE_END.search(text, end)
        return (clause_end.start() if clause_end else len(text), year)
    return None


_SENTENCE_BREAK = re.compile(r"[;.]\s")
_JOINED_AFTER = re.compile(r"\s+và\s", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;]|\.(?:\s|$)")
_CLOSES = re.compile(r"\s*(?:[.;)]|$)")
_INTRODUCES = re.compile(r"(?:vào|trong)\s", re.IGNORECASE)
# "mục tiêu 80% năm 2025": an aim's value followed at once by a bare year, which is its deadline.
_AIM_BEFORE = re.compile(r"(?<!\w)mục\s+tiêu\s*$", re.IGNORECASE)
_BARE_YEAR_AFTER = re.compile(r"\s+năm\s+(?P<year>20\d\d)(?![\d/]|[.,]\d)", re.IGNORECASE)


def _bind_years_after(
    text: str, readings: list[_Reading], deadlines: list[tuple[int, int, int]], at: int
) -> set[int]:
    """Give a number the deadline right after it ("30% vào năm 2030"); return the ones used.

    The deadline must come before the next number and the end of the statement, and either
    start with "vào"/"trong" or close the statement, so "50% X, đến năm 2030 đạt 70%" keeps
    2030 for the 70%.
    """
    consumed: set[int] = set()
    starts = [start for start, _end, _year in deadlines]
    for index, reading in enumerate(readings):
        mention = reading.mention
        if reading.year is not None or _paren_year(text, mention) is not None:
            continue
        bare = _BARE_YEAR_AFTER.match(text, mention.end)
        if bare and _AIM_BEFORE.search(text, max(0, mention.start - 20), mention.start):
            reading.year, reading.year_source = int(bare.group("year")), "explicit"
            reading.year_span = (at + bare.start(), at + bare.end())
            reading.rule += "+year-after"
            continue
        stop = readings[index + 1].mention.start if index + 1 < len(readings) else len(text)
        position = bisect.bisect_left(starts, mention.end)
        if position == len(deadlines) or deadlines[position][0] >= stop:
            continue
        start, end, year = deadlines[position]
        if _SENTENCE_BREAK.search(text, mention.end, start):
            continue
        if _INTRODUCES.match(text, start, end) or _CLOSES.match(text, end):
            reading.year, reading.year_source = year, "explicit"
            reading.year_span = (at + start, at + end)
            reading.rule += "+year-after"
            consumed.add(position)
    return consumed


def _paren_year(text: str, mention: Mention) -> re.Match[str] | None:
    """The year stated inside the bracket that holds a mention, before it, if any."""
    bracket = rules.parenthesis_around(text, mention.start)
    if bracket is None:
        return None
    start = max(bracket[0], mention.start - rules.REACH)
    years = list(_PAREN_YEAR.finditer(text, start, mention.start))
    return years[-1] if years else None


def _assign_levels(text: str, readings: list[_Reading]) -> None:
    """Set levels only where one statement splits a quantity by level (tỉnh / huyện / xã)."""
    if _assign_respective_levels(text, readings):
        return
    found: list[tuple[_Reading, str | None]] = []
    for index, reading in enumerate(readings):
        stop = readings[index + 1].mention.start if index + 1 < len(readings) else len(text)
        start = readings[index - 1].mention.end if index else 0
        found.append((reading, rules.level_of(text, reading.mention, stop, start)))
    sentences: dict[int, list[tuple[_Reading, str | None]]] = {}
    for reading, level in found:
        sentence = text.rfind(
            ". ", max(0, reading.mention.start - rules.REACH), reading.mention.start
        )
        sentences.setdefault(sentence, []).append((reading, level))
    for members in sentences.values():
        levels = {level for _, level in members if level}
        if len(levels) < 2:
            continue
        _complete_levels(text, members)
        for reading, level in members:
            if level:
                reading.level = level
                reading.rule += "+level-split"


def _assign_respective_levels(text: str, readings: list[_Reading]) -> bool:
    """ "… cấp tỉnh, cấp huyện, cấp xã lần lượt đạt 100%, 90%, 80%": the values after "lần lượt"
    take the levels listed before it, in order, when there are as many of each. True when any
    statement of the block was read so."""
    assigned = False
    starts = [reading.mention.start for reading in readings]
    for found in rules.RESPECTIVELY.finditer(text):
        end = rules.statement_end(text, found.end())
        # Only the readings of this statement are looked at, however many the block holds.
        members = [
            reading
            for reading in readings[
                bisect.bisect_left(starts, found.end()) : bisect.bisect_left(starts, end)
            ]
            if rules.parenthesis_around(text, reading.mention.start) is None
        ]
        if len(members) < 2:
            continue
        levels = rules.respectively_levels(text, found.start())
        if len(members) != len(levels):
            continue
        for reading, level in zip(members, levels, strict=True):
            reading.level = level
            reading.rule += "+level-split"
        assigned = True
    return assigned


# What follows the number of a list item that names only its level ("90% đối với cấp huyện").
_LEVEL_ONLY = re.compile(r"\s*(?:đối\s+với|tại|ở|cho)?\s*cấp\s", re.IGNORECASE)


def _complete_levels(text: str, members: list[tuple[_Reading, str | None]]) -> None:
    """Give the first or last item of a tỉnh / huyện / xã list the level it lost.

    "100% hồ sơ … đối với cấp tỉnh; 90% đối với cấp huyện; 70% đối với cấp xã" names the first
    level too far from its value, and a list cut after "… cấp huyện và 70% hồ sơ" names none for
    the last: an item right before "huyện, xã" (or right after "tỉnh, huyện") that counts the
    same thing takes the missing level.
    """
    levels = [level for _, level in members]
    for position in range(len(members) - 2):
        first, last = members[position][0], members[position + 2][0]
        if (
            levels[position] is None
            and levels[position + 1 : position + 3] == ["huyện", "xã"]
            and _same_item(text, first, members[position + 1][0])
        ):
            members[position] = (first, "tỉnh")
        if (
            levels[position + 2] is None
            and levels[position : position + 2] == ["tỉnh", "huyện"]
            and _same_item(text, last, members[position + 1][0])
        ):
            members[position + 2] = (last, "xã")


def _same_item(text: str, unlevelled: _Reading, levelled: _Reading) -> bool:
    """True when a levelled item names only its level, or counts the same noun as the other."""
    if unlevelled.mention.unit != levelled.mention.unit:
        return False
    if _LEVEL_ONLY.match(text, levelled.mention.end):
        return True
    first = text[unlevelled.mention.end : unlevelled.mention.end + 40].split()[:1]
    other = text[levelled.mention.end : levelled.mention.end + 40].split()[:1]
    return bool(first) and first == other


def _assign_names(text: str, readings: list[_Reading]) -> None:
    previous_end = 0
    previous: _Reading | None = None
    for index, reading in enumerate(readings):
        mention = reading.mention
        stop = readings[index + 1].mention.start if index + 1 < len(readings) else len(text)
        window_start = rules.statement_start(text, mention.start)
        if previous_end > window_start:
            # The words right after the previous number still describe it ("10% GRDP, năng
            # suất …"): this number's subject starts after the next comma.
            comma = text.find(",", previous_end, mention.start)
            window_start = comma + 1 if comma >= 0 else previous_end
            if comma < 0 and _LIST_JOINT.search(text, previous_end, mention.number_start):
                # "90% thủ tục … ở cấp huyện và 75% ở cấp xã": the words before "và" name the
                # previous value; this one names nothing before it.
                window_start = mention.number_start
        left_end = mention.start if mention.unit == "rank" else mention.number_start
        raw_left = text[window_start:left_end]
        verb = _VERB.search(raw_left)
        reading.verb = verb.group("verb").split()[0].lower() if verb else ""
        reading.left = left_phrase(text, window_start, left_end)
        separator = text[previous_end : mention.number_start]
        base = rules.GRDP.match(text, mention.end) if mention.unit.startswith("%G") else None
        unit_end = base.end() if base else mention.end
        right = right_phrase(text, unit_end if mention.unit != "rank" else mention.end, stop)
        if (
            previous
            and not reading.left
            and not reading.verb
            and _LIST_SEPARATOR.fullmatch(separator)
            # "tỷ lệ hộ gia đình … đạt 75%, 100% người dân …": the first number's subject is
            # named before it, and the second names its own after it.
            and not (right and names_a_quantity(previous.left))
        ):
            # "phủ trên 80% hộ gia đình, 100% xã": the second number shares the first's verb.
            reading.left, reading.verb = previous.left, previous.verb
        if mention.rule.startswith("count"):
            right = right_phrase(text, mention.number_start, stop)
            right = (
                _COUNT_NUMBER.sub("", right)
                if right[:1].isdigit() or mention.rule == "count-in-words"
                else right
            )
        reading.indicator = _name(text, mention, reading, right)
        if reading.indicator in _BARE_NAMES:
            # "… tỷ lệ dịch vụ công … đạt 45%. Đến năm 2026, phấn đấu đạt 80%.": a value that
            # names nothing measures what the value before it did, or the quantity the statement
            # before it names.
            if previous and previous.mention.unit == mention.unit:
                reading.indicator = previous.indicator
            elif window_start > 1 and mention.unit == "%":
                before = rules.statement_start(text, window_start - 1)
                named = _QUANTITY_NAMED.search(text, before, window_start)
                if named:
                    subject = left_phrase(text, *named.span("name"))
                    reading.indicator = subject[:1].upper() + subject[1:]
        previous_end, previous = mention.end, reading
    _share_level_names(readings)


# "tỷ lệ dịch vụ công trực tuyến toàn trình đạt": a ratio named as the subject of a statement.
_QUANTITY_NAMED = re.compile(
    r"(?<!\w)(?P<name>(?:tỷ|tỉ)\s+lệ\s+[^.;:]+?)\s+(?:đạt|là|chiếm)(?!\w)", re.IGNORECASE
)
# The names of a value that names nothing but its kind.
_BARE_NAMES = {"Tỷ lệ", "Số", "Mức tăng", "Mức giảm"}
# Between two values of one list: "65%, 75% và 85%".
_LIST_JOINT = re.compile(
    r"(?<!\w)(?:và|hoặc)\s+(?:(?:trên|hơn|tối\s+thiểu|ít\s+nhất|khoảng|đạt)\s+)*$", re.IGNORECASE
)
_LIST_SEPARATOR = re.compile(r"\s*(?:,|và|hoặc|,\s*và)\s*", re.IGNORECASE)


def _name(text: str, mention: Mention, reading: _Reading, right: str) -> str:
    if reading.verb == "phủ" and mention.unit == "%" and right:
        return f"Tỷ lệ {right} được phủ {reading.left[:1].lower() + reading.left[1:]}".strip()
    if mention.unit == "rank":
        about = _RANK_ABOUT.match(text, mention.end)
        if about:
            return indicator_name("rank", "", about.group("index"), "")
        index = re.search(r"(?<!\w)chỉ\s+số(?!\w)", reading.left, re.IGNORECASE)
        left = reading.left[index.start() :] if index else ""
        return indicator_name("rank", left, right, reading.verb)
    if mention.rule.startswith("count"):
        unit = mention.unit.casefold()
        if right.casefold() == unit and unit in reading.left.casefold():
            # "số trạm phát sóng 5G đạt 12.500 trạm": the subject names what is counted.
            left = reading.left
            return left[:1].upper() + left[1:] if names_a_quantity(left) else f"Số {left}"
        if right.casefold() == unit and reading.left and not names_a_quantity(reading.left):
            # "thí điểm chuyển đổi số toàn diện tại 02 huyện": the counted places, and what for.
            return f"Số {mention.unit} {reading.left[:1].lower() + reading.left[1:]}"
        return indicator_name(mention.unit, "", right[:1].lower() + right[1:], reading.verb)
    if mention.rule == "index-value":
        # "… đóng góp vào chỉ số phát triển con người (HDI) phấn đấu đạt 0,8": the index named.
        index = _INDEX_NAMED.search(reading.left)
        if index:
            return indicator_name(mention.unit, index.group("name"), right, reading.verb)
    return indicator_name(mention.unit, reading.left, right, reading.verb)


# The number (or range, or number in words) at the start of a count's noun phrase.
_COUNT_NUMBER = re.compile(r"^(?:\S+\s*(?:-|–|—|đến|tới)\s*)?\S+\s+", re.IGNORECASE)
_INDEX_NAMED = re.compile(
    r"(?<!\w)(?P<name>chỉ\s+số\s+.+?)(?:\s+(?:phấn\s+đấu|duy\s+trì|đạt|ở\s+mức|trên|từ))*\s*$",
    re.IGNORECASE,
)


def _share_level_names(readings: list[_Reading]) -> None:
    """Give every member of a level split the name of the last one, which holds the predicate."""
    group: list[_Reading] = []
    for reading in [*readings, None]:
        if reading is not None and reading.level and (not group or reading.year == group[-1].year):
            group.append(reading)
            continue
        if len(group) > 1:
            # The fullest name: the last item usually holds the predicate ("95% hồ sơ cấp tỉnh,
            # 85% … và 60% hồ sơ cấp xã được xử lý …"), but an item that names only its level
            # ("… và 100% xã") holds less than the others.
            fullest = max(reversed(group), key=lambda member: len(member.indicator.split()))
            for member in group:
                member.indicator = fullest.indicator
        group = [reading] if reading is not None and reading.level else []


def _link_parentheses(text: str, readings: list[_Reading]) -> None:
    """Let values in a bracket with a year take the quantity of the values they restate.

    "90% … cấp tỉnh, 80% … cấp huyện, 60% … cấp xã (mục tiêu năm 2030 lần lượt là: 100%, 90% và
    70%)" maps the three bracketed values, in order, to the three before; "(mục tiêu năm 2030 là
    90%)" maps one value to the one before.
    """
    index = 0
    while index < len(readings):
        reading = readings[index]
        bracket = rules.parenthesis_around(text, reading.mention.start)
        if bracket is None or _paren_year(text, reading.mention) is None:
            index += 1
            continue
        after = index
        while after < len(readings) and readings[after].mention.start < bracket[1]:
            after += 1
        inside = [r for r in readings[index:after] if bracket[0] < r.mention.start]
        respectively = rules.RESPECTIVELY.search(text, bracket[0], bracket[1])
        count = len(inside) if respectively else 1
        sources = _last_sources(readings, index, bracket[0], count)
        for member, source in zip(inside[:count], sources, strict=False):
            if member.mention.unit.startswith("%") != source.mention.unit.startswith("%"):
                continue
            member.copied_from = source
            member.indicator, member.level = source.indicator, source.level
            member.rule += "+respectively" if respectively else "+restated-in-bracket"
        index += max(len(inside), 1)


def _last_sources(readings: list[_Reading], index: int, before: int, count: int) -> list[_Reading]:
    """The last `count` readings before `index`, ending before `before`, that restate nothing.

    Fewer than `count` gives none. Only the nearest readings are looked at (a restated list is a
    handful), so a bracket costs the same however many numbers the block holds.
    """
    found: list[_Reading] = []
    for position in range(index - 1, max(-1, index - 1 - count - _SOURCES_REACH), -1):
        if len(found) == count:
            break
        reading = readings[position]
        if reading.mention.end <= before and reading.copied_from is None:
            found.append(reading)
    return found[::-1] if len(found) == count else []


def _proposal(document: str, block: Block, reading: _Reading) -> ProposedTarget:
    text = block.text
    mention = reading.mention
    source = reading.copied_from
    unit = mention.unit
    if source is not None and unit == "%" and source.mention.unit.startswith("%"):
        unit = source.mention.unit
    strive_from = rules.strive_clause_start(text, mention.start)
    comparator, strict = rules.comparator_of(text, mention, strive_from)
    year, year_source, period = reading.year, reading.year_source, None
    if rules.is_annual(text, mention.start):
        period = "annual"
        if year_source != "explicit":
            year, year_source = None, "none"
    start, end = _statement_span(text, mention)
    statement = text[start:end]
    # A task row's other cells (the task's name, who leads it) describe the same target.
    context = text if block.is_table_row else statement
    pillar = pillar_for(
        reading.indicator, unit, context, block.pillar_hint, _own_words(text, mention, start, end)
    )
    # The reviewer is told when the year is only the document title's.
    from_title = (
        year_source == "section" and block.year_origin == "title" and year == block.section_year
    )
    return ProposedTarget(
        pillar=pillar,
        indicator=reading.indicator,
        level=reading.level,
        year=year,
        value=mention.value,
        value_max=mention.value_max,
        unit=unit,
        comparator=comparator,
        strict=strict,
        rank_total=mention.rank_total,
        period=period,
        text=document[block.start + start : block.start + end],
        start=block.start + start,
        end=block.start + end,
        confidence=_confidence(reading, year, period),
        rule=reading.rule + ("+title-year" if from_title else ""),
        year_source=year_source,
        year_span=reading.year_span if year is not None else None,
    )


def _own_words(text: str, mention: Mention, start: int, end: int) -> str:
    """The words of a mention's own part of its statement (from `start` to `end`): from the
    number before it to the number after it ("Cán bộ, công chức được tập huấn, phổ cập kỹ năng
    số đạt 100% và 50% được bồi dưỡng …" gives the officials' part to the 100%, and "và 50% được
    bồi dưỡng …" to the 50%), however long its name."""
    begin = max(
        (found.end() for found in _NUMBER.finditer(text, start, mention.start)), default=start
    )
    following = _NUMBER.search(text, mention.end, end)
    return text[begin : following.start() if following else end]


_NUMBER = re.compile(r"(?<![\w.,])\d[\d.,]*(?:\s?%)?")


def _statement_span(text: str, mention: Mention) -> tuple[int, int]:
    """The sentence or ;-clause that states a mention, at most MAX_TEXT characters long."""
    start = rules.statement_start(text, mention.start)
    bracket = rules.parenthesis_around(text, mention.start)
    after = bracket[1] if bracket else mention.end
    end = rules.statement_end(text, after)
    while start < mention.start and text[start] in " -–+•*\t":
        start += 1
    if end - start > MAX_TEXT:
        start = max(start, rules.clause_start(text, mention.start))
        while start < mention.start and text[start] in " \t":
            start += 1
        end = min(end, max(mention.end, start + MAX_TEXT))
    return start, end


def _confidence(reading: _Reading, year: int | None, period: str | None) -> float:
    confidence = _BASE_CONFIDENCE.get(reading.mention.rule, 0.7)
    if year is None and period is None:
        confidence *= 0.8
    elif reading.year_source == "section":
        confidence *= 0.95
    if reading.copied_from is not None:
        confidence *= 0.95
    return round(min(confidence, 1.0), 2)


SCHEMA_FIELDS = (
    "pillar",
    "indicator",
    "level",
    "year",
    "value",
    "value_max",
    "unit",
    "comparator",
    "strict",
    "rank_total",
    "period",
    "text",
    "year_source",
    "start",
    "end",
    "confidence",
    "rule",
)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def as_record(target: ProposedTarget) -> dict[str, object]:
    """Return a target as a JSON-ready dict with the reviewed-targets schema's field names."""
    record: dict[str, object] = {name: getattr(target, name) for name in SCHEMA_FIELDS}
    record["value"] = _number(target.value)
    record["value_max"] = _number(target.value_max)
    return record
