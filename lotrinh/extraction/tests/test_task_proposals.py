"""Tasks proposed from the five sample resolutions: agency, verb phrase, deadline, offsets."""

from pathlib import Path

import pytest

from lotrinh.extraction.segments import normalise_document
from lotrinh.extraction.task_proposals import ORGANISATION, TASKS, propose_tasks

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "programmes"


def proposals(name: str):
    document = normalise_document((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    return document, propose_tasks(document)


@pytest.mark.parametrize("name", ["phu-yen", "binh-dinh", "hoa-binh", "ben-tre", "bac-giang"])
def test_every_sample_gives_tasks_whose_offsets_point_at_their_source(name):
    document, found = proposals(name)
    assert found, f"no task proposed in {name}"
    for proposal in found:
        assert " ".join(document[proposal.start : proposal.end].split()) == " ".join(
            proposal.text.split()
        )
        assert proposal.title and proposal.title[0].isupper()


def test_phu_yen_organisation_names_agencies_and_the_quarter_deadline():
    _document, found = proposals("phu-yen")
    by_agency = {}
    for proposal in found:
        if proposal.section == ORGANISATION:
            by_agency.setdefault(proposal.agency, []).append(proposal)
    assert len(by_agency["Sở Thông tin và Truyền thông"]) == 3
    assert len(by_agency["Sở Khoa học và Công nghệ"]) == 3
    initiatives = by_agency["Sở Thông tin và Truyền thông"][0]
    assert initiatives.deadline_text == "quý IV/2020"
    assert (
        initiatives.deadline is not None and initiatives.deadline.due_on.isoformat() == "2020-12-31"
    )
    assert by_agency["Sở Khoa học và Công nghệ"][0].title == (
        "Nghiên cứu đề xuất các chính sách thử nghiệm"
    )
    finance = by_agency["Sở Tài chính"][0]
    assert finance.partners == ["Sở Kế hoạch và Đầu tư"]


def test_binh_dinh_reads_chu_tri_and_phoi_hop_in_one_sentence():
    _document, found = proposals("binh-dinh")
    propaganda = next(p for p in found if p.agency == "Ban Tuyên giáo Tỉnh ủy")
    assert propaganda.partners == ["Sở Thông tin và Truyền thông"]
    assert propaganda.title.startswith("Chủ trì, phối hợp với Sở Thông tin và Truyền thông")
    # Closing remarks and the web page's leftovers after "Tổ chức thực hiện" are not tasks.
    assert not any("Chi bộ" in p.text or "đăng nhập" in p.text for p in found)
    assert sum(p.section == TASKS for p in found) >= 40


def test_ben_tre_numbered_solutions_under_a_lead_in_are_tasks():
    _document, found = proposals("ben-tre")
    assert [p.title[:20] for p in found] == [
        "Tăng cường các công ",
        "Xây dựng chiến lược ",
        "Tập trung đầu tư xây",
        "Hỗ trợ nâng cao năng",
        "Tiếp tục khơi dậy và",
    ]


def test_bac_giang_inline_list_gives_one_task_per_item():
    _document, found = proposals("bac-giang")
    assert "Xây dựng cơ chế, chính sách thúc đẩy quá trình CĐS" in [p.title for p in found]


def test_a_target_lead_in_does_not_open_a_task_section():
    _document, found = proposals("hoa-binh")
    assert not any("50% hoạt động kiểm tra" in p.text for p in found)


def test_how_many_tasks_each_sample_gives_as_docs_tasks_md_says():
    counts = {name: len(proposals(name)[1]) for name in ["phu-yen", "binh-dinh", "hoa-binh"]}
    assert counts == {"phu-yen": 135, "binh-dinh": 50, "hoa-binh": 11}
