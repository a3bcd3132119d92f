import tomllib
from pathlib import Path

from lotrinh.extraction.naming import match_indicator, name_similarity, pillar_for

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
