"""Patterns of targets that documents outside the development corpora state in their own way.

Each sentence is written for these tests in the style of a provincial plan; none is copied from a
document. They cover tier lists, values paired with several years, ranks, reductions against a
base year, counts with a deadline date, nouns of several words, Markdown emphasis and the
indicator names a reviewer would otherwise rewrite.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotrinh.extraction.parsing import ProposedTarget, extract_document, extract_targets


def read(text: str) -> list[tuple[object, ...]]:
    return [(t.year, t.level, t.value, t.unit) for t in extract_targets(text)]


def names(text: str) -> list[str]:
    return [t.indicator for t in extract_targets(text)]


def only(text: str) -> ProposedTarget:
    targets = extract_targets(text)
    assert len(targets) == 1, targets
    return targets[0]


# ── 1. Tier lists ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đến năm 2027, phấn đấu 100% văn bản đi được ký số tại các cơ quan hành chính cấp tỉnh "
            "và 85% văn bản đi được ký số tại các cơ quan hành chính cấp huyện.",
            [(2027, "tỉnh", 100, "%"), (2027, "huyện", 85, "%")],
        ),
        (
            "Đến năm 2026, hệ thống họp trực tuyến được triển khai tại 100% cơ quan cấp tỉnh "
            "và 100% xã.",
            [(2026, "tỉnh", 100, "%"), (2026, "xã", 100, "%")],
        ),
        (
            "Năm 2028 phấn đấu có 90% thủ tục được số hóa kết quả ở cấp huyện và 75% ở cấp xã.",
            [(2028, "huyện", 90, "%"), (2028, "xã", 75, "%")],
        ),
    ],
)
def test_each_value_of_a_tier_list_keeps_its_own_tier(text, expected):
    assert read(text) == [(y, level, Decimal(v), unit) for y, level, v, unit in expected]


def test_tiers_listed_before_respective_values_take_them_in_order_with_the_year_after():
    text = (
        "Tỷ lệ cơ quan gửi nhận văn bản điện tử cấp tỉnh, cấp huyện, cấp xã lần lượt đạt 100%, "
        "95%, 85% vào năm 2026."
    )
    targets = extract_targets(text)
    assert [(t.year, t.level, t.value) for t in targets] == [
        (2026, "tỉnh", Decimal(100)),
        (2026, "huyện", Decimal(95)),
        (2026, "xã", Decimal(85)),
    ]
    assert {t.indicator for t in targets} == {"Tỷ lệ cơ quan gửi nhận văn bản điện tử"}


def test_a_tier_list_names_what_is_counted_without_connectives():
    text = "Đến năm 2026, hệ thống họp trực tuyến được triển khai tại 100% cơ quan cấp tỉnh và 100% xã."
    for name in names(text):
        assert not name.endswith((" và", " tại")), name
        assert name.startswith("Tỷ lệ "), name


# ── 2. Values paired with several years ──────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "Tỷ lệ dịch vụ công trực tuyến toàn trình đạt lần lượt 60%, 70% và 80% vào các năm "
        "2026, 2027 và 2029.",
        "Tỷ lệ người dân có chữ ký số cá nhân các năm 2026, 2027, 2029 lần lượt đạt 60%, 70% "
        "và 80%.",
        "Phấn đấu tỷ lệ thanh toán không dùng tiền mặt tại bệnh viện lần lượt là 60%, 70%, 80% "
        "vào năm 2026, 2027 và 2029.",
    ],
)
def test_each_value_takes_its_own_year_from_a_list_of_years(text):
    targets = extract_targets(text)
    assert [(t.year, t.value) for t in targets] == [
        (2026, Decimal(60)),
        (2027, Decimal(70)),
        (2029, Decimal(80)),
    ]
    # One quantity at three dates: one name, with neither the years nor "lần lượt" in it.
    assert len({t.indicator for t in targets}) == 1, [t.indicator for t in targets]
    name = targets[0].indicator
    assert "lần lượt" not in name and "20" not in name and not name.endswith(" và"), name


# ── 3. Ranks ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "value", "total"),
    [
        (
            "Đến năm 2029, Chỉ số cải cách hành chính (PAR Index) của tỉnh xếp từ 9/34 trở lên.",
            9,
            34,
        ),
        ("Phấn đấu đến năm 2028 Chỉ số SIPAS của tỉnh đạt thứ 7/34 tỉnh, thành phố.", 7, 34),
        ("Đến năm 2027, chỉ số DTI của tỉnh nằm trong nhóm 12 tỉnh dẫn đầu cả nước.", 12, None),
        ("Đến năm 2030, chỉ số PAPI của tỉnh xếp hạng trong top 8 cả nước.", 8, None),
    ],
)
def test_a_rank_is_a_rank_at_most_n(text, value, total):
    target = only(text)
    assert (target.value, target.unit, target.comparator, target.rank_total) == (
        Decimal(value),
        "rank",
        "<=",
        total,
    )
    assert target.indicator.startswith("Thứ hạng chỉ số"), target.indicator
    assert not target.indicator.endswith(("nằm trong", "trong", "xếp hạng", "đạt", "xếp")), (
        target.indicator
    )


def test_a_fraction_of_provinces_without_an_index_is_not_a_rank():
    assert read("Đến năm 2027, hoàn thành 12/34 nhiệm vụ của đề án.") == []


def test_a_dated_ranking_is_a_baseline():
    result = extract_document("Năm 2023, Chỉ số PAR của tỉnh xếp 20/63 tỉnh, thành phố.")
    assert result.targets == []
    assert [(b.year, b.value, b.unit) for b in result.baselines] == [(2023, Decimal(20), "rank")]


# ── 4. Reductions against a base year ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "3. Mục tiêu đến năm 2030\n- Phấn đấu giảm 25% thời gian xử lý hồ sơ thủ tục hành chính "
        "so với năm 2024.",
        "3. Mục tiêu đến năm 2030\n- Chi phí in ấn, lưu trữ văn bản giấy giảm 25% so với năm 2024.",
        "Đến năm 2030, chi phí in ấn, lưu trữ văn bản giấy giảm ít nhất 25% so với năm 2024.",
    ],
)
def test_a_reduction_against_a_base_year_keeps_the_deadline(text):
    target = only(text)
    assert (target.year, target.value, target.unit) == (2030, Decimal(25), "%")
    assert target.indicator.startswith("Mức giảm "), target.indicator
    assert "so với" not in target.indicator and "2024" not in target.indicator


def test_a_reduction_names_what_is_reduced():
    target = only(
        "3. Mục tiêu đến năm 2030\n- Chi phí in ấn, lưu trữ văn bản giấy giảm 25% so với năm 2024."
    )
    assert target.indicator == "Mức giảm chi phí in ấn, lưu trữ văn bản giấy"


# ── 5. Counts with a deadline date ───────────────────────────────────────────────────────────


def test_a_count_with_a_deadline_date_takes_the_year_of_the_date():
    target = only("Phấn đấu xóa 9 thôn, bản chưa có sóng điện thoại di động trước ngày 31/12/2026.")
    assert (target.year, target.value, target.unit) == (2026, Decimal(9), "thôn")


def test_a_pilot_in_communes_is_a_count_of_communes():
    target = only("Trong năm 2027, thí điểm mô hình chợ số tại 04 xã.")
    assert (target.year, target.value, target.unit) == (2027, Decimal(4), "xã")
    assert target.indicator == "Số xã thí điểm mô hình chợ số"


def test_a_pilot_in_districts_is_a_count_of_districts():
    target = only("Đến năm 2026, thí điểm chính quyền số toàn diện tại 02 huyện.")
    assert (target.year, target.value, target.unit) == (2026, Decimal(2), "huyện")
    assert target.indicator == "Số huyện thí điểm chính quyền số toàn diện"


# ── 6. Nouns of several words ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Đến năm 2028, công bố ít nhất 40 bộ dữ liệu mở của các sở, ngành.", 40, "bộ dữ liệu"),
        ("Đến năm 2028, xây dựng 6 bộ dữ liệu dùng chung của tỉnh.", 6, "bộ dữ liệu"),
        (
            "Đến năm 2028, đưa vào vận hành 04 hệ thống thông tin chuyên ngành.",
            4,
            "hệ thống thông tin",
        ),
        ("Đến năm 2028, lắp đặt 150 điểm truy cập Internet công cộng.", 150, "điểm truy cập"),
        ("Đến năm 2028, phát triển tối thiểu 35 doanh nghiệp công nghệ số.", 35, "doanh nghiệp"),
    ],
)
def test_a_noun_of_several_words_is_kept_whole(text, value, unit):
    target = only(text)
    assert (target.value, target.unit) == (Decimal(value), unit)
    assert unit.split()[-1] in target.indicator, target.indicator


# ── 7. Markdown ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "heading",
    [
        "**Kết quả thực hiện năm 2024**",
        "## Kết quả đạt được năm 2024",
        "**1. Kết quả thực hiện năm 2024**",
        "### 1. Tình hình thực hiện năm 2024",
    ],
)
def test_a_past_result_under_a_markdown_heading_is_not_a_target(heading):
    text = (
        "KẾ HOẠCH Chuyển đổi số năm 2025\n\n"
        f"{heading}\n\n"
        "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 88%.\n\n"
        "**Mục tiêu năm 2025**\n\n"
        "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 95%.\n"
    )
    result = extract_document(text)
    assert [(t.year, t.value) for t in result.targets] == [(2025, Decimal(95))]


def test_emphasis_does_not_change_a_sentence():
    plain = "Đến năm 2027, tỷ lệ hộ gia đình có kết nối cáp quang đạt 90%."
    bold = "Đến năm 2027, **tỷ lệ hộ gia đình có kết nối cáp quang** đạt **90%**."
    assert [(t.year, t.value, t.indicator) for t in extract_targets(bold)] == [
        (t.year, t.value, t.indicator) for t in extract_targets(plain)
    ]


# ── 8. Indicator names ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đến năm 2027, 100% cơ quan nhà nước sử dụng nền tảng họp trực tuyến và 90% cán bộ "
            "được tập huấn kỹ năng số.",
            [
                "Tỷ lệ cơ quan nhà nước sử dụng nền tảng họp trực tuyến",
                "Tỷ lệ cán bộ được tập huấn kỹ năng số",
            ],
        ),
        (
            "Đến năm 2027, số hóa hồ sơ đạt 80%, trong đó 60% hồ sơ được tái sử dụng dữ liệu.",
            ["Tỷ lệ số hóa hồ sơ", "Tỷ lệ hồ sơ được tái sử dụng dữ liệu"],
        ),
    ],
)
def test_indicator_names_are_clean_noun_phrases(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Đến năm 2027, 100% cơ quan nhà nước sử dụng nền tảng họp trực tuyến và 90% cán bộ "
        "được tập huấn kỹ năng số.",
        "Đến năm 2027, số hóa hồ sơ đạt 80%, trong đó 60% hồ sơ được tái sử dụng dữ liệu.",
        "Tỷ lệ dịch vụ công trực tuyến toàn trình đạt lần lượt 60%, 70% và 80% vào các năm "
        "2026, 2027 và 2029.",
    ],
)
def test_no_name_opens_or_ends_with_a_connective_or_holds_a_value(text):
    for name in names(text):
        words = name.split()
        assert words[0].lower() not in {"và", "đạt", "trong", "lần"}, name
        assert words[-1].lower() not in {"và", "đạt", "trong", "tại", "lượt", "của"}, name
        assert "%" not in name, name


def test_the_base_of_a_change_is_never_its_deadline():
    target = only(
        "3. Mục tiêu đến năm 2030\n- Chi phí in ấn văn bản giấy giảm 25% so với hết năm 2024."
    )
    assert target.year == 2030


def test_a_change_against_a_base_year_outside_a_target_section_is_a_past_result():
    result = extract_document("Chi phí in ấn văn bản giấy năm 2025 giảm 12% so với năm 2024.")
    assert result.targets == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đến năm 2028, doanh thu thương mại điện tử chiếm 12% tổng mức bán lẻ hàng hóa.",
            "Tỷ trọng doanh thu thương mại điện tử trong tổng mức bán lẻ hàng hóa",
        ),
        ("Đến năm 2028, kinh tế số đóng góp 16% GRDP của tỉnh.", "Tỷ trọng kinh tế số trong GRDP"),
    ],
)
def test_a_share_names_its_whole(text, expected):
    assert names(text) == [expected]


def test_a_past_figure_opened_by_its_year_is_a_baseline_and_names_the_target_after_it():
    result = extract_document(
        "Năm 2024, tỷ lệ hồ sơ được ký số đạt 52%. Đến năm 2027, phấn đấu đạt 90%."
    )
    assert [(t.year, t.value, t.indicator) for t in result.targets] == [
        (2027, Decimal(90), "Tỷ lệ hồ sơ được ký số")
    ]
    assert [(b.year, b.value) for b in result.baselines] == [(2024, Decimal(52))]


def test_counts_listed_after_one_count_share_its_verb_and_each_keeps_its_own_noun():
    text = (
        "Đến năm 2029, tỉnh có 25 bộ dữ liệu mở, 4 nền tảng số dùng chung và 150 doanh nghiệp số."
    )
    assert [(t.value, t.unit, t.indicator) for t in extract_targets(text)] == [
        (Decimal(25), "bộ dữ liệu", "Số bộ dữ liệu mở"),
        (Decimal(4), "nền tảng", "Số nền tảng số dùng chung"),
        (Decimal(150), "doanh nghiệp", "Số doanh nghiệp số"),
    ]
