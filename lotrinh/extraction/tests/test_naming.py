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
    ("indicator", "pillar"),
    [
        # What the name counts decides before the other words of the name.
        ("Tỷ lệ doanh nghiệp dùng dịch vụ điện toán đám mây", "economy"),
        ("Tỷ lệ hệ thống thông tin dùng chung chạy trên điện toán đám mây", "foundation"),
        ("Số trạm thu phát sóng phủ sóng vùng biên giới", "foundation"),
        ("Tỷ lệ trạm y tế xã có kết nối băng rộng", "society"),
        # The state's staff: their capacity is a foundation, their work is government.
        ("Tỷ lệ cán bộ cấp xã được bồi dưỡng kỹ năng số", "foundation"),
        ("Tỷ lệ lãnh đạo sở được nâng cao nhận thức về dữ liệu", "foundation"),
        ("Tỷ lệ công chức dùng thư điện tử công vụ", "government"),
        # An agency's target is government, unless it is about data.
        ("Tỷ lệ cơ quan nhà nước nối mạng băng rộng", "government"),
        ("Tỷ lệ cơ quan nhà nước công bố dữ liệu mở", "foundation"),
        # People: what they buy is the economy, what they reach society, their dealings with
        # the administration government.
        ("Tỷ lệ người dân mua sắm trực tuyến", "economy"),
        ("Tỷ lệ người dùng thiết bị di động được tiếp cận dịch vụ chính quyền số", "society"),
        ("Tỷ lệ người dân và doanh nghiệp hài lòng với cách giải quyết thủ tục", "government"),
        ("Tỷ lệ dân số trưởng thành có chữ ký số cá nhân", "society"),
        ("Tỷ lệ phổ cập dịch vụ mạng di động tốc độ cao", "society"),
        # Domain words of the foundations.
        ("Tốc độ trung bình mạng băng rộng di động", "foundation"),
        ("Tỷ lệ hạ tầng giao thông gắn cảm biến", "foundation"),
        ("Kinh phí chi cho nghiên cứu và phát triển", "foundation"),
        ("Số thôn thông minh trên mỗi huyện", "foundation"),
        ("Mức tăng dịch vụ mới dựa trên dữ liệu cho người dân", "government"),
        ("Tỷ lệ xã trên địa bàn hoàn thành chuyển đổi số", "government"),
        ("Đóng góp của năng suất nhân tố tổng hợp vào tăng trưởng", "economy"),
        ("Tỷ lệ bệnh viện khám bệnh từ xa", "society"),
    ],
)
def test_the_pillar_follows_what_is_counted_then_the_domain_words(indicator, pillar):
    assert pillar_for(indicator, "%", indicator, "economy" if pillar != "economy" else None) == (
        pillar
    )


def test_words_of_other_targets_in_the_sentence_do_not_decide():
    statement = "Kinh tế số đạt 25% GRDP, 100% doanh nghiệp dùng hợp đồng điện tử, 80% hộ gia đình"
    own = "100% doanh nghiệp dùng hợp đồng điện tử"
    assert pillar_for("Tỷ lệ doanh nghiệp dùng hợp đồng điện tử", "%", statement, None, own) == (
        "economy"
    )
    # "địa chỉ số" (a digital address) is not an index.
    statement = "100% bệnh viện khám bệnh từ xa, 90% hộ có địa chỉ số"
    assert pillar_for("Tỷ lệ bệnh viện khám", "%", statement, None) == "society"


def test_an_index_value_takes_the_pillar_of_the_index_it_names():
    statement = "Khoa học và công nghệ góp phần nâng chỉ số phát triển con người lên 0,75"
    assert pillar_for("Khoa học và công nghệ", "chỉ số", statement, None) == "society"
    assert pillar_for("Chỉ số năng lực số", "chỉ số", "", None) == "foundation"


def test_speeds_capacities_regulations_and_the_workforce_are_foundations():
    assert pillar_for("Tốc độ truy cập Internet cố định", "Mb/s", "", "society") == "foundation"
    assert pillar_for("Băng thông kết nối quốc tế", "Tbps", "", "government") == "foundation"
    assert pillar_for("Số quy chế chia sẻ dữ liệu", "quy chế", "", "government") == "foundation"
    name = "Số người làm việc trong lĩnh vực công nghệ số"
    assert pillar_for(name, "người/vạn dân", name, "economy") == "foundation"


def test_a_count_takes_the_pillar_of_the_noun_it_counts():
    name = "Thu hút thêm tổ chức, doanh nghiệp nước ngoài đầu tư nghiên cứu"
    assert pillar_for(name, "tổ chức, doanh nghiệp", name, None) == "economy"


@pytest.mark.parametrize(
    ("unit", "comparator", "direction"),
    [("%", ">=", "increase"), ("%", "=", "increase"), ("%", "<=", "decrease"),
     ("rank", "<=", "decrease"), ("doanh nghiệp", "~", "increase")],
)  # fmt: skip
def test_a_new_indicator_is_better_lower_under_a_ceiling_or_as_a_rank(unit, comparator, direction):
    assert direction_for(unit, comparator) == direction
