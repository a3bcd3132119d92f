"""Resolution text → proposed tasks (nhiệm vụ): who must do what by when. Pure: no database.

Tasks are proposed from two kinds of section:
- "Nhiệm vụ, giải pháp" (numbered, or a lead-in such as "các nhiệm vụ, giải pháp trọng tâm:"):
  each bullet or paragraph is a task, led by the agency it names before "chủ trì" if any;
- "Tổ chức thực hiện": a numbered item names the agency ("2. Sở Thông tin và Truyền thông", "4. Sở
  Xây dựng: …", "3. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với …"), and each bullet under it is
  one of that agency's tasks.
A one-paragraph list ("các nhiệm vụ, giải pháp cần tập trung thực hiện: A; B; C.") gives one task
per item. Each proposal keeps its character offsets in the normalised document (for highlighting),
the agency and partners as written, and the deadline the sentence states (quarter, date, year,
"hằng năm"), which an officer reviews before accepting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lotrinh.core.text import search_key
from lotrinh.extraction.segments import PARAGRAPH_LEVEL, Block, normalise_document, split_blocks
from lotrinh.workplan.deadlines import Deadline, find_deadline

TASKS, ORGANISATION = "tasks", "organisation"
MAX_TITLE = 160
MIN_TASK_CHARS = 25

_AGENCY_START = re.compile(
    r"^(?:Sở|Ban|Đảng đoàn|Văn phòng|Công an|Bộ Chỉ huy|Bộ chỉ huy|Đài|Báo|Ủy ban|UBND|Thủ trưởng|Chủ tịch|"
    r"Các|Hội|Liên đoàn|Tỉnh đoàn|Đoàn|Mặt trận|Cục|Kho bạc|Ngân hàng|Viễn thông|Trường)\b"
)
_VERB = re.compile(
    r"\s(?:chủ trì|là đầu mối|là cơ quan|có trách nhiệm|phối hợp|xây dựng|ban hành|triển khai|"
    r"tổ chức|nghiên cứu|theo dõi|tham mưu|hướng dẫn|thực hiện|đẩy mạnh|chỉ đạo|đề xuất|bố trí|"
    r"thành lập|rà soát|quán triệt|tiếp tục|lãnh đạo|căn cứ)\b"
)
_PARTNERS = re.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(?P<rest>[^.;:]+)", re.I)
_BULLET = re.compile(r"^\s*(?:[-–•+*]|[a-zđ]\)|\d+(?:\.\d+)*\.(?=\s))\s*")
# A statement that opens with a figure ("100% hồ sơ …") is a target, not a task.
_TARGET_OPENING = re.compile(r"^(?:khoảng\s+|trên\s+|phấn đấu\s+)?\d+(?:[.,]\d+)?\s*%", re.I)
_OPENING_CLAUSE = re.compile(r"^(?:Trên cơ sở|Căn cứ|Trong quá trình)[^,]{0,120},\s*", re.I)


@dataclass(frozen=True)
class TaskProposal:
    title: str
    agency: str
    partners: list[str]
    deadline: Deadline | None
    deadline_text: str
    text: str
    start: int
    end: int
    section: str
    notes: list[str] = field(default_factory=list)


def _section_of(text: str, lead_in: bool = False) -> str | None:
    key = search_key(text)
    if "to chuc thuc hien" in key and len(key) < 60:
        return ORGANISATION
    if lead_in and "muc tieu" in key and "giai phap" not in key:
        return None  # "những mục tiêu, nhiệm vụ sau:" announces targets first
    if re.search(r"nhiem vu|giai phap", key):
        return TASKS
    return None


def _agency_and_rest(text: str) -> tuple[str, str]:
    """("Sở Xây dựng", "Trong quá trình …") from "Sở Xây dựng: Trong quá trình …"; ("", text)
    when the text does not open with an agency."""
    if not _AGENCY_START.match(text):
        return "", text
    if ":" in text[:90]:
        agency, rest = text.split(":", 1)
        return agency.strip(), rest.strip()
    if len(text) <= 90 and not _VERB.search(text):
        return text.strip(" ."), ""
    if (verb := _VERB.search(text)) and verb.start() <= 90:
        agency = text[: verb.start()].strip(" ,")
        return agency, text[verb.start() :].strip()
    return "", text


def _split_agencies(text: str) -> list[str]:
    names = [n.strip(" .") for n in re.split(r",|;|\svà\s(?=Sở|Ban|Văn phòng|UBND)", text)]
    return [n for n in names if n and _AGENCY_START.match(n)]


def _partners(text: str) -> list[str]:
    match = _PARTNERS.search(text)
    if not match:
        return []
    names = []
    for part in re.split(r",|;", match["rest"]):
        part = part.strip()
        verb = _VERB.search(" " + part)
        name = (part[: max(verb.start() - 1, 0)] if verb else part).strip()
        if name and _AGENCY_START.match(name) and not name.startswith("Các"):
            names.append(name)
    return names


def _title(text: str) -> str:
    text = _OPENING_CLAUSE.sub("", _BULLET.sub("", text, count=1)).strip(' “”"')
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(" .;")
    if len(first) > MAX_TITLE:
        first = first[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    return first[:1].upper() + first[1:]


def _proposal(
    text: str, start: int, end: int, section: str, agency: str, partners: list[str]
) -> TaskProposal | None:
    body = _BULLET.sub("", text, count=1).strip()
    if (
        len(body) < MIN_TASK_CHARS
        or body.endswith(":")
        or body.startswith("Nguồn")
        or _TARGET_OPENING.match(body)
    ):
        return None
    own_agency, rest = _agency_and_rest(body)
    lead = own_agency or agency
    title = _title(rest or body)
    found = find_deadline(body)
    mentioned = _partners(body)
    return TaskProposal(
        title=title,
        agency=lead,
        partners=[p for p in [*partners, *mentioned] if p != lead],
        deadline=found[0] if found else None,
        deadline_text=found[1] if found else "",
        text=text.strip(),
        start=start + (len(text) - len(text.lstrip())),
        end=end - (len(text) - len(text.rstrip())),
        section=section,
    )


def _inline_list(block: Block) -> list[TaskProposal]:
    """ "… các nhiệm vụ, giải pháp cần tập trung thực hiện: A; B; C." → one task per item."""
    match = re.search(r"nhiệm vụ,? giải pháp[^:]{0,60}:\s*", block.text, re.I)
    if not match:
        return []
    proposals = []
    for item in re.finditer(r"[^;]+", block.text[match.end() :]):
        clean = item.group(0).strip().rstrip(" .")
        if not clean:
            continue
        start = block.start + match.end() + item.start() + item.group(0).index(clean)
        if made := _proposal(clean, start, start + len(clean), TASKS, "", []):
            proposals.append(made)
    return proposals


@dataclass
class _Reader:
    """Where the reading is: the section (kind, its heading's level, opened by a lead-in sentence
    rather than a heading) and the agency that the organisation section's heading named."""

    section: tuple[str, int, bool] | None = None
    agency: str = ""
    partners: list[str] = field(default_factory=list)

    def enter(self, block: Block) -> bool:
        """Open or close a section at this block; True when the block only opened one."""
        text = block.text.rstrip()
        if not block.is_heading:
            if self.section is None and text.endswith(":") and (kind := _section_of(text, True)):
                self.section = (kind, PARAGRAPH_LEVEL, True)
                return True
            return False
        kind = _section_of(text)
        if kind and (self.section is None or block.level <= self.section[1] or self.section[2]):
            self.section, self.agency, self.partners = (kind, block.level, False), "", []
            return True
        closes = self.section and kind is None and block.level <= self.section[1]
        if closes and not self.is_item(block):
            self.section = None
        return False

    def is_item(self, block: Block) -> bool:
        """Under a lead-in ("… các giải pháp … như sau:"), numbered items are the tasks."""
        return bool(self.section and self.section[2] and len(block.text.strip()) > 60)

    def organisation_heading(self, block: Block) -> TaskProposal | None:
        """ "2. Sở Thông tin và Truyền thông" names the agency of the bullets below; "4. Sở Xây
        dựng: …" and "3. Ban Tuyên giáo Tỉnh ủy chủ trì, …" also state a task."""
        body = _BULLET.sub("", block.text, count=1).strip()
        named, rest = _agency_and_rest(body)
        names = _split_agencies(named) if named else []
        self.agency, self.partners = (names[0], names[1:]) if names else ("", [])
        if not rest:
            return None
        start = block.start + block.text.index(rest)
        lead = self.agency or named
        return _proposal(rest, start, start + len(rest), ORGANISATION, lead, self.partners)

    def read(self, block: Block) -> list[TaskProposal]:
        if self.enter(block):
            return []
        if self.section is None:
            return _inline_list(block)
        kind = self.section[0]
        made: TaskProposal | None = None
        if block.is_heading and kind == ORGANISATION:
            made = self.organisation_heading(block)
        elif block.is_heading and not self.is_item(block):
            return []
        elif kind == ORGANISATION and not self.agency and not _BULLET.match(block.text):
            return []  # a closing remark ("Nghị quyết này phổ biến đến Chi bộ."), not a task
        else:
            made = _proposal(block.text, block.start, block.end, kind, self.agency, self.partners)
        return [made] if made else []


def propose_tasks(document: str) -> list[TaskProposal]:
    """The tasks a resolution assigns, in the order of the text (offsets in the normalised text)."""
    reader = _Reader()
    return [
        proposal
        for block in split_blocks(normalise_document(document))
        for proposal in reader.read(block)
    ]
