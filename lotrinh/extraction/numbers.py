"""Read numbers as Vietnamese documents write them: "2.000", "7,5", "02", "ba", "hai mươi lăm".

Vietnamese uses a dot between thousands and a comma before decimals. Text copied from English
tools sometimes uses a dot for decimals; a dot followed by exactly three digits is read as a
thousands separator, any other dot as a decimal mark.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Digits as written in the documents: 2.000 / 1.500.000 / 7,5 / 02 / 13,5 / 7.5
DIGITS = r"\d+(?:[.,]\d+)*"
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")

_UNITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_MULTIPLIERS = {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000}
# Words that can only continue a number ("mốt", "lăm" and "tư" follow "mươi"; "linh"/"lẻ" fill
# the empty tens place in "một trăm linh năm" = 105).
_START_WORDS = sorted({*_UNITS, "mười"} - {"không", "mốt", "lăm", "tư"}, key=len, reverse=True)
_ALL_WORDS = sorted({*_UNITS, *_MULTIPLIERS, "mười", "mươi", "linh", "lẻ"}, key=len, reverse=True)
# A run of number words that begins with a word able to begin a number ("ba", "hai mươi lăm").
WORDS = rf"(?:(?:{'|'.join(_START_WORDS)})(?:\s+(?:{'|'.join(_ALL_WORDS)}))*)"


def plain(value: Decimal) -> Decimal:
    """Return `value` without trailing zeros or an exponent: 2000, 7.5, 2."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


def parse_digits(text: str) -> Decimal | None:
    """Return the value of a digit string in Vietnamese notation, or None if it is malformed.

    "2.000" → 2000, "7,5" → 7.5, "02" → 2, "7.5" → 7.5, "1.500.000" → 1500000.
    """
    text = text.strip()
    if not text or not text[0].isdigit():
        return None
    if _THOUSANDS.match(text):
        cleaned = text.replace(".", "")
    elif text.count(",") + text.count(".") > 1:
        return None
    else:
        cleaned = text.replace(",", ".")
    try:
        return plain(Decimal(cleaned))
    except InvalidOperation:
        return None


def parse_words(text: str) -> Decimal | None:
    """Return the value of a number written in Vietnamese words, or None.

    "ba" → 3, "mười lăm" → 15, "hai mươi" → 20, "hai mươi mốt" → 21, "một trăm linh năm" → 105,
    "hai nghìn" → 2000.
    """
    words = text.lower().split()
    if not words:
        return None
    total, section, current, previous = 0, 0, 0, ""
    for word in words:
        if word in _UNITS:
            # "mốt", "lăm" and "tư" are the forms of 1, 5 and 4 used only after a tens word.
            if word in {"mốt", "lăm", "tư"} and previous not in {"mươi", "mười"}:
                return None
            current = _UNITS[word]
        elif word == "mười":
            section += 10
        elif word == "mươi":
            section += current * 10
            current = 0
        elif word == "trăm":
            section += (current or 1) * 100
            current = 0
        elif word in {"nghìn", "ngàn", "triệu"}:
            total += ((section + current) or 1) * _MULTIPLIERS[word]
            section, current = 0, 0
        elif word not in {"linh", "lẻ"}:
            return None
        previous = word
    return Decimal(total + section + current)


def parse_number(text: str) -> Decimal | None:
    """Return the value of `text`, written either in digits or in words."""
    text = text.strip()
    if text[:1].isdigit():
        return parse_digits(text)
    return parse_words(text)
