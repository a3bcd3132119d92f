"""The rules that find quantities in one block of text and read what surrounds them.

Each finder returns `Mention`s: a number with its unit and the name of the rule that found it.
The other functions answer one question each about a mention — its comparator, its level, its
deadline, whether it describes the present rather than a target — by looking at the words next
to it. They work on one block (see `segments`) and know nothing of any particular document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from lotrinh.extraction.numbers import DIGITS, WORDS, parse_digits, parse_number, parse_words
from lotrinh.extraction.segments import deadline_years

_I = re.IGNORECASE
# A number is not part of a code or date ("05-NQ/TU", "24/7", "1728/QĐ"); a hyphen before it
# counts only as a bullet ("-100% công tác").
_NUM = rf"(?<![\w./,])(?<!\w-)(?P<num>{DIGITS})(?![\w/]|[.,]\d)"
_NUM_OR_WORDS = rf"(?<![\w./,])(?<!\w-)(?P<num>{DIGITS}|{WORDS})(?![\w/]|[.,]\d)"
_PERCENT_SIGN = r"\s?(?:%|phần\s+trăm(?!\w))"

PERCENT_RANGE = re.compile(
    rf"(?:từ\s+)?(?<![\w./,-])(?P<low>{DIGITS}){_PERCENT_SIGN}?\s*(?:đến|tới|-|–|—)\s*"
    rf"(?P<high>{DIGITS}){_PERCENT_SIGN}",
    _I,
)
PERCENT = re.compile(rf"{_NUM}{_PERCENT_SIGN}", _I)
# "thứ hạng 30/63", "xếp hạng 20", "đứng thứ 25", "thứ 30/63" (a bare "thứ N" needs the "/63").
RANK_POSITION = re.compile(
    r"(?<!\w)(?:(?P<word>thứ\s+hạng|xếp\s+hạng|xếp\s+thứ|đứng\s+thứ|vị\s+trí)\s+(?:thứ\s+)?|thứ\s+)"
    r"(?P<num>\d{1,3})(?:\s*/\s*(?P<total>\d{2,3}))?(?![\d/]|[.,]\d)",
    _I,
)
# Where a group of leaders is counted: "nhóm 15 tỉnh, TP dẫn đầu", "nhóm 50 nước dẫn đầu thế
# giới", "nhóm 3 nước đứng đầu ASEAN".
_RANK_SCOPE = (
    r"dẫn\s+đầu|đứng\s+đầu|hàng\s+đầu|cao\s+nhất|tốt\s+nhất|cả\s+nước|thế\s+giới|toàn\s+cầu|"
    r"quốc\s+tế|ASEAN|khu\s+vực|châu\s+Á|Đông\s+Nam\s+Á"
)
RANK_GROUP = re.compile(
    rf"(?<!\w)nhóm\s+{_NUM_OR_WORDS}(?=[^.;:()]{{0,50}}?(?:{_RANK_SCOPE}))",
    _I,
)
# "Chỉ số PAR … từ 12/34 trở lên": a position among the 34 (or 63) provinces, written as a
# fraction, is a rank when the statement names an index or a ranking before it.
RANK_FRACTION = re.compile(
    r"(?<![\w./,-])(?P<num>\d{1,2})\s*/\s*(?P<total>34|63)(?![\w/]|[.,]\d)", _I
)
_RANKED_SUBJECT = re.compile(
    r"(?<!\w)(?:chỉ\s+số|xếp\s+hạng|thứ\s+hạng|xếp\s+thứ|PAR|PCI|DTI|SIPAS|PAPI|ICT)(?!\w)", _I
)
# "top 10 cả nước", "top 3 ASEAN", "tốp 50 thế giới": "top N" is always a rank.
RANK_TOP = re.compile(rf"(?<!\w)(?:top|tốp)\s+(?P<num>\d{{1,3}}|{WORDS})(?![\w/%]|[.,]\d|\s*%)", _I)

# Counted nouns, longest first, with the unit each is recorded under. Technical words that follow
# numbers without being targets ("3 cấp", "4 lớp", "ba trụ cột", "9 nội dung", "03 năm") are
# deliberately absent.
COUNT_NOUNS = {
    "trung tâm dữ liệu": "trung tâm dữ liệu",
    "hệ thống thông tin": "hệ thống thông tin",
    "điểm truy cập": "điểm truy cập",
    "bộ dữ liệu": "bộ dữ liệu",
    "cơ sở dữ liệu": "cơ sở dữ liệu",
    "hộ gia đình": "hộ gia đình",
    "doanh nghiệp": "doanh nghiệp",
    "hợp tác xã": "hợp tác xã",
    "chuyên gia": "chuyên gia",
    "tổ chức": "tổ chức",
    "dự án": "dự án",
    "chương trình": "chương trình",
    "sinh viên": "sinh viên",
    "học sinh": "học sinh",
    "giáo viên": "giáo viên",
    "lao động": "lao động",
    "kỹ sư": "kỹ sư",
    "cán bộ": "cán bộ",
    "đô thị": "đô thị",
    "trung tâm": "trung tâm",
    "nền tảng": "nền tảng",
    "sản phẩm": "sản phẩm",
    "ứng dụng": "ứng dụng",
    "mô hình": "mô hình",
    "sáng kiến": "sáng kiến",
    "bệnh viện": "bệnh viện",
    "trường": "trường",
    "cơ sở": "cơ sở",
    "tài khoản": "tài khoản",
    "trạm": "trạm",
    "tỷ đồng": "tỷ đồng",
    "triệu đồng": "triệu đồng",
    "người": "người",
    "CSDL": "cơ sở dữ liệu",
    "HTX": "hợp tác xã",
    "DN": "doanh nghiệp",
    "xã": "xã",
    "huyện": "huyện",
    "phường": "phường",
    "thôn": "thôn",
}
NOUN_ALTERNATION = "|".join(re.escape(noun) for noun in sorted(COUNT_NOUNS, key=len, reverse=True))
NOUN_UNITS = {noun.casefold(): unit for noun, unit in COUNT_NOUNS.items()}
# A noun may also open with a capital ("114 Cơ sở dữ liệu quốc gia" in a task annex); spelled
# out rather than matched with IGNORECASE, which slows down the whole pattern.
_NOUNS_ANY_CASE = "|".join(
    re.escape(form)
    for noun in sorted(COUNT_NOUNS, key=len, reverse=True)
    for form in dict.fromkeys((noun, noun[:1].upper() + noun[1:]))
)
COUNT = re.compile(
    rf"{_NUM_OR_WORDS}\s+(?P<noun>{_NOUNS_ANY_CASE})(?![\w/])"
    rf"(?:,\s*(?P<noun2>{_NOUNS_ANY_CASE})(?=\s|$|[.;,]))?"
)
# A count written as a range: "có từ 40 - 50 tổ chức khoa học và công nghệ".
COUNT_RANGE = re.compile(
    rf"(?<![\w./,-])(?P<low>\d[\d.,]*)\s*(?:-|–|—|đến|tới)\s*(?P<num>{DIGITS})\s+"
    rf"(?P<noun>{_NOUNS_ANY_CASE})(?!\w)"
)
# Words of two syllables that a noun often ends with: after "bộ", "hệ thống", "điểm" … the noun
# runs to the end of one of them ("bộ dữ liệu", not "bộ dữ").
_TWO_SYLLABLE_WORDS = (
    r"(?:dữ\s+liệu|thông\s+tin|truy\s+cập|công\s+nghệ|dịch\s+vụ|ứng\s+dụng|nền\s+tảng|"
    r"sản\s+phẩm|hạ\s+tầng|giải\s+pháp|mô\s+hình|phần\s+mềm|trực\s+tuyến|điện\s+tử)(?!\w)"
)
# After a floor word a number counts whatever noun follows it: "tối thiểu 10 dịch vụ đô thị
# thông minh", "ít nhất 02 hội nghị". The unit is the noun's first two words (most Vietnamese
# nouns are two syllables); spans of time and how often something happens are not counted.
FLOOR_COUNT = re.compile(
    rf"(?:ít\s+nhất|tối\s+thiểu|không\s+dưới)\s+{_NUM}\s+"
    r"(?P<noun>(?!(?:năm|tháng|ngày|tuần|giờ|phút|giây|quý|lần|đợt|kỳ|buổi|tiết|cấp|mức)(?!\w))"
    rf"[^\W\d_]+\s+(?:{_TWO_SYLLABLE_WORDS}|[^\W\d_]+))(?![\w/])",
    _I,
)

# Units that are not counted nouns: a rate per population ("người/vạn dân", "bác sĩ/10.000
# dân", "thuê bao/100 dân") and units of speed or size ("80 Tbps", "100 Mbps", "500 TB").
# "12 người/vạn dân", "30 thuê bao/100 dân", "12 người trên một vạn dân".
PER_POPULATION = re.compile(
    rf"{_NUM}\s+(?P<counted>(?:[^\W\d]+\s+){{0,2}}?[^\W\d]+)(?:\s*/\s*|\s+trên\s+(?:một\s+|1\s+)?)"
    r"(?P<per>(?:vạn|nghìn|ngàn|triệu|\d{2,3}(?:\.\d{3})?)\s+(?:dân(?:\s+số)?|người(?:\s+dân)?))(?!\w)",
    _I,
)
TECH_UNIT = re.compile(rf"{_NUM}\s*(?P<unit>[KMGTP]bps|[KMGTP]B|[MG]Hz)(?!\w)")
# An index value: "đạt 0,75", "đạt 65 điểm" (not "điểm phần trăm", a change of a percentage).
INDEX_POINTS = re.compile(rf"{_NUM}\s+điểm(?!\s*(?:phần\s+trăm|%))(?!\w)", _I)
INDEX_FRACTION = re.compile(r"(?<![\w./,])(?P<num>0,\d{1,3})(?![\w/%]|[.,]\d|\s*%)")
_INDEX_SUBJECT = re.compile(r"(?<!\w)(?:chỉ\s+số|điểm\s+số)(?!\w)", _I)
# "toàn bộ" / "tất cả" before countable things is an implied 100% ("toàn bộ hệ thống ứng dụng
# chuyển sang IPv6"); before a single whole ("toàn bộ hạ tầng dữ liệu") it is not a number.
IMPLIED_ALL = re.compile(
    r"(?<!\w)(?P<all>toàn\s+bộ|tất\s+cả)\s+(?:các\s+|những\s+)?"
    r"(?=(?:cơ\s+quan|đơn\s+vị|hệ\s+thống|ứng\s+dụng|dịch\s+vụ|thủ\s+tục|hồ\s+sơ|văn\s+bản|"
    r"xã|phường|huyện|thôn|tỉnh|địa\s+phương|bộ,\s+ngành|trường|bệnh\s+viện|cơ\s+sở(?!\s+hạ\s+tầng)|"
    r"khu|doanh\s+nghiệp|người|hộ|cán\s+bộ|công\s+chức|trạm|nền\s+tảng|CSDL)(?!\w))",
    _I,
)

# Words that must stand right before a count (or a number written in words) for it to be read
# as a target: a floor, an approximation, or a verb of creating, reaching or training.
_COUNT_TRIGGER = re.compile(
    r"(?:ít\s+nhất|tối\s+thiểu|khoảng|trên|hơn|đạt|có|gồm|xây\s+dựng|hình\s+thành|thu\s+hút|"
    r"đào\s+tạo|bồi\s+dưỡng|thành\s+lập|phát\s+triển|hỗ\s+trợ|chuyển\s+đổi\s+số\s+cho|"
    r"công\s+bố|lắp\s+đặt|xóa|thí\s+điểm[^,;.]{0,40}?\s+tại|"
    r"đưa\s+vào\s+(?:khai\s+thác|sử\s+dụng|vận\s+hành)(?:\s+sử\s+dụng)?|lựa\s+chọn)"
    r"(?:\s+(?:ít\s+nhất|tối\s+thiểu|khoảng|trên|hơn|từ|chuyên\s+sâu))*\s*$",
    _I,
)

# "… có 30 bộ dữ liệu mở, 3 nền tảng số dùng chung và 200 doanh nghiệp": a count listed right
# after another count of a known noun shares its verb.
_LIST_OF_COUNTS = re.compile(
    rf"(?<![\w./,])\d[\d.]*\s+(?:{_NOUNS_ANY_CASE})(?!\w)[^,;.:()\d]{{0,60}}(?:,|\s+và)\s*$"
)
APPROX = re.compile(r"(?:khoảng|xấp\s+xỉ|gần|chừng|ước\s+đạt)\s*$", _I)
FLOOR = re.compile(r"(?:tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn)\s*$", _I)
STRICT = re.compile(r"(?<!\w)(?:trên|hơn|vượt|cao\s+hơn)\s*$", _I)
CEILING = re.compile(r"(?:tối\s+đa|không\s+quá|không\s+vượt\s+quá|dưới)\s*$", _I)
FROM_OR_MORE = re.compile(r"\s*trở\s+lên", _I)
STRIVE = re.compile(r"(?<!\w)phấn\s+đấu(?!\w)", _I)
# Words that state an aim: in a progress report, only statements with one of these (or a
# deadline) are targets outside a forward-looking section.
AIM = re.compile(
    r"(?<!\w)(?:phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|nhiệm\s+vụ|dự\s+kiến|phải\s+đạt|cần\s+đạt|sẽ)(?!\w)",
    _I,
)

# Words that mark a statement about the present or the past: a baseline, not a target.
BASELINE_CUE = re.compile(
    r"(?<!\w)(?:hiện\s+(?:có|nay|đang|đã|đào\s+tạo)|đến\s+nay|tính\s+đến|"
    r"đã\s+(?:đạt|có|triển\s+khai|hoàn\s+thành)|so\s+với\s+cùng\s+kỳ|ước\s+(?:đạt|tính|thực\s+hiện))(?!\w)",
    _I,
)
# A reported result: "đạt và vượt 8/17 chỉ tiêu", "hoàn thành 12/15 chỉ tiêu", "đạt được".
RESULT_CUE = re.compile(
    r"(?<!\w)(?:đạt\s+và\s+vượt|đạt\s+được|(?:đạt|vượt|hoàn\s+thành)\s+\d+/\d+\s+chỉ\s+tiêu)(?!\w)",
    _I,
)
_DETAILS = re.compile(r"\s*trong\s+đó(?!\w)", _I)
# A label that dates a figure in the past: "T4/2025", "tháng 4/2025", "quý I/2025", "cùng kỳ",
# "năm 2024:", "2024:".
PAST_LABEL = re.compile(
    r"(?<!\w)(?:T\d{1,2}/20\d\d|tháng\s+\d{1,2}/20\d\d|quý\s+[IV1-4]+/20\d\d|cùng\s+kỳ|kỳ\s+trước|"
    r"năm\s+trước|hiện\s+(?:nay|tại|trạng)|(?:năm\s+)?20\d\d\s*(?::|là|đạt))",
    _I,
)
PAST_COMPARISON = re.compile(
    r"(?<!\w)so\s+với\s+(?:cùng\s+kỳ|kỳ\s+trước|năm\s+trước|tháng\s+trước|quý\s+trước|đầu\s+năm|"
    r"cuối\s+năm\s+20\d\d|(?:năm\s+)?20\d\d)",
    _I,
)
PAST_DATE = re.compile(
    r"(?<!\w)(?:(?:tháng|T)\s*\d{1,2}/20\d\d|tháng\s+\d{1,2}\s+năm\s+20\d\d|"
    r"quý\s+[IV1-4]+(?:/|\s+năm\s+)20\d\d|\d{1,2}\s+tháng\s+đầu\s+năm|"
    r"(?<![\d/])\d{1,2}/\d{1,2}/20\d\d)",
    _I,
)
# "giảm 30%", "tăng ít nhất 20%": a change, whose "so với năm 2024" names its base.
CHANGE_BEFORE = re.compile(
    r"(?<!\w)(?:giảm|tăng)(?:\s+(?:ít\s+nhất|tối\s+thiểu|khoảng|trên|hơn|được))*\s*$", _I
)
OF_PLAN = re.compile(
    r"\s*(?:so\s+với\s+)?(?:kế\s+hoạch|chỉ\s+tiêu)\s+(?:năm|đề\s+ra|được\s+giao|giao)", _I
)
ANNUAL = re.compile(r"(?:^\s*|[.;:]\s*)(?:mỗi\s+năm|hằng\s+năm\s*,|hàng\s+năm\s*,)", _I)
LEVEL = re.compile(r"(?<!\w)cấp\s+(?P<level>tỉnh|huyện|xã)(?!\w)", _I)
# "cấp huyện đạt 90%", "cấp xã đạt trên 70%": a level that names the value right after it.
LEVEL_BEFORE = re.compile(
    r"(?<!\w)cấp\s+(?P<level>tỉnh|huyện|xã)\s+(?:(?:đạt|là|chiếm)\s+)?"
    r"(?:(?:trên|hơn|tối\s+thiểu|ít\s+nhất|khoảng|từ)\s+)?$",
    _I,
)
# "… tại 100% cơ quan cấp tỉnh và 100% xã": a percentage of communes (or districts) named by
# the level's own noun, read as that level only in a list split by level.
_BARE_LEVEL = re.compile(r"\s*(?:các\s+)?(?P<level>xã|huyện)\s*$", _I)
LEVEL_SPAN = re.compile(r"(?<!\w)từ\s+cấp\s+(?:tỉnh|huyện|xã)\s+(?:đến|tới)\s+cấp", _I)
RESPECTIVELY = re.compile(r"(?<!\w)lần\s+lượt(?:\s+(?:là|đạt|ở\s+mức))?\s*:?", _I)
_LEVEL_LIST = re.compile(
    r"(?:cấp\s+)?(?P<a>tỉnh|huyện|xã)\s*(?:,|và)\s*(?:cấp\s+)?(?P<b>tỉnh|huyện|xã)"
    r"(?:\s*(?:,|và)\s*(?:cấp\s+)?(?P<c>tỉnh|huyện|xã))?",
    _I,
)
# How far a statement reaches from its number, each way. Real statements are a few hundred
# characters; without a bound, a long block with no full stop would cost its length squared.
REACH = 1_000
# A table cell ends a statement as a full stop does: a task row's deadline cell is not part of
# the result stated in the cell before it.
STATEMENT_END = re.compile(r";|\.(?=\s|$)| \| ")
GRDP = re.compile(r"\s*(?:[^\d,;.()%]{0,25}?\s)?\(?(?P<base>GRDP|GDP)(?!\w)", _I)


@dataclass(frozen=True)
class Mention:
    """A quantity found in a block: offsets in the block, value, unit and the rule's name."""

    start: int
    end: int
    value: Decimal
    unit: str
    rule: str
    value_max: Decimal | None = None
    rank_total: int | None = None
    # Where the number itself starts; for ranks the match begins at "thứ hạng".
    number_start: int = 0


def find_mentions(text: str) -> list[Mention]:
    """Return every quantity in `text` that could be a target, in order, without overlaps."""
    found: list[Mention] = []
    # The spans taken so far, sorted; they never overlap, so their ends are sorted too.
    starts: list[int] = []
    ends: list[int] = []

    def add(mention: Mention | None) -> None:
        if mention is None:
            return
        position = bisect.bisect_left(starts, mention.end)
        if position > 0 and ends[position - 1] > mention.start:
            return
        starts.insert(position, mention.start)
        ends.insert(position, mention.end)
        found.append(mention)

    def covered(start: int, end: int) -> bool:
        position = bisect.bisect_right(starts, start)
        return position > 0 and ends[position - 1] >= end

    lower = text.lower()
    for guard, pattern, read in _FINDERS:
        # The rarer finders run only when a cheap substring test says they can match.
        if guard is None or any(word in lower for word in guard):
            for match in pattern.finditer(text):
                # A match inside a quantity already found cannot give one ("30/63" of "thứ hạng
                # 30/63"): it is not read.
                if not covered(*match.span()):
                    add(read(text, match))
    return sorted(found, key=lambda mention: mention.start)


def _implied_all(text: str, match: re.Match[str]) -> Mention:
    start, end = match.span("all")
    return Mention(start, end, Decimal(100), "%", "implied-100-all", number_start=start)


_Reader = Callable[[str, re.Match[str]], "Mention | None"]
# Finders in priority order (an earlier match wins an overlap), each with the lowercase
# substrings one of which the text must contain for the finder to run (None: always run).
_FINDERS: tuple[tuple[tuple[str, ...] | None, re.Pattern[str], _Reader], ...] = (
    (None, RANK_POSITION, lambda text, match: _rank_position(text, match)),
    (None, RANK_GROUP, lambda text, match: _rank_group(match)),
    (("top", "tốp"), RANK_TOP, lambda text, match: _rank_group(match)),
    (
        ("/34", "/63", "/ 34", "/ 63"),
        RANK_FRACTION,
        lambda text, match: _rank_fraction(text, match),
    ),
    (None, PERCENT_RANGE, lambda text, match: _percent_range(text, match)),
    (None, PERCENT, lambda text, match: _percent(text, match)),
    (("/", "trên"), PER_POPULATION, lambda text, match: _per_population(match)),
    (("bps", "b", "hz"), TECH_UNIT, lambda text, match: _with_unit(match, "technical-unit")),
    (None, COUNT_RANGE, lambda text, match: _count(text, match)),
    (None, COUNT, lambda text, match: _count(text, match)),
    (("ít nhất", "tối thiểu", "không dưới"), FLOOR_COUNT, lambda text, match: _count(text, match)),
    (("điểm",), INDEX_POINTS, lambda text, match: _index_value(text, match, False)),
    (("0,",), INDEX_FRACTION, lambda text, match: _index_value(text, match, True)),
    (("toàn bộ", "tất cả"), IMPLIED_ALL, _implied_all),
)


def _percent_unit(text: str, end: int) -> tuple[str, int]:
    """ "%" or "%GRDP" (when GRDP follows within a few words), and where the unit ends."""
    base = GRDP.match(text, end)
    if base:
        return f"%{base.group('base').upper()}", base.end()
    return "%", end


def _percent(text: str, match: re.Match[str]) -> Mention | None:
    value = parse_digits(match.group("num"))
    if value is None:
        return None
    unit, _ = _percent_unit(text, match.end())
    return Mention(match.start(), match.end(), value, unit, "percent", number_start=match.start())


def _percent_range(text: str, match: re.Match[str]) -> Mention | None:
    low, high = parse_digits(match.group("low")), parse_digits(match.group("high"))
    if low is None or high is None or not low < high:
        return None
    unit, _ = _percent_unit(text, match.end())
    start = match.start("low")
    return Mention(start, match.end(), low, unit, "percent-range", high, number_start=start)


def _rank_position(text: str, match: re.Match[str]) -> Mention | None:
    total = match.group("total")
    if not match.group("word") and not total:
        return None
    value = parse_digits(match.group("num"))
    if value is None or value == 0:
        return None
    rank_total = int(total) if total else None
    if rank_total is not None and value > rank_total:
        return None
    return Mention(
        match.start(), match.end(), value, "rank", "rank-position", None, rank_total,
        number_start=match.start("num"),
    )  # fmt: skip


def _rank_fraction(text: str, match: re.Match[str]) -> Mention | None:
    value = parse_digits(match.group("num"))
    total = int(match.group("total"))
    if value is None or value == 0 or value > total:
        return None
    if not occurs(_RANKED_SUBJECT, text, statement_start(text, match.start()), match.start()):
        return None
    return Mention(
        match.start(), match.end(), value, "rank", "rank-fraction", None, total,
        number_start=match.start("num"),
    )  # fmt: skip


def _rank_group(match: re.Match[str]) -> Mention | None:
    value = parse_number(match.group("num"))
    if value is None or value == 0:
        return None
    return Mention(
        match.start(), match.end(), value, "rank", "rank-group", number_start=match.start("num")
    )


def _with_unit(match: re.Match[str], rule: str) -> Mention | None:
    value = parse_digits(match.group("num"))
    if value is None or value == 0:
        return None
    unit = re.sub(r"\s*/\s*", "/", " ".join(match.group("unit").split()))
    return Mention(match.start(), match.end(), value, unit, rule, number_start=match.start())


def _per_population(match: re.Match[str]) -> Mention | None:
    """A figure per so many people, recorded as "người/vạn dân" however the text says "per"."""
    value = parse_digits(match.group("num"))
    if value is None or value == 0:
        return None
    unit = f"{' '.join(match.group('counted').split())}/{' '.join(match.group('per').split())}"
    return Mention(
        match.start(), match.end(), value, unit, "per-population", number_start=match.start()
    )


def _index_value(text: str, match: re.Match[str], needs_subject: bool) -> Mention | None:
    """An index value ("chỉ số … đạt 0,75", "đạt 65 điểm"); a bare fraction needs "chỉ số"."""
    value = parse_digits(match.group("num"))
    if value is None or value == 0:
        return None
    if needs_subject and not _INDEX_SUBJECT.search(
        text, statement_start(text, match.start()), match.start()
    ):
        return None
    # A score stated in points keeps its unit; a bare fraction is the index's own value.
    unit = "chỉ số" if needs_subject else "điểm"
    return Mention(
        match.start(), match.end(), value, unit, "index-value", number_start=match.start()
    )


# Money can have decimals; the other counted nouns cannot, so "68,457 trạm" is 68457 stations
# with the comma as an English thousands separator.
_ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_MONEY = re.compile(r"đồng$", _I)


def _count_value(number: str, unit: str) -> Decimal | None:
    if not number[0].isdigit():
        return parse_words(number)
    if _ENGLISH_THOUSANDS.fullmatch(number) and not _MONEY.search(unit):
        number = number.replace(",", "")
    return parse_digits(number)


def _count(text: str, match: re.Match[str]) -> Mention | None:
    number = match.group("num")
    in_words = not number[0].isdigit()
    noun = match.group("noun")
    unit = NOUN_UNITS.get(noun.casefold(), noun.lower())
    value = _count_value(number, unit)
    if value is None or value == 0:
        return None
    low = match.groupdict().get("low")
    value_max = None
    if low is not None:
        # "từ 40 - 50 tổ chức"; "2021 - 2025" is a period, not a range of things.
        low_value = parse_digits(low)
        if low_value is None or not low_value < value or value >= 1900:
            return None
        value, value_max = low_value, value
    before = text[max(0, match.start() - 40) : match.start()]
    if (
        match.re is not FLOOR_COUNT
        and not _COUNT_TRIGGER.search(before)
        and not _LIST_OF_COUNTS.search(text, max(0, match.start() - 80), match.start())
    ):
        return None
    # A number in words other than "một"…"chín" alone is rare in targets; "năm" is also "year".
    if in_words and number.lower().startswith("năm"):
        return None
    # "một" is also the indefinite article ("một sản phẩm mới"); only "ít nhất một" counts.
    if in_words and value == 1 and not FLOOR.search(before):
        return None
    second = match.groupdict().get("noun2")
    if second:
        unit = f"{unit}, {NOUN_UNITS[second.casefold()]}"
    start = match.start("low") if low is not None else match.start("num")
    rule = _COUNT_RULES.get(match.re, "count")
    if in_words:
        rule = "count-in-words"
    return Mention(
        match.start() if match.re is COUNT else start,
        match.end(),
        value,
        unit,
        rule,
        value_max,
        number_start=start,
    )


_COUNT_RULES = {COUNT_RANGE: "count-range", FLOOR_COUNT: "count-after-floor"}


def clause_start(text: str, position: int) -> int:
    """Start of the clause that holds `position`: after the last , ; . : ( or ) before it."""
    floor = max(0, position - REACH)
    cut = max(text.rfind(mark, floor, position) for mark in (",", ";", ". ", ":", "(", ")"))
    return cut + 1 if cut >= 0 else floor


def statement_start(text: str, position: int) -> int:
    """Start of the statement (sentence or ;-clause) that holds `position`."""
    floor = max(0, position - REACH)
    cut = max(text.rfind(mark, floor, position) for mark in (";", ". ", ": ", " - ", " | "))
    return cut + 1 if cut >= 0 else floor


def statement_end(text: str, position: int) -> int:
    """End of the statement that holds `position`: after the next ";" or full stop."""
    limit = min(len(text), position + REACH)
    found = STATEMENT_END.search(text, position, limit)
    return found.end() if found else limit


def comparator_of(text: str, mention: Mention, strive_from: int) -> tuple[str, bool]:
    """Return (comparator, strict) for a mention.

    Ranks are always "<=" (a rank at most N), ranges "=". Otherwise the word right before the
    number decides: "khoảng" → "~", "tối thiểu"/"ít nhất"/"từ … trở lên" → ">=", "trên"/"hơn"
    → ">=" strict, "tối đa"/"không quá" → "<=". Failing that, "phấn đấu" anywhere in the same
    clause since `strive_from` gives ">="; and the default is "=".
    """
    if mention.unit == "rank":
        return "<=", False
    if mention.value_max is not None:
        return "=", False
    before = text[max(0, mention.number_start - 30) : mention.number_start]
    if APPROX.search(before):
        return "~", False
    if FLOOR.search(before) or FROM_OR_MORE.match(text, mention.end):
        return ">=", False
    if STRICT.search(before):
        return ">=", True
    if CEILING.search(before):
        return "<=", False
    if STRIVE.search(text, strive_from, mention.start):
        return ">=", False
    return "=", False


def strive_clause_start(text: str, position: int) -> int:
    """Start of the clause in which "phấn đấu" reaches `position`.

    A comma right after a deadline ("phấn đấu đến năm 2025, …") does not end the clause.
    """
    start = clause_start(text, position)
    while start > 1 and text[start - 1] == ",":
        previous = clause_start(text, start - 1)
        if not deadline_years(text[previous : start - 1]):
            break
        start = previous
    return start


def level_of(text: str, mention: Mention, stop: int, start: int = 0) -> str | None:
    """The administrative level of a mention in a list split by level.

    It is named right after the mention ("90% hồ sơ … tại cấp tỉnh") within twelve words, before
    `stop` (the next mention) and before any comma, semicolon or bracket, so "100% chế độ báo
    cáo, … cấp tỉnh" is not read as a level; or right before it, after `start` (the previous
    mention): "cấp huyện đạt 90%". A span "từ cấp tỉnh đến cấp huyện" names no one level.
    """
    before = LEVEL_BEFORE.search(text, max(start, mention.start - 60), mention.start)
    if before is not None:
        return before.group("level").lower()
    window = text[mention.end : stop]
    cut = re.search(r"[,;().:]", window)
    if cut:
        window = window[: cut.start()]
    bare = _BARE_LEVEL.match(window)
    if bare is not None and mention.unit == "%":
        return bare.group("level").lower()
    match = LEVEL.search(window)
    if match is None or len(window[: match.start()].split()) > 12:
        return None
    if LEVEL_SPAN.search(window):
        return None
    return match.group("level").lower()


def is_baseline(text: str, mention: Mention, under_targets: bool = False) -> bool:
    """True when the statement of a mention describes the present or the past.

    - a present-tense cue before the number ("hiện có", "đã đạt", "ước đạt");
    - the number sits in a bracket labelled with a past date or period ("(T4/2025: 26%)",
      "(cùng kỳ năm 2024: 35%)", "(năm 2024 là 30%)"), unless the bracket states an aim;
    - the number measures progress against a plan ("bằng 54% kế hoạch năm");
    - the statement opens with "trong đó" and details a result reported just before it ("đạt và
      vượt 8/17 chỉ tiêu; trong đó 100% …");
    - the statement compares with the past ("tăng 12% so với cùng kỳ", "so với năm 2024") or is
      dated by a month, quarter or day ("tháng 5/2025", "quý I/2025", "6 tháng đầu năm"), and
      states no aim: no deadline and no "phấn đấu", "mục tiêu", "chỉ tiêu" …; under a heading
      that sets targets (`under_targets`), a change against a base year ("chi phí … giảm 30% so
      với năm 2024") is a target.
    """
    start = statement_start(text, mention.start)
    if occurs(BASELINE_CUE, text, start, mention.start):
        return True
    bracket = parenthesis_around(text, mention.start)
    if bracket is not None:
        label = text[bracket[0] : mention.start]
        if PAST_LABEL.search(label) and not AIM.search(label):
            return True
    if OF_PLAN.match(text, mention.end):
        return True
    if _DETAILS.match(text, start) and start > 1:
        # "… đạt và vượt 8/17 chỉ tiêu; trong đó 100% …": the details of a result are results.
        before = statement_start(text, start - 1)
        if occurs(RESULT_CUE, text, before, start):
            return True
        if occurs(BASELINE_CUE, text, before, start) and not occurs(AIM, text, before, start):
            return True
    end = statement_end(text, mention.end)
    if occurs(PAST_COMPARISON, text, start, end) or occurs(PAST_DATE, text, start, end):
        if under_targets and CHANGE_BEFORE.search(
            text, max(0, mention.number_start - 30), mention.number_start
        ):
            return False
        return not (occurs(AIM, text, start, end) or deadline_years(text[start:end]))
    return False


def occurs(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """True when a match of `pattern` in `text` lies wholly between `start` and `end`.

    The matches of a block are found once, so asking this for each of its numbers costs a
    lookup rather than a scan of the statement.
    """
    starts, ends = _matches(pattern, text)
    position = bisect.bisect_left(starts, start)
    return position < len(starts) and ends[position] <= end


@lru_cache(maxsize=16)
def _matches(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    spans = [match.span() for match in pattern.finditer(text)]
    return [start for start, _end in spans], [end for _start, end in spans]


def is_annual(text: str, position: int) -> bool:
    """True when a statement recurs every year ("Mỗi năm, …") rather than having a deadline."""
    floor = max(0, position - REACH)
    cut = text.rfind(". ", floor, position)
    return bool(ANNUAL.search(text[cut + 1 if cut >= 0 else floor : position]))


def parenthesis_around(text: str, position: int) -> tuple[int, int] | None:
    """The (start, end) of the innermost parenthesis that contains `position`, or None."""
    openings, closings = _brackets(text)
    opening = openings[position]
    if opening < 0:
        return None
    closing = closings[position]
    return opening, (closing + 1 if closing >= 0 else len(text))


@lru_cache(maxsize=4)
def _brackets(text: str) -> tuple[list[int], list[int]]:
    """Per position of `text`: the innermost "(" still open before it, and the first ")" from it.

    Computed once per block text in one pass, so that finding the bracket around each of many
    numbers costs the same however long the block is (-1: none).
    """
    openings = [-1] * (len(text) + 1)
    stack: list[int] = []
    for index, char in enumerate(text):
        openings[index] = stack[-1] if stack else -1
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            stack.pop()
    openings[len(text)] = stack[-1] if stack else -1
    closings = [-1] * (len(text) + 1)
    following = -1
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            following = index
        closings[index] = following
    return openings, closings


def respectively_levels(text: str, position: int) -> list[str]:
    """Levels listed before "lần lượt là" in the statement ("cấp tỉnh, huyện, xã lần lượt là")."""
    start = statement_start(text, position)
    matches = list(_LEVEL_LIST.finditer(text, start, position))
    if not matches:
        return []
    match = matches[-1]
    return [level.lower() for level in match.group("a", "b", "c") if level]


def drop_repeats(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop a mention that repeats the one before it a few words later ("trên 50% đạt trên 50%").

    Garbled sources sometimes state one target twice in a row; reading it twice would count one
    target as two.
    """
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        if previous and (previous.value, previous.unit) == (mention.value, mention.unit):
            gap = text[previous.end : mention.start]
            if len(gap.split()) <= 3 and not re.search(r"[,;.()]", gap):
                continue
        kept.append(mention)
    return kept


def with_unit(mention: Mention, unit: str) -> Mention:
    return replace(mention, unit=unit)
