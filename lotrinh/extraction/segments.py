"""Cut a document into blocks (paragraphs and bullets) and give each block its section context.

A block is one paragraph, bullet or heading. Lines broken in mid-sentence (text copied from PDFs)
are joined into one block. Every block keeps its character offsets in the normalised document,
and its `text` has exactly the same length as the slice it comes from (line breaks become spaces),
so an offset found in `text` is also an offset in the document.

The context of a block is what it inherits from above it:
- the year of a heading such as "3. Mục tiêu cụ thể đến năm 2025", or of a lead-in sentence that
  ends with a colon ("… các mục tiêu cụ thể đến năm 2025 như sau:");
- whether it sits in a current-state section ("I. ĐÁNH GIÁ HIỆN TRẠNG"), whose figures are
  baselines, not targets;
- the pillar named by a heading ("c. Phát triển xã hội số …"), used when the words of a target
  do not decide its pillar;
- whether it sits in a forward-looking section ("Mục tiêu", "Phương hướng, nhiệm vụ …", "Kiến
  nghị"), which matters in progress reports (see `is_report`);
- the year of the document's title ("Chiến lược … đến năm 2030") for blocks under a "Mục tiêu"
  heading that names no year itself, when the title names exactly one year.
- for a lead-in that announces targets without a year ("Mục tiêu cụ thể như sau:"), the year of
  the title or of the plan the text says is issued ("ban hành Kế hoạch … năm 2023").

A table row (a line with cells between "|" or separated by tabs) is always a block of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lotrinh.core.text import search_key

# A deadline: "đến năm 2025", "vào năm 2030", "đến cuối năm 2025", "trong năm 2022", "Đến 2030",
# "mục tiêu năm 2030", "đến ngày 31/12/2025", "đến hết quý IV/2025", "trước ngày 30/6/2026". A bare "năm 2019" is not a deadline (it usually dates a past figure).
DEADLINE = re.compile(
    r"(?<!\w)(?:(?:cho\s+)?(?:đến|tới|vào|trong|hết|đến\s+hết|trước)\s+(?:cuối\s+|hết\s+)?"
    r"(?:năm\s+|ngày\s+\d{1,2}/\d{1,2}/|tháng\s+\d{1,2}/|quý\s+[IV1-4]+/)?"
    r"|mục\s+tiêu\s+(?:đến\s+|cho\s+đến\s+)?năm\s+)"
    r"(?P<year>20\d\d)(?![\d/.,]\d)(?!\s*[-–]\s*\d)",
    re.IGNORECASE,
)
# A bare year that opens a statement which then strives or sets a goal ("Năm 2025, tỉnh phấn
# đấu …", "Mục tiêu cụ thể: năm 2022 phấn đấu …"), or labels it ("- Năm 2027: hoàn thành …"), is
# that statement's deadline; elsewhere a bare "năm 2019" dates a past figure.
_OPENING_YEAR = re.compile(
    r"(?:^[-–—+•*_\s]*|(?<=[.;:!?]\s))\s*năm\s+(?P<year>20\d\d)(?![\d/])"
    r"(?=,?\s+[^.;:!?]{0,40}?(?<!\w)(?:phấn\s+đấu|đặt\s+(?:ra\s+)?mục\s+tiêu)(?!\w)"
    # "- **Năm 2027:** hoàn thành …": a year that labels its item.
    r"|[*_]*\s*:)",
    re.IGNORECASE,
)
# Words before a deadline that make it the horizon of a document, not of a target.
_HORIZON = re.compile(r"(?:định\s+hướng|tầm\s+nhìn|giai\s+đoạn)[\s,]*$", re.IGNORECASE)

_HORIZON_AFTER = re.compile(r"[\s,]*(?:và\s+)?(?:định\s+hướng|tầm\s+nhìn)", re.IGNORECASE)

# Words that make a heading forward-looking: what the document asks for, not what happened.
_FUTURE_HEADING = re.compile(
    r"mục\s+tiêu|chỉ\s+tiêu|phương\s+hướng|nhiệm\s+vụ|giải\s+pháp|kế\s+hoạch|đề\s+xuất|"
    r"kiến\s+nghị|tầm\s+nhìn|định\s+hướng",
    re.IGNORECASE,
)
# A title line of a progress report ("BÁO CÁO", "Báo cáo sơ kết …", "Sơ kết 6 tháng …").
_REPORT_TITLE = re.compile(
    r"^(?:(?:DỰ\s+THẢO\W*)?BÁO\s+CÁO(?!\w)|(?:dự\s+thảo\W*)?[Bb]áo\s+cáo\s+(?:sơ\s+kết|tổng\s+kết|"
    r"kết\s+quả|tình\s+hình|tiến\s+độ|đánh\s+giá|thực\s+hiện|triển\s+khai)|(?:sơ|tổng)\s+kết\s+)",
)
# A title line of a planning document, whose year a target section may inherit.
_TITLE_WORDS = re.compile(
    r"^(?:KẾ\s+HOẠCH|QUYẾT\s+ĐỊNH|NGHỊ\s+QUYẾT|CHƯƠNG\s+TRÌNH|CHIẾN\s+LƯỢC|ĐỀ\s+ÁN|CHỈ\s+THỊ)"
)
# "ban hành Kế hoạch …", "phê duyệt “Đề án …”": the name of the plan a text is about.
_ISSUED_PLAN = re.compile(
    r"(?<!\w)(?:ban\s+hành|phê\s+duyệt)\s+[“\"]?(?:kế\s+hoạch|chương\s+trình|đề\s+án|chiến\s+lược)"
    r"(?P<name>[^.;:\n“”\"]*?)(?=[.;:\n“”\"]|(?<!\w)(?:nhằm|để)(?!\w)|$)",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(r"(?<!\w)năm\s+(20\d\d)(?![\d/])(?!\s*[-–—]\s*20\d\d)", re.IGNORECASE)
# "giai đoạn 2026 – 2030", "năm 2026 - 2027", "từ năm 2026 đến 2027"'s end.
_PERIOD = re.compile(
    r"(?<!\w)(?:giai\s+đoạn|(?:từ\s+)?năm)\s+20\d\d\s*(?:[-–—]|đến)\s*(?:năm\s+)?(?P<end>20\d\d)(?!\d)",
    re.IGNORECASE,
)
_OPENING_CHARS = 1500
_WRITTEN_DATE = re.compile(r"(?<!\w)tháng\s+\d{1,2}\s+năm\s+20\d\d", re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?<![\d/.-])20\d\d(?![\d/])")
TITLE_BLOCKS = 12
# A short line that heads a section without a number ("Mục tiêu đến năm 2030", "Tầm nhìn đến năm
# 2045"): read like a lead-in sentence ending with a colon.
_UNNUMBERED_HEADING = re.compile(
    r"^(?:mục\s+tiêu|tầm\s+nhìn|định\s+hướng|chỉ\s+tiêu)(?:\s+\S+){0,10}\s*:?\s*$", re.IGNORECASE
)

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*|\s*(?:\*\*|__)\s*$")
# Markdown's strong emphasis, which changes nothing a sentence says: blanked out of a block's text
# (with as many spaces, so offsets hold).
_EMPHASIS = re.compile(r"\*\*|__")
# A line marked as a heading without a number: "## Kết quả đạt được năm 2024", or a short line
# wholly in bold, "**Mục tiêu năm 2025**".
_MARKED_HEADING = re.compile(r"\s*(?:#{1,6}\s+[^\n]+|(?:\*\*|__)[^*_\n]+(?:\*\*|__)\s*:?)\s*")
_MARKED_HEADING_WORDS = 20
_BULLET = re.compile(r"^[-–—+•*▪●○]\s*(?=\S)")
_NUMBERING = re.compile(
    r"^(?:(?P<roman>[IVX]{1,5})[.-]|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})[.)-]|(?P<letter>[a-zđ])[.)])"
    r"\s+(?=\S)"
)
_TERMINAL = re.compile(r"[.;:!?…][\"”’)»\]]*$")
_NOISE_LINE = re.compile(r"^[\s|_=\-–—*]*$")

_BASELINE_HEADING = re.compile(
    r"^(?:(?:đánh\s+giá\s+)?(?:hiện\s+trạng|thực\s+trạng|tình\s+hình)"
    r"|kết\s+quả\s+(?:thực\s+hiện|đạt\s+được|triển\s+khai)|đánh\s+giá\s+(?:kết\s+quả|tình\s+hình))"
    r"|(?:hiện\s+trạng|thực\s+trạng)",
    re.IGNORECASE,
)
_TARGET_HEADING = re.compile(r"mục\s+tiêu|chỉ\s+tiêu", re.IGNORECASE)
# The same words without diacritics, so a lead-in typed "mục tiệu" still announces targets.
_TARGET_LEAD_IN = re.compile(r"(?<!\w)(?:muc|chi)\s+tieu(?!\w)")
_PILLAR_WORDS = (
    ("government", re.compile(r"chính\s+quyền\s+(?:số|điện\s+tử)|chính\s+phủ\s+số", re.I)),
    ("economy", re.compile(r"kinh\s+tế\s+số", re.I)),
    ("society", re.compile(r"xã\s+hội\s+số", re.I)),
)

PARAGRAPH_LEVEL = 6
BULLET_LEVEL = 7


# A backslash before punctuation is a Markdown escape; "\\|" stays, since it is a literal bar in a cell.
_MARKDOWN_ESCAPE = re.compile(r"\\([-*_.#+!()\[\]{}`>~])")


def normalise_document(text: str) -> str:
    """Return the form of `text` that every offset refers to.

    The text is composed (NFC) — documents copied from PDFs and old systems mix composed and
    decomposed letters — with Windows and old Mac line ends turned into "\\n", the byte-order mark
    removed, no-break spaces turned into spaces and the backslash escapes that Markdown converters
    put before punctuation ("16 \\- 18%", "\\- Bullet") dropped. Nothing else changes.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


@dataclass(frozen=True)
class Block:
    """One paragraph, bullet or heading, with the context it inherits from above."""

    start: int
    end: int
    text: str
    level: int
    is_heading: bool
    section_year: int | None
    in_baseline_section: bool
    pillar_hint: str | None
    in_future_section: bool = False
    is_table_row: bool = False
    # Where `section_year` comes from: "section" (a heading or lead-in) or "title".
    year_origin: str = "section"
    # The heading, lead-in or title that gave `section_year` (offsets in the document).
    year_span: tuple[int, int] | None = None
    # The earliest deadline year the document states anywhere, if any.
    first_deadline: int | None = None


@dataclass
class _Heading:
    level: int
    year: int | None
    baseline: bool
    pillar: str | None
    future: bool = False
    target: bool = False
    span: tuple[int, int] | None = None
    numbered: bool = True


@dataclass
class _LeadIn:
    owner_level: int
    year: int
    span: tuple[int, int] | None = None


def deadline_years(text: str, horizons: bool = False) -> list[tuple[int, int, int]]:
    """Return (start, end, year) for each deadline in `text`, in order, skipping document
    horizons ("định hướng đến năm 2030", "tầm nhìn đến năm 2045") unless `horizons` is true."""
    found = []
    for match in DEADLINE.finditer(text):
        # "Tính đến tháng 5/2025" dates a figure, and "so với hết năm 2024" names the base of a
        # change; neither is a deadline.
        if re.search(
            r"(?<!\w)(?:tính|so\s+với)\s*$", text[max(0, match.start() - 8) : match.start()], re.I
        ):
            continue
        # "trong quý I/2025", "vào tháng 5/2025" date a period; only "đến/hết … 5/2025" is a deadline.
        if "/" in match.group(0) and re.match(r"(?:trong|vào)\s", match.group(0), re.I):
            continue
        if not horizons:
            if _HORIZON.search(
                text[max(0, match.start() - 20) : match.start()]
            ) and not _opens_statement(text, match):
                continue
            # "đến năm 2025, định hướng đến năm 2030" is the horizon of a document's title.
            if _HORIZON_AFTER.match(text, match.end()):
                continue
        found.append((match.start(), match.end(), int(match.group("year"))))
    for match in _OPENING_YEAR.finditer(text):
        start = match.start("year") - len("năm ")
        found.append((start, match.end(), int(match.group("year"))))
    return sorted(found)


# "Định hướng đến năm 2035, kinh tế số chiếm 40% GRDP": a horizon that opens a statement of its
# own, before a comma, is that statement's deadline.
_OPENING_HORIZON = re.compile(
    r"(?:^|[.;:!?]\s)[-–—+•*_\s]*(?:định\s+hướng|tầm\s+nhìn)\s+$", re.IGNORECASE
)


def _opens_statement(text: str, deadline: re.Match[str]) -> bool:
    return bool(
        _OPENING_HORIZON.search(text, max(0, deadline.start() - 40), deadline.start())
        and re.match(r"\s*,", text[deadline.end() : deadline.end() + 3])
    )


def is_table_row(line: str) -> bool:
    """True for a table row: three or more cells between "|" or separated by tabs."""
    stripped = line.strip()
    if stripped.count("|") >= 3 and stripped.startswith("|"):
        return True
    return line.count("\t") >= 2 and len([c for c in line.split("\t") if c.strip()]) >= 2


def is_report(blocks: list[Block]) -> bool:
    """True when the document's title says it is a progress report ("BÁO CÁO", "Sơ kết …")."""
    return any(
        _REPORT_TITLE.match(block.text.lstrip("#*_ \t").strip()) for block in blocks[:TITLE_BLOCKS]
    )


def title_span(document: str) -> tuple[int, int] | None:
    """Where a planning document's title is: from a title word ("KẾ HOẠCH", "QUYẾT ĐỊNH",
    "CHIẾN LƯỢC" …) at the start of one of its first lines, up to the next blank line. Markdown's
    heading and emphasis marks ("# KẾ HOẠCH", "**KẾ HOẠCH**") before the word are read through,
    since pasted text often carries them."""
    position = 0
    lines = document[:3000].split("\n")
    for index, line in enumerate(lines[:40]):
        if _TITLE_WORDS.match(line.strip().lstrip("#*_ \t")):
            end = position
            for following in lines[index : index + 5]:
                if not following.strip():
                    break
                end += len(following) + 1
            return position, max(position, end - 1)
        position += len(line) + 1
    return None


def _title_year(document: str) -> int | None:
    """The one year named by a planning document's title ("KẾ HOẠCH … đến năm 2030", "… năm
    2027", "… giai đoạn 2026 – 2030").

    A title that names two years ("đến năm 2025, định hướng đến năm 2030") gives none: its
    targets' years must come from their own sections.
    """
    span = title_span(document)
    if span is None:
        return None
    return _name_year(document[span[0] : span[1]].replace("\n", " "), horizons=True)


def document_year(document: str) -> int | None:
    """The deadline year a document names most often ("đến năm 2030"), or None on a tie."""
    counts: dict[int, int] = {}
    for _, _, year in deadline_years(document):
        counts[year] = counts.get(year, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


_DATED = re.compile(
    r"(?<!\w)ngày\s+(?:\d{1,2}\s+)?tháng\s+\d{1,2}\s+năm\s+(?P<year>(?:19|20)\d\d)"
    r"|(?<!\w)ngày\s+\d{1,2}/\d{1,2}/(?P<short>(?:19|20)\d\d)",
    re.IGNORECASE,
)


def dated_year(document: str) -> int | None:
    """The year of the document's own date line ("Quy Nhơn, ngày 05 tháng 02 năm 2025"), or None.

    Only a line that starts with the date or a place before it counts, so that the dates of
    documents the text cites ("Nghị quyết … ngày 22/12/2024") are not taken for its own.
    """
    for line in document[:3000].split("\n")[:40]:
        match = _DATED.search(line)
        if match and (match.start() == 0 or re.fullmatch(r"[\w\s.*]+,\s*", line[: match.start()])):
            return int(match.group("year") or match.group("short"))
    return None


def title_year(document: str) -> int | None:
    """The one year of a planning document's title (see `_title_year`)."""
    return _title_year(document)


def issued_plan_year(document: str) -> tuple[int, tuple[int, int]] | None:
    """The one year in the name of the plan a text says is issued or approved.

    "UBND tỉnh ban hành Kế hoạch số 308/KH-UBND triển khai … năm 2023 nhằm …" gives 2023, and
    "phê duyệt Đề án … giai đoạn 2024-2030" gives 2030: the name runs from the plan word to the
    first sentence break, quote or "nhằm"/"để". Only the opening of the text is read, since that
    is where a text names itself; a name with no year or with two gives None. The year comes with
    where the name is in the document.
    """
    match = _ISSUED_PLAN.search(document[:_OPENING_CHARS])
    if match is None:
        return None
    year = _name_year(match.group("name"), horizons=False)
    return None if year is None else (year, match.span("name"))


def _name_year(name: str, horizons: bool) -> int | None:
    """The one year a plan's name sets for its targets: a deadline ("đến năm 2030"; with
    `horizons`, "định hướng đến năm 2030" too), a bare year ("Kế hoạch … năm 2027") or the end of
    a period ("giai đoạn 2026 – 2030"). None when it names none or several."""
    # "ngày 22 tháng 12 năm 2024" dates a document the name cites; it is no horizon.
    name = _WRITTEN_DATE.sub(" ", name)
    years = {year for _, _, year in deadline_years(name, horizons)}
    years |= {int(year) for year in _BARE_YEAR.findall(name)}
    years |= {int(span.group("end")) for span in _PERIOD.finditer(name)}
    return years.pop() if len(years) == 1 else None


def _raw_blocks(document: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each block: lines joined until a line ends a sentence or a bullet,
    a numbered or Markdown ("## …") heading or a blank line begins."""
    block_start: int | None = None
    block_end = 0
    previous_ends_sentence = True
    position = 0
    for line in document.split("\n"):
        line_start, position = position, position + len(line) + 1
        stripped = line.strip()
        if _NOISE_LINE.match(line):
            if block_start is not None:
                yield block_start, block_end
                block_start = None
            previous_ends_sentence = True
            continue
        starts_item = bool(
            _BULLET.match(stripped)
            or _NUMBERING.match(_without_markup(stripped))
            or is_table_row(stripped)
            or stripped.startswith("#")
        )
        if block_start is not None and (previous_ends_sentence or starts_item):
            yield block_start, block_end
            block_start = None
        if block_start is None:
            block_start = line_start + (len(line) - len(line.lstrip()))
        block_end = line_start + len(line.rstrip())
        previous_ends_sentence = bool(_TERMINAL.search(stripped)) or is_table_row(stripped)
    if block_start is not None:
        yield block_start, block_end


def _title(text: str) -> str:
    """The heading part of a block: up to the first full stop, semicolon or colon."""
    match = re.search(r"[.;:](?:\s|$)", text)
    return text[: match.start() if match else 160][:160]


def _single_year(text: str, horizons: bool = False) -> int | None:
    years = {year for _, _, year in deadline_years(text, horizons)}
    return years.pop() if len(years) == 1 else None


_YEAR_HEADING = re.compile(r"(?:trong\s+|cuối\s+)?năm\s+(?P<year>20\d\d)", re.IGNORECASE)
# "a) Phấn đấu đến năm 2027:": a heading that strives for a deadline sets it for its items.
_STRIVING = re.compile(r"(?:phấn\s+đấu|đặt\s+(?:ra\s+)?mục\s+tiêu)\s+(?=đến|tới|trong|hết)", re.I)


def _heading_year(title: str) -> int | None:
    """The deadline of a target heading ("Mục tiêu cụ thể đến năm 2025").

    A heading that names one year and nothing else ("Tầm nhìn đến năm 2045", "Phương hướng,
    nhiệm vụ 6 tháng cuối năm 2025") gives that year even when it is written as a horizon or
    without "đến".
    """
    stripped = title.strip().rstrip(":").strip()
    # "1. Năm 2026", "- Trong năm 2027:": a heading that is nothing but its year.
    if only_year := _YEAR_HEADING.fullmatch(stripped):
        return int(only_year.group("year"))
    if not (
        _TARGET_HEADING.search(title)
        or DEADLINE.match(stripped)
        or _STRIVING.match(stripped)
        or _FUTURE_HEADING.search(title)
    ):
        return None
    year = _single_year(title)
    if year is None and len(_ANY_YEAR.findall(title)) == 1:
        year = _single_year(title, horizons=True)
        if year is None and _FUTURE_HEADING.search(title):
            bare = re.search(r"(?<!\w)(?:cuối\s+)?năm\s+(20\d\d)(?![\d/])", title, re.I)
            year = int(bare.group(1)) if bare else None
    return year


def _pillar_of(title: str) -> str | None:
    hits = [pillar for pillar, pattern in _PILLAR_WORDS if pattern.search(title)]
    return hits[0] if len(hits) == 1 else None


def _lead_in(text: str) -> str | None:
    """The last sentence of a block that ends with a colon, or None."""
    stripped = text.rstrip()
    if not stripped.endswith(":"):
        return None
    cut = max(
        stripped.rfind(". ", 0, len(stripped) - 1), stripped.rfind("; ", 0, len(stripped) - 1)
    )
    return stripped[cut + 1 :]


def split_blocks(document: str) -> list[Block]:
    """Return the blocks of a normalised document, in order, each with its section context."""
    headings: list[_Heading] = []
    lead_in: _LeadIn | None = None
    blocks = []
    title_year = _title_year(document)
    title_at = title_span(document) if title_year else None
    plan = (title_year, title_at) if title_year else issued_plan_year(document)
    first_deadline = min((year for _, _, year in deadline_years(document)), default=None)
    for start, end in _raw_blocks(document):
        raw = document[start:end]
        plain = _without_markup(raw.replace("\n", " "))
        text = _EMPHASIS.sub(lambda found: " " * len(found.group()), raw.replace("\n", " "))
        table_row = is_table_row(raw)
        numbering = None if table_row else _NUMBERING.match(plain)
        level = BULLET_LEVEL if _BULLET.match(text) else PARAGRAPH_LEVEL
        marked = not numbering and not table_row and _is_marked_heading(raw)
        if numbering or marked:
            level, title = _heading_place(numbering, plain, headings)
            while headings and headings[-1].level >= level:
                headings.pop()
            if lead_in is not None and (level == 1 or level <= lead_in.owner_level):
                lead_in = None
            heading = _heading(title, level, (start, end), numbered=bool(numbering))
            if marked and heading.future:
                # "**Mục tiêu năm 2025**" after "1. Kết quả thực hiện năm 2024": a heading without
                # a number cannot say where it stands, but one that sets targets ends the results.
                headings = [each for each in headings if not each.baseline]
            headings.append(heading)
        section_year, year_span = (
            (lead_in.year, lead_in.span) if lead_in else _inherited_year(headings)
        )
        year_origin = "section"
        if section_year is None and title_year and any(h.target for h in headings):
            section_year, year_span, year_origin = title_year, title_at, "title"
        blocks.append(
            Block(
                start=start,
                end=end,
                text=text,
                level=level,
                is_heading=bool(numbering or marked),
                section_year=section_year,
                in_baseline_section=any(heading.baseline for heading in headings),
                pillar_hint=_block_pillar(text, headings),
                in_future_section=any(heading.future for heading in headings),
                is_table_row=table_row,
                year_origin=year_origin,
                year_span=year_span if section_year is not None else None,
                first_deadline=first_deadline,
            )
        )
        sentence = _lead_in(text)
        if sentence is None and not numbering and _UNNUMBERED_HEADING.match(text):
            sentence = text
        if sentence is not None:
            year: int | None = _heading_year(sentence)
            span: tuple[int, int] | None = (end - len(sentence.lstrip()), end)
            if year is None and _TARGET_LEAD_IN.search(search_key(sentence)):
                # "Mục tiêu cụ thể như sau:" names no year: the targets are the plan's.
                year, span = plan if plan else (None, None)
            owner = headings[-1].level if headings else 0
            lead_in = _LeadIn(owner, year, span) if year else None
    return blocks


def _heading_place(
    numbering: re.Match[str] | None, plain: str, headings: list[_Heading]
) -> tuple[int, str]:
    """(level, title) of a heading: a numbered one's level comes from its number; one marked
    only by Markdown stands below the last numbered heading, beside the marked ones under it."""
    if numbering:
        return _numbering_level(numbering), _title(plain[numbering.end() :])
    level = next((heading.level for heading in reversed(headings) if heading.numbered), 0) + 1
    return level, _title(plain)


def _heading(title: str, level: int, span: tuple[int, int], numbered: bool) -> _Heading:
    return _Heading(
        level,
        _heading_year(title),
        bool(_BASELINE_HEADING.match(title.strip())),
        _pillar_of(title),
        bool(_FUTURE_HEADING.search(title)),
        bool(_TARGET_HEADING.search(title)),
        span,
        numbered=numbered,
    )


def _is_marked_heading(raw: str) -> bool:
    """True for a short line that Markdown marks as a heading but that carries no number.

    A document's title ("## BÁO CÁO …", "# KẾ HOẠCH …") is not a section heading.
    """
    plain = raw.strip().lstrip("#*_ \t")
    return (
        "\n" not in raw.strip()
        and not _REPORT_TITLE.match(plain)
        and not _TITLE_WORDS.match(plain)
        and bool(_MARKED_HEADING.fullmatch(raw))
        and len(raw.split()) <= _MARKED_HEADING_WORDS
        and not raw.rstrip(" *_").endswith(".")
    )


def _without_markup(text: str) -> str:
    """A line without Markdown emphasis and escapes, so "**2\\. Tầm nhìn**" reads "2. Tầm nhìn"."""
    return _MARKUP.sub("", text.replace("\\.", ".").replace("\\-", "-"))


def _numbering_level(match: re.Match[str]) -> int:
    if match.group("roman"):
        return 1
    if match.group("num"):
        return 2 + match.group("num").count(".")
    return 5


def _inherited_year(headings: list[_Heading]) -> tuple[int | None, tuple[int, int] | None]:
    for heading in reversed(headings):
        if heading.year is not None:
            return heading.year, heading.span
    return None, None


def _block_pillar(text: str, headings: list[_Heading]) -> str | None:
    # A block that opens with "Về phát triển kinh tế số, …" or "Phát triển xã hội số, …" names
    # its own pillar, as a heading would.
    opening = re.match(
        r"^[-–+•\s]*(?:về\s+)?(?:phát\s+triển|xây\s+dựng)\s+[^,:\-–]{0,40}", text, re.I
    )
    if opening:
        pillar = _pillar_of(opening.group(0))
        if pillar:
            return pillar
    for heading in reversed(headings):
        if heading.pillar:
            return heading.pillar
    return None
