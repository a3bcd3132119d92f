"""Name the quantity a target measures, choose its pillar, and match names to the catalogue.

Names follow the reviewed targets: "Tỷ lệ <what is counted>" for a percentage of things,
"Tỷ trọng <what> trong GRDP" for a share of GRDP, "Tốc độ tăng <what>" for a growth rate,
"Thứ hạng <index>" for a rank and "Số <things>" for a count. They are proposals a person edits;
`match_indicator` then finds the same quantity in the shared catalogue by shared words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lotrinh.core.text import collapse_whitespace, search_key
from lotrinh.extraction.rules import NOUN_ALTERNATION

_I = re.IGNORECASE
_LEADING_FILLER = re.compile(
    r"^(?:[-–+•\s]|về\s+phát\s+triển\s+[^,]*,|mục\s+tiêu\s+[^,]*?\s+là|(?:tỉnh|thành\s+phố)\s+"
    r"|phấn\s+đấu\s+|đảm\s+bảo\s+|bảo\s+đảm\s+|trong\s+đó\s+|có\s+|các\s+|những\s+|tổng\s+số\s+"
    r"|(?:và|hoặc|đạt|lần\s+lượt(?:\s+là)?)(?:\s+|$)|(?:trong\s+)?năm\s+20\d\d\s*[*_]*\s*[,:]\s*"
    # a list item's letter or number ("c) Tỷ lệ …", "2.1. Tỷ lệ …")
    r"|[a-zđ][.)]\s+|\d{1,2}(?:\.\d{1,2})*[.)]\s+"
    r"|số\s+(?=\w)(?!lượng|hóa|hoá))+",
    _I,
)
_TRAILING_VERBS = re.compile(
    r"(?:\s+(?:nhóm|thứ\s+hạng|xếp\s+hạng|top|đạt|chiếm|tăng|giảm|là|trên|hơn|tối\s+thiểu|ít\s+nhất|khoảng|từ|phủ(?:\s+khắp)?"
    r"|bình\s+quân|đạt\s+mức|ở\s+mức|thuộc|vào|có|của\s+tỉnh|của\s+thành\s+phố|lần\s+lượt"
    r"|nằm\s+trong|trong|xếp|đứng|và|đóng\s+góp(?:\s+vào)?))+\s*$",
    _I,
)
_STOP = re.compile(
    r"\s*(?:[;():]|\.\s|\.$|…|(?<!\w)(?:để|nhằm|gồm|như|trong\s+đó|so\s+với|lần\s+lượt)\s"
    r"|(?<!\w)(?:vào|đến|trong|trước)\s+(?:các\s+)?(?:năm\s+20\d\d|ngày\s+\d)"
    r"|(?<!\w)và\s+(?=\d)"
    # ", 3 nền tảng …", ", 80% …": the next value of a list (not "mức độ 3, 4").
    rf"|,\s+(?=\d[\d.,]*\s*%|\d[\d.]*\s+(?:{NOUN_ALTERNATION})(?!\w)))",
    _I,
)
_LEVEL_WORDS = re.compile(r"\s*(?:tại|ở|của)?\s*cấp\s+(?:tỉnh|huyện|xã)(?!\w)", _I)
_SUBJECT_HEADS = re.compile(
    # "số hóa" (digitising) is an activity, not "the number of".
    r"^(?:tỷ\s+lệ|tỷ\s+trọng|chỉ\s+số|năng\s+suất|tốc\s+độ|số\s+lượng|số\s+(?!hóa|hoá)|thứ\s+hạng|mức|"
    r"kinh\s+tế\s+số|doanh\s+thu|giá\s+trị)",
    _I,
)
MAX_WORDS = 16

# Pillar rules follow how the reviewers of the development corpora read a target: the DTI's
# foundations — ranks and indices, smart cities, data, information systems, data centres and
# clouds, telecom stations and network speeds, the officials' skills, budgets, research and
# technology — are "foundation" wherever they stand; otherwise what the target is about decides
# (digital government, economy or society), and the section's pillar only when no word does.


def _rule(pillar: str, pattern: str) -> tuple[str, re.Pattern[str]]:
    return pillar, re.compile(pattern, _I)


# The head of an indicator: what is counted, after "Tỷ lệ", "Số", "Tốc độ tăng" … and fillers.
_HEAD = re.compile(
    r"^(?:(?:tỷ|tỉ)\s+(?:lệ|trọng)|số\s+lượng|tốc\s+độ\s+tăng|mức\s+(?:tăng|giảm)|tổng)?\s*"
    r"(?:(?:số|các|những|toàn\s+bộ)\s+)*",
    _I,
)
# Who or what is counted decides before any other word when it is one of these: "Tỷ lệ doanh
# nghiệp sử dụng dịch vụ điện toán đám mây" is the digital economy although clouds are a
# foundation; "Tỷ lệ cán bộ … được tập huấn" is human resources; a station is infrastructure
# whatever it covers.
_HEAD_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    _rule(
        "economy",
        r"^(?:tổ\s+chức,\s*)?(?:doanh\s+nghiệp(?!\s+viễn\s+thông)|hợp\s+tác\s+xã|thương\s+nhân"
        r"|hộ\s+kinh\s+doanh|doanh\s+thu)(?!\w)",
    ),
    _rule(
        "foundation",
        r"^(?:(?:nguồn\s+)?nhân\s+lực|chuyên\s+gia|trạm(?!\s+y\s+tế)|hệ\s+thống\s+(?:thông\s+tin"
        r"(?!\s+(?:báo\s+cáo|phục\s+vụ\s+họp))|ứng\s+dụng))(?!\w)",
    ),
)
# The state's staff: their skills, training, awareness, specialists and equipment are the
# foundations (human resources, infrastructure); what they do with the tools of government
# ("CBCC sử dụng thư điện tử công vụ") is government.
_STAFF = re.compile(
    r"^(?:lãnh\s+đạo|cán\s+bộ|công\s+chức|viên\s+chức|CBCC|đội\s+ngũ"
    r"|(?:thành\s+viên\s+)?tổ\s+công\s+nghệ\s+số)(?!\w)",
    _I,
)
_CAPACITY = re.compile(
    r"đào\s+tạo|tập\s+huấn|bồi\s+dưỡng|nhận\s+thức|năng\s+lực|kỹ\s+năng|chuyên\s+môn|trình\s+độ"
    r"|chuyên\s+trách|trang\s+bị",
    _I,
)
# A state agency's target is digital government ("cơ quan nhà nước kết nối mạng băng rộng …"),
# unless it is about data ("cơ quan nhà nước cung cấp dữ liệu mở" is a foundation).
_AGENCY = re.compile(r"^(?:cơ\s+quan|ủy\s+ban|UBND|sở,?\s+ngành)(?!\w)", _I)
_DATA = re.compile(r"dữ\s+liệu|(?<!\w)CSDL(?!\w)", _I)

# Then the words, first match wins, in the indicator's name before its own clause and sentence.
_PILLAR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Indices and their scores, whatever they measure ("Chỉ số hài lòng SIPAS", "Điểm DTI - kinh
    # tế số"); the human development index is society's.
    _rule(
        "foundation",
        r"(?<!địa\s)chỉ\s+số(?!\s+phát\s+triển\s+con\s+người)|(?<!\w)(?:DTI|ICT\s+Index)(?!\w)"
        r"|thứ\s+hạng|xếp\s+hạng",
    ),
    # Services built on data, public-service use and satisfaction, the state's own network.
    _rule(
        "government",
        r"dịch\s+vụ[^.;,]{0,30}dựa\s+trên\s+dữ\s+liệu|dịch\s+vụ\s+sáng\s+tạo|hài\s+lòng"
        r"|mạng\s+(?:truyền\s+số\s+liệu\s+)?chuyên\s+dùng",
    ),
    # What people buy and pay for, and firms' own digital adoption.
    _rule(
        "economy",
        r"mua\s+sắm|không\s+dùng\s+tiền\s+mặt|hóa\s+đơn\s+điện\s+tử|h[ợọ]p\s+đồng\s+điện\s+tử"
        r"|thương\s+mại\s+điện\s+tử|sàn\s+thương\s+mại|bán\s+hàng|bán\s+lẻ|thương\s+nhân"
        r"|doanh\s+nghiệp[^.;]{0,80}(?:IoT|internet\s+vạn\s+vật|điện\s+toán\s+đám\s+mây)",
    ),
    # What people have, reach or use: "phủ sóng 5G" is society, "trạm 5G" a foundation.
    _rule(
        "society",
        r"^(?:tỷ\s+lệ\s+)?người\s+(?:dân|sử\s+dụng|dùng)"
        r"(?![^.;]*(?:dịch\s+vụ\s+công|DVCTT|thủ\s+tục|chính\s+quyền))|phủ\s+sóng|hồ\s+sơ\s+sức\s+kho"
        r"|phát\s+triển\s+con\s+người|khu\s+dân\s+cư|được\s+tiếp\s+cận|phổ\s+cập\s+dịch\s+vụ"
        r"|chữ\s+ký\s+(?:số|điện\s+tử)\s+cá\s+nhân|điện\s+thoại\s+thông\s+minh|smartphone",
    ),
    _rule(
        "foundation",
        r"(?:đô\s+thị|thôn|làng|thành\s+phố)\s+thông\s+minh|cơ\s+sở\s+dữ\s+liệu|csdl"
        r"|dữ\s+liệu\s+mở|(?:sàn|kho)\s+dữ\s+liệu|trung\s+tâm\s+dữ\s+liệu|ipv6|nhân\s+lực"
        r"|chuyên\s+gia|ngân\s+sách|kinh\s+phí|chi\s+cho|an\s+toàn,?\s+an\s+ninh\s+mạng"
        r"|nền\s+tảng\s+tích\s+hợp|chi\s+phí\s+đầu\s+tư|cáp\s+quang\s+(?:trên\s+)?biển"
        r"|(?<!\w)BTS(?!\w)|trạm\s+(?:phát|thu\s+phát|[45]G)|tốc\s+độ\s+trung\s+bình"
        r"|tốc\s+độ\s+(?:truy\s+(?:cập|nhập)|băng\s+rộng|mạng|internet|kết\s+nối)"
        r"|băng\s+thông\s+(?:kết\s+nối|quốc\s+tế)|làm\s+việc\s+trong\s+lĩnh\s+vực"
        r"|quy\s+chế|văn\s+bản\s+quy\s+phạm"
        r"|điện\s+toán\s+đám\s+mây|(?<!\w)IoT(?!\w)|internet\s+vạn\s+vật|cảm\s+biến"
        r"|dùng\s+chung\s+(?:vị\s+trí|cột|cống)|sáng\s+chế|khai\s+thác\s+thương\s+mại"
        r"|công\s+bố\s+khoa\s+học|nghiên\s+cứu|(?<!bộ\s)khoa\s+học(?:,|\s+và)?\s+(?:kỹ\s+thuật"
        r"|công\s+nghệ)|công\s+nghệ\s+chiến\s+lược|bán\s+dẫn|trí\s+tuệ\s+nhân\s+tạo"
        r"|truyền\s+thanh|tiêu\s+chí\s+số\s+8|được\s+(?:đào\s+tạo|tập\s+huấn|bồi\s+dưỡng)",
    ),
    _rule(
        "economy",
        r"grdp|gdp|kinh\s+tế\s+số|năng\s+suất|tăng\s+trưởng|doanh\s+nghiệp\s+(?:nhỏ|công\s+nghệ|số"
        r"|khởi)|hợp\s+tác\s+xã|công\s+nghiệp\s+số|xuất\s+khẩu",
    ),
    _rule(
        "society",
        r"hộ\s+gia\s+đình|dân\s+số|tài\s+khoản\s+thanh\s+toán|trường\s+học|học\s+sinh|sinh\s+viên"
        r"|khám\s+chữa\s+bệnh|bệnh\s+viện|y\s+tế|giáo\s+dục|sức\s+kho[ẻẽ]|đoàn\s+viên|thanh\s+niên"
        r"|kỹ\s+năng\s+số|băng\s+(?:thông\s+)?rộng|xã\s+hội\s+số|thuê\s+bao|mạng\s+di\s+động"
        r"|(?<!\w)internet(?!\s+vạn)",
    ),
    _rule(
        "government",
        r"dịch\s+vụ\s+công|hồ\s+sơ|thủ\s+tục\s+hành\s+chính|hành\s+chính\s+công|báo\s+cáo|kiểm\s+tra"
        r"|họp|định\s+danh|điện\s+tử\s+hóa|ứng\s+dụng\s+công\s+nghệ\s+thông\s+tin|cơ\s+quan"
        r"|đơn\s+vị\s+hành\s+chính|chính\s+quyền|(?:xã|huyện|địa\s+phương)[^.;,]{0,40}chuyển\s+đổi\s+số",
    ),
)


# Words that suggest a pillar only when no rule above decides ("hồ sơ của người dân và doanh
# nghiệp" is digital government; "tỷ lệ doanh nghiệp …" alone is the digital economy).
_GENERAL_PILLAR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    _rule(
        "economy",
        r"doanh\s+nghiệp|thương\s+mại|xuất\s+khẩu|siêu\s+thị|cửa\s+hàng|đổi\s+mới\s+sáng\s+tạo"
        r"|du\s+lịch|nông\s+sản",
    ),
)


def direction_for(unit: str, comparator: str) -> str:
    """Which way is better for a new indicator: a rank or a ceiling ("≤ 3%") is met by going
    down ("decrease"); everything else by going up ("increase")."""
    return "decrease" if unit == "rank" or comparator == "<=" else "increase"


def _head_pillar(indicator: str, unit: str, own: str) -> str | None:
    head = _HEAD.sub("", indicator.strip(), count=1)
    # A count's unit is the noun it counts ("Thu hút thêm tổ chức, doanh nghiệp …" in a table
    # whose unit column says "Tổ chức, doanh nghiệp").
    counted = "" if unit.startswith("%") or unit == "chỉ số" else unit
    for pillar, pattern in _HEAD_RULES:
        if pattern.match(head) or (counted and pattern.match(counted)):
            return pillar
    if _STAFF.match(head):
        return "foundation" if _CAPACITY.search(f"{indicator} {own}") else "government"
    if _AGENCY.match(head):
        return "foundation" if _DATA.search(f"{indicator} {own}") else "government"
    return None


def pillar_for(indicator: str, unit: str, statement: str, hint: str | None, own: str = "") -> str:
    """Choose the pillar of a target: a rank, a speed or a capacity is a foundation; then what its name counts ("doanh
    nghiệp", "cán bộ", "cơ quan" …); then the most specific words of its name, of `own` (the
    words around its value) and of the whole `statement`; general words after those; the
    section's pillar (`hint`) only when no word decides."""
    if unit == "rank" or _CAPACITY_UNIT.match(unit):
        return "foundation"
    texts = (indicator, own, statement)
    if unit == "chỉ số":
        # An index value belongs where the index it names does: "chỉ số phát triển con người
        # (HDI) đạt 0,8" is society, whatever the sentence around it is about.
        for words in texts:
            named = _INDEX.search(words)
            if named:
                return _words_pillar((named.group(0),)) or "foundation"
    return _head_pillar(indicator, unit, own) or _words_pillar(texts) or hint or "government"


# Speeds and capacities ("150 Mb/s", "80 Tbps") measure the infrastructure.
_CAPACITY_UNIT = re.compile(r"^[KMGT]b(?:ps|/s)$|^[KMGTP]B$", _I)
_INDEX = re.compile(r"(?<!địa\s)(?<!\w)chỉ\s+số\s+[^|;,.()]{3,80}", _I)


def _words_pillar(texts: Sequence[str]) -> str | None:
    for rules in (_PILLAR_RULES, _GENERAL_PILLAR_RULES):
        for words in texts:
            for pillar, pattern in rules:
                if words and pattern.search(words):
                    return pillar
    return None


def names_a_quantity(phrase: str) -> bool:
    """True when a phrase opens with the name of a measured quantity ("Tỷ lệ …", "Số …")."""
    return bool(phrase and _SUBJECT_HEADS.match(phrase))


# Words that join a phrase to the next one and end no name ("… tại các cơ quan và").
_TRAILING_CONNECTIVES = re.compile(
    r"(?:[\s,]+(?:và|hoặc|tại|ở|của|các|với|cho|đối\s+với|trong\s+đó|đạt|là))+\s*$", _I
)


def _tidy(phrase: str) -> str:
    phrase = collapse_whitespace(phrase).strip(" ,;:-–()…")
    phrase = phrase.replace("hàng năm", "hằng năm")
    phrase = _TRAILING_CONNECTIVES.sub("", phrase).strip(" ,;:-–()…")
    words = phrase.split()
    return " ".join(words[:MAX_WORDS])


def _capitalise(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] if phrase else phrase


def _lower_first(phrase: str) -> str:
    # Keep acronyms and proper names ("CNTT", "GRDP") as written.
    if len(phrase) > 1 and phrase[1].isupper():
        return phrase
    return phrase[:1].lower() + phrase[1:]


_ABBREVIATIONS = (
    (re.compile(r"(?<!\w)DN(?!\w)"), "doanh nghiệp"),
    (re.compile(r"(?<!\w)CSDL(?!\w)"), "cơ sở dữ liệu"),
    (re.compile(r"(?<!\w)CĐS(?!\w)"), "chuyển đổi số"),
    (re.compile(r"(?<!\w)KT-XH(?!\w)"), "kinh tế - xã hội"),
)
_SHORT_BRACKET = re.compile(r"\s*\([^()]{0,60}\)")


def expand_abbreviations(phrase: str) -> str:
    """Spell out the abbreviations documents use for common nouns ("DN" → "doanh nghiệp")."""
    for pattern, words in _ABBREVIATIONS:
        phrase = pattern.sub(words, phrase)
    return phrase


def right_phrase(text: str, start: int, stop: int) -> str:
    """The noun phrase after a number: up to a stop word, bracket or the next quantity."""
    window = _SHORT_BRACKET.sub("", expand_abbreviations(text[start:stop]))
    cut = _STOP.search(window)
    if cut:
        window = window[: cut.start()]
    window = _LEVEL_WORDS.sub("", window)
    # "… đạt 100% và 60% …", "… từ 55% trở lên": a conjunction or a comparator word after the
    # number names nothing.
    window = _NO_NOUN.sub("", window.strip())
    return _tidy(_LEADING_FILLER.sub("", window))


_NO_NOUN = re.compile(r"^(?:trở\s+lên|và|hoặc)\s*(?:$|(?=[,;.]))", _I)


_YEAR_LIST = re.compile(
    r"(?<!\w)(?:(?:vào|đến|trong)\s+)?(?:các\s+)?năm\s+20\d\d(?:\s*(?:,|và|,\s*và)\s*20\d\d)+"
    r"(?![\d/])\s*,?",
    _I,
)


_LEVEL_LIST = re.compile(
    r"\s*(?:(?:tại|ở|của)\s+)?cấp\s+(?:tỉnh|huyện|xã)(?:\s*(?:,|và)\s*(?:cấp\s+)?(?:tỉnh|huyện|xã)(?!\w))+",
    _I,
)


def left_phrase(text: str, start: int, number_start: int) -> str:
    """The subject before a number ("Tỷ lệ dân số có tài khoản … trên 50%"), without verbs."""
    window = _SHORT_BRACKET.sub("", expand_abbreviations(text[start:number_start]))
    window = re.sub(
        r"(?:(?:định\s+hướng|tầm\s+nhìn)\s+)?(?:cho\s+)?(?:đến|tới|vào)\s+(?:cuối\s+)?(?:năm\s+)?"
        r"20\d\d\s*,?",
        " ",
        window,
        flags=_I,
    )
    # "… các năm 2027, 2028, 2030 lần lượt đạt": the years of a list of values are not its name,
    # nor are the levels of one ("… cấp tỉnh, cấp huyện, cấp xã lần lượt đạt").
    window = _LEVEL_LIST.sub(" ", _YEAR_LIST.sub(" ", window))
    window = _LEADING_FILLER.sub("", window.strip())
    previous = None
    while previous != window:
        previous, window = window, _TRAILING_VERBS.sub("", window)
    return _tidy(window)


def indicator_name(unit: str, left: str, right: str, verb: str) -> str:
    """Build a short normalised name from the phrases around a number.

    `left` is the subject before the number, `right` the noun phrase after it, and `verb` the
    verb right before the number ("tăng", "giảm", "chiếm", or "").
    """
    if unit == "rank":
        index = right or left
        index = re.sub(r"^(?:tỉnh|địa\s+phương|tỉnh,\s*tp)\s+", "", index, flags=_I)
        index = re.sub(r"^(?:về|dẫn\s+đầu\s+cả\s+nước\s+về)\s+", "", index, flags=_I)
        return _capitalise(
            f"Thứ hạng {_lower_first(left) if left else _lower_first(index)}".strip()
        )
    if unit.startswith("%") and unit != "%":
        subject = re.sub(
            r"^tỷ\s+trọng\s+(?:giá\s+trị\s+tăng\s+thêm\s+)?(?:của\s+)?", "", left, flags=_I
        )
        return f"Tỷ trọng {_lower_first(subject) or 'kinh tế số'} trong {unit[1:]}"
    if verb == "chiếm" and unit == "%" and left and right and not re.match(r"t[ỷỉ]\s", left, _I):
        # "Doanh thu thương mại điện tử chiếm 15% tổng mức bán lẻ": a share of the whole after it.
        return _capitalise(f"Tỷ trọng {_lower_first(left)} trong {right}")
    if left and _SUBJECT_HEADS.match(left):
        if verb == "tăng" and not re.match(r"tỷ|tốc", left, _I):
            return _capitalise(f"Tốc độ tăng {_lower_first(left)}")
        return _capitalise(left)
    if verb in {"tăng", "giảm"}:
        # "giảm 30% thủ tục", "chi phí … giảm 30% so với năm 2024": what changes is named
        # after the value, or else before it.
        return f"Mức {verb} {right or _lower_first(left)}".strip()
    if unit == "%":
        return f"Tỷ lệ {right}".strip() if right else f"Tỷ lệ {_lower_first(left)}".strip()
    return f"Số {right}".strip() if right else f"Số {unit}"


# ── Matching names to the catalogue ────────────────────────────────────────────────────────────

_STOPWORDS = {
    "cua", "cac", "va", "duoc", "tren", "trong", "cho", "the", "voi", "tai", "o", "la", "co",
    "nhung", "mot", "so", "ty", "le", "tong", "ca", "bao", "gom", "thong", "qua",
}  # fmt: skip
_TYPES = (
    ("rank", re.compile(r"^thu hang|^xep hang")),
    ("growth", re.compile(r"^toc do|^muc tang|^muc giam")),
    ("count", re.compile(r"^so (?!hoa)")),
    # A share ("Tỷ trọng") and a ratio ("Tỷ lệ") are both parts of a whole.
    ("ratio", re.compile(r"^ty le|^ty trong")),
)


def _tokens(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", search_key(name))
    return [word for word in words if word not in _STOPWORDS]


def _kind(name: str) -> str | None:
    key = search_key(name)
    for kind, pattern in _TYPES:
        if pattern.search(key):
            return kind
    return None


def name_similarity(first: str, second: str) -> float:
    """Similarity of two indicator names between 0 and 1, from shared words and word pairs.

    Diacritics and case are ignored; small function words do not count. Names of different
    kinds ("Tỷ lệ …" and "Thứ hạng …") score 0.
    """
    kind_a, kind_b = _kind(first), _kind(second)
    if kind_a and kind_b and kind_a != kind_b:
        return 0.0
    words_a, words_b = _tokens(first), _tokens(second)
    if not words_a or not words_b:
        return 0.0
    pairs_a = set(zip(words_a, words_a[1:], strict=False))
    pairs_b = set(zip(words_b, words_b[1:], strict=False))
    common = len(set(words_a) & set(words_b))
    unigram = 2 * common / (len(set(words_a)) + len(set(words_b)))
    if not pairs_a or not pairs_b:
        return unigram
    bigram = 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))
    return (unigram + bigram) / 2


MATCH_THRESHOLD = 0.5


def match_indicator(
    name: str, catalogue: Sequence[tuple[str, Sequence[str]]], threshold: float = MATCH_THRESHOLD
) -> int | None:
    """Return the index of the catalogue entry that measures the same quantity as `name`, or None.

    `catalogue` is a list of (name, aliases). An entry scores the best similarity of its name
    and aliases; the best entry wins if it reaches `threshold`. An exact match (ignoring case,
    diacritics and spacing) always wins.
    """
    key = search_key(name)
    best_index, best_score = None, threshold
    for index, (entry_name, aliases) in enumerate(catalogue):
        for candidate in (entry_name, *aliases):
            if search_key(candidate) == key:
                return index
            score = name_similarity(name, candidate)
            if score > best_score or (score == best_score and best_index is None):
                best_index, best_score = index, score
    return best_index
