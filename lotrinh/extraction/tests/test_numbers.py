from decimal import Decimal

import pytest

from lotrinh.extraction.numbers import parse_digits, parse_number, parse_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.000", 2000),
        ("1.500.000", 1500000),
        ("7,5", Decimal("7.5")),
        ("02", 2),
        ("7.5", Decimal("7.5")),
    ],
)
def test_digits_in_vietnamese_notation(text, value):
    assert parse_digits(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("ba", 3), ("mười", 10), ("mười lăm", 15), ("hai mươi", 20), ("hai mươi mốt", 21),
     ("ba mươi tư", 34), ("một trăm linh năm", 105), ("hai nghìn", 2000)],
)  # fmt: skip
def test_numbers_in_words(text, value):
    assert parse_words(text) == value


def test_malformed_numbers_are_none():
    assert parse_digits("1,5,3") is None
    assert parse_words("lăm") is None
    assert parse_number("tư") is None
