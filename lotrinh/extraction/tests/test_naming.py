import tomllib
from pathlib import Path

import pytest

from lotrinh.extraction.naming import direction_for, match_indicator, name_similarity, pillar_for

CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "sample_data" / "indicators.toml"


def catalogue():
    data = tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return [(entry["name"], entry.get("aliases", [])) for entry in data["indicator"]]


def test_proposed_name_matches_the_same_quantity_in_the_catalogue():
    entries = catalogue()
    index = match_indicator("Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", entries)
    assert index is not None
    assert "hồ sơ công việc" in entries[index][0]


def test_growth_rate_is_not_matched_to_a_share():
    entries = catalogue()
    index = match_indicator("Tốc độ tăng năng suất lao động hằng năm", entries)
    assert index is not None
    assert "năng suất" in entries[index][0]


def test_unrelated_name_matches_nothing():
    assert match_indicator("Số cây xanh được trồng mới", catalogue()) is None


def test_names_of_different_kinds_do_not_match():
    assert name_similarity("Thứ hạng chỉ số ICT", "Tỷ lệ chỉ số ICT") == 0


def test_keywords_decide_the_pillar_before_the_section():
    assert pillar_for("Số đô thị thông minh", "đô thị", "", "government") == "foundation"
    assert pillar_for("Tỷ lệ trường học có băng thông rộng", "%", "", "government") == "society"


@pytest.mark.parametrize(
    ("indicator", "pillar"),
    [
        ("Tỷ lệ người dân có điện thoại thông minh", "society"),
        ("Tỷ lệ người dân hài lòng với dịch vụ công trực tuyến", "government"),
        ("Tỷ lệ thôn được phủ sóng di động 5G", "society"),
        ("Số trạm 5G được lắp đặt", "foundation"),
        ("Tỷ lệ công chức được tập huấn kỹ năng số", "foundation"),
        ("Tỷ lệ doanh nghiệp dùng hóa đơn điện tử", "economy"),
        ("Tỷ lệ hồ sơ của người dân và doanh nghiệp được xử lý trực tuyến", "government"),
        ("Tỷ lệ giao dịch không dùng tiền mặt", "economy"),
    ],
)
def test_the_pillar_follows_the_most_specific_words(indicator, pillar):
    assert pillar_for(indicator, "%", indicator, None) == pillar


@pytest.mark.parametrize(
    ("unit", "comparator", "direction"),
    [("%", ">=", "increase"), ("%", "=", "increase"), ("%", "<=", "decrease"),
     ("rank", "<=", "decrease"), ("doanh nghiệp", "~", "increase")],
)  # fmt: skip
def test_a_new_indicator_is_better_lower_under_a_ceiling_or_as_a_rank(unit, comparator, direction):
    assert direction_for(unit, comparator) == direction
