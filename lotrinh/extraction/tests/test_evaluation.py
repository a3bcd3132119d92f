from decimal import Decimal

from lotrinh.extraction.evaluation import reviewed_records, score_document
from lotrinh.extraction.parsing import extract_document

DOCUMENT = (
    "Đến năm 2026, 80% hồ sơ được xử lý trực tuyến.\n"
    "Nhắc lại: đến năm 2026, 80% hồ sơ được xử lý trực tuyến.\n"
    "Khảo sát tại 1 xã trong năm 2026, phấn đấu 5% hộ dân.\n"
)


def record(text, value, **extra):
    base = {"year": 2026, "level": None, "value": value, "unit": "%", "comparator": "=",
            "pillar": "government", "indicator": "Tỷ lệ hồ sơ được xử lý trực tuyến", "text": text}  # fmt: skip
    return {**base, **extra}


def test_restatement_counts_once_and_borderline_is_optional():
    result = extract_document(DOCUMENT)
    reviewed = reviewed_records(
        result.document,
        [
            record("80% hồ sơ được xử lý trực tuyến.", 80),
            record("Nhắc lại: đến năm 2026, 80% hồ sơ", 80, restatement=True),
            record("phấn đấu 5% hộ dân", 5, borderline=True, indicator="Tỷ lệ hộ dân"),
        ],
    )
    score = score_document("sample", result.targets, reviewed)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 0, 0)


def test_spans_must_overlap_and_values_agree():
    result = extract_document(DOCUMENT)
    reviewed = reviewed_records(result.document, [record("Khảo sát tại 1 xã", Decimal(80))])
    score = score_document("sample", result.targets, reviewed)
    assert score.true_positives == 0
    assert score.false_negatives == 1
    assert score.precision == 0


def test_catalogue_matching_is_right_when_both_names_find_the_same_entry():
    document = "Đến năm 2026, 80% hồ sơ được xử lý trực tuyến.\n"
    result = extract_document(document)
    catalogue = [
        ("Tỷ lệ hồ sơ được xử lý trực tuyến", []),
        ("Tỷ lệ doanh nghiệp dùng hóa đơn điện tử", []),
    ]

    def scored(reviewed_name: str) -> int:
        reviewed = reviewed_records(
            result.document,
            [record("80% hồ sơ được xử lý trực tuyến.", 80, indicator=reviewed_name)],
        )
        score = score_document("sample", result.targets, reviewed, catalogue=catalogue)
        assert score.matched_pairs == 1
        return score.catalogue_right

    assert scored("Tỷ lệ hồ sơ công việc được xử lý trực tuyến") == 1
    assert scored("Tỷ lệ doanh nghiệp dùng hóa đơn điện tử") == 0


def test_two_proposals_that_could_stand_for_each_others_record_are_paired_by_name():
    document = (
        "Đến năm 2026, 50% số xã có hợp tác xã bán hàng trực tuyến, 50% số xã có điểm phủ sóng "
        "di động.\n"
    )
    result = extract_document(document)
    assert [t.pillar for t in result.targets] == ["economy", "society"]
    sentence = document.strip()
    reviewed = reviewed_records(
        result.document,
        [
            record(sentence, 50, pillar="economy", borderline=True,
                   indicator="Tỷ lệ xã có hợp tác xã bán hàng trực tuyến"),
            record(sentence, 50, pillar="society", indicator="Tỷ lệ xã có điểm phủ sóng di động"),
        ],
    )  # fmt: skip
    score = score_document("sample", result.targets, reviewed)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 0, 0)
    assert (score.matched_pairs, score.pillar_right) == (1, 1)
