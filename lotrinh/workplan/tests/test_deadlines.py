"""Deadlines as resolutions write them, and the last day each one leaves."""

import datetime

import pytest

from lotrinh.core.errors import UserFacingError
from lotrinh.workplan.deadlines import find_deadline, parse_deadline


@pytest.mark.parametrize(
    ("text", "kind", "due_on", "label"),
    [
        ("quý IV/2020", "quarter", datetime.date(2020, 12, 31), "quý IV/2020"),
        ("Quý 2/2025", "quarter", datetime.date(2025, 6, 30), "quý II/2025"),
        ("30/9/2020", "date", datetime.date(2020, 9, 30), "30/09/2020"),
        ("2025", "year", datetime.date(2025, 12, 31), "năm 2025"),
        ("hằng năm", "yearly", None, "hằng năm"),
        ("hàng năm", "yearly", None, "hằng năm"),
    ],
)
def test_a_deadline_is_read_with_its_last_day(text, kind, due_on, label):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due_on, deadline.label) == (kind, due_on, label)


@pytest.mark.parametrize("text", ["sớm", "31/2/2025", "quý V/2020"])
def test_an_unreadable_deadline_is_refused_in_both_languages(text):
    with pytest.raises(UserFacingError) as error:
        parse_deadline(text)
    vietnamese, english = error.value.bilingual().split("\n")
    assert "hạn" in vietnamese.lower() and "deadline" in english.lower()


def test_a_sentence_states_its_deadline_but_a_horizon_is_not_one():
    sentence = (
        "Sở Thông tin và Truyền thông chủ trì, xây dựng và ban hành danh sách sáng kiến chuyển "
        "đổi số ưu tiên, trình cấp có thẩm quyền phê duyệt trong quý IV/2020."
    )
    found = find_deadline(sentence)
    assert found is not None and found[0].due_on == datetime.date(2020, 12, 31)
    assert find_deadline("Phát triển chính quyền số đến năm 2030.") is None
    yearly = find_deadline("Định kỳ hằng năm báo cáo kết quả thực hiện.")
    assert yearly is not None and yearly[0].kind == "yearly"
