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

_I = re.IGNORECASE
_LEADING_FILLER = re.compile(
    r"^(?:[-–+•\s]|về\s+phát\s+triển\s+[^,]*,|mục\s+tiêu\s+[^,]*?\s+là|(?:tỉnh|thành\s+phố)\s+"
    r"|phấn\s+đấu\s+|đảm\s+bảo\s+|bảo\s+đảm\s+|trong\s+đó\s+|có\s+|các\s+|những\s+|tổng\s+số\s+"
    r"|số\s+(?=\w)(?!lượng))+",
    _I,
)
_TRAILING_VERBS = re.compile(
    r"(?:\s+(?:nhóm|thứ\s+hạng|xếp\s+hạng|top|đạt|chiếm|tăng|giảm|là|trên|hơn|tối\s+thiểu|ít\s+nhất|khoảng|từ|phủ(?:\s+khắp)?"
    r"|bình\s+quân|đạt\s+mức|ở\s+mức|thuộc|vào|có|của\s+tỉnh|của\s+thành\s+phố))+\s*$",
    _I,
)
_STOP = re.compile(
    r"\s*(?:[;():]|\.\s|\.$|…|(?<!\w)(?:để|nhằm|gồm|như|trong\s+đó)\s)",
    _I,
)
_LEVEL_WORDS = re.compile(r"\s*(?:tại|ở|của)?\s*cấp\s+(?:tỉnh|huyện|xã)(?!\w)", _I)
_SUBJECT_HEADS = re.compile(
    r"^(?:tỷ\s+lệ|tỷ\s+trọng|chỉ\s+số|năng\s+suất|tốc\s+độ|số\s+lượng|số\s+|thứ\s+hạng|mức|"
    r"kinh\s+tế\s+số|doanh\s+thu|giá\s+trị)",
    _I,
)
MAX_WORDS = 16

# Pillar rules, first match wins. The brief's keyword list decides before the section does:
# ranks, indices, smart cities, databases, open data, data centres, IPv6, human resources and
# budgets are "foundation" wherever they stand.
_PILLAR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # What people have or use comes first: "phủ sóng 5G" is society, "trạm 5G" foundations.
        "society",
        re.compile(
            r"^(?:tỷ\s+lệ\s+)?người\s+(?:dân|sử\s+dụng|dùng)"
            r"(?![^.;]*(?:dịch\s+vụ\s+công|DVCTT|thủ\s+tục|chính\s+quyền))|phủ\s+sóng|hồ\s+sơ\s+sức\s+kho|"
            r"phát\s+triển\s+con\s+người|khu\s+dân\s+cư",
            _I,
        ),
    ),
    (
        "foundation",
        re.compile(
            r"thứ\s+hạng|chỉ\s+số|xếp\s+hạng|đô\s+thị\s+thông\s+minh|cơ\s+sở\s+dữ\s+liệu|csdl|"
            r"dữ\s+liệu\s+mở|trung\s+tâm\s+dữ\s+liệu|ipv6|nhân\s+lực|chuyên\s+gia|ngân\s+sách|"
            r"an\s+toàn,?\s+an\s+ninh\s+mạng|nền\s+tảng\s+tích\s+hợp|chi\s+phí\s+đầu\s+tư|"
            r"cáp\s+quang\s+biển|(?<!\w)(?:BTS|[45]G)(?!\w)|trạm\s+(?:phát|thu\s+phát)|sáng\s+chế|"
            r"công\s+bố\s+khoa\s+học|truyền\s+thanh|tiêu\s+chí\s+số\s+8|"
            r"(?:^|tỷ\s+lệ\s+)(?:cán\s+bộ|công\s+chức|lãnh\s+đạo)[^.;]{0,60}"
            r"(?:đào\s+tạo|tập\s+huấn|bồi\s+dưỡng)",
            _I,
        ),
    ),
    (
        "economy",
        re.compile(
            r"grdp|gdp|kinh\s+tế\s+số|năng\s+suất\s+lao\s+động|doanh\s+nghiệp\s+(?:nhỏ|công\s+nghệ|số|khởi)"
            r"|sàn\s+thương\s+mại|thương\s+mại\s+điện\s+tử|hợp\s+tác\s+xã|^số\s+doanh\s+nghiệp",
            _I,
        ),
    ),
    (
        "society",
        re.compile(
            r"hộ\s+gia\s+đình|dân\s+số|tài\s+khoản\s+thanh\s+toán|trường\s+học|học\s+sinh|"
            r"khám\s+chữa\s+bệnh|sức\s+kho[ẻẽ]|đoàn\s+viên|thanh\s+niên|kỹ\s+năng\s+số|"
            r"băng\s+(?:thông\s+)?rộng|cơ\s+sở\s+giáo\s+dục|xã\s+hội\s+số|người\s+dân\s+(?:được\s+)?tiếp\s+cận",
            _I,
        ),
    ),
    (
        "government",
        re.compile(
            r"dịch\s+vụ\s+công|hồ\s+sơ|thủ\s+tục\s+hành\s+chính|báo\s+cáo|kiểm\s+tra|họp|"
            r"định\s+danh|điện\s+tử\s+hóa|ứng\s+dụng\s+công\s+nghệ\s+thông\s+tin|cơ\s+quan|"
            r"đơn\s+vị\s+hành\s+chính|chính\s+quyền|dịch\s+vụ\s+sáng\s+tạo",
            _I,
        ),
    ),
)


# Words that suggest a pillar only when no rule above decides ("hồ sơ của người dân và doanh
# nghiệp" is digital government; "tỷ lệ doanh nghiệp …" alone is the digital economy).
_GENERAL_PILLAR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "economy",
        re.compile(
            r"doanh\s+nghiệp|không\s+dùng\s+tiền\s+mặt|thương\s+mại|thương\s+nhân|xuất\s+khẩu|"
            r"siêu\s+thị|cửa\s+hàng|đổi\s+mới\s+sáng\s+tạo|du\s+lịch|nông\s+sản",
            _I,
        ),
    ),
)


def direction_for(unit: str, comparator: str) -> str:
    """Which way is better for a new indicator: a rank or a ceiling ("≤ 3%") is met by going
    down ("decrease"); everything else by going up ("increase")."""
    return "decrease" if unit == "rank" or comparator == "<=" else "increase"


def pillar_for(indicator: str, unit: str, statement: str, hint: str | None) -> str:
    """Choose the pillar from the indicator's words, then the statement's, then the section;
    general words decide only when nothing more specific does."""
    if unit == "rank":
        return "foundation"
    for rules in (_PILLAR_RULES, _GENERAL_PILLAR_RULES):
        for words in (indicator, statement):
            for pillar, pattern in rules:
                if pattern.search(words):
                    return pillar
    return hint or "government"


def _tidy(phrase: str) -> str:
    phrase = collapse_whitespace(phrase).strip(" ,;:-–()…")
    phrase = phrase.replace("hàng năm", "hằng năm")
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
    return _tidy(_LEADING_FILLER.sub("", window.strip()))


def left_phrase(text: str, start: int, number_start: int) -> str:
    """The subject before a number ("Tỷ lệ dân số có tài khoản … trên 50%"), without verbs."""
    window = _SHORT_BRACKET.sub("", expand_abbreviations(text[start:number_start]))
    window = re.sub(
        r"(?:cho\s+)?(?:đến|tới|vào)\s+(?:cuối\s+)?(?:năm\s+)?20\d\d\s*,?", " ", window, flags=_I
    )
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
    if left and _SUBJECT_HEADS.match(left):
        if verb == "tăng" and not re.match(r"tỷ|tốc", left, _I):
            return _capitalise(f"Tốc độ tăng {_lower_first(left)}")
        return _capitalise(left)
    if verb in {"tăng", "giảm"}:
        return f"Mức {verb} {right}".strip()
    if unit == "%":
        return f"Tỷ lệ {right}".strip() if right else _capitalise(left or "Tỷ lệ")
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
