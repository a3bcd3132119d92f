"""Review drafts read back: page size, margins, fonts, letterhead, number and date lines, page
numbers from page 2, and every figure of the targets' table against the stored assessments."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PageObject, PdfReader

from lotrinh.assessment.models import Assessment, PastAssessment
from lotrinh.assessment.services import assess_as_of, assess_programme
from lotrinh.core.formatting import format_measure
from lotrinh.indicators.models import Programme
from lotrinh.reporting.services import Actor
from lotrinh.reviews.content import build_review, target_row
from lotrinh.reviews.metadata import parse_metadata
from lotrinh.reviews.models import ReviewDocument, ReviewSettings
from lotrinh.reviews.services import default_metadata, generate_review, remembered_metadata

pytestmark = pytest.mark.django_db
PROGRAMME = "binh-dinh-05-nq-tu"
AS_OF = datetime.date(2025, 12, 31)
ARTEFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artefacts"


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.get(code=PROGRAMME)


@pytest.fixture
def actor() -> Actor:
    return Actor(User.objects.create_superuser("drafter", password="x"), channel="web")


def letterhead(programme: Programme, layout: str, **changes: str) -> dict[str, str]:
    return default_metadata(programme, layout) | {
        "number": "7" if layout == "state" else "123",
        "place": "Quy Nhơn",
        "issued_on": "05/02/2026",
        "signer_name": "Nguyễn Văn An",
        **changes,
    }


def _stored(programme: Programme, as_of: datetime.date) -> list[PastAssessment]:
    return list(
        PastAssessment.objects.filter(target__programme=programme, as_of=as_of)
        .select_related("target__indicator")
        .order_by("target__source_line")
    )


def test_the_docx_is_a4_with_the_decree_margins_fonts_letterhead_and_page_numbers(programme, actor):
    document = generate_review(
        actor, programme, AS_OF, "docx", letterhead(programme, "state"), language="vi"
    )
    docx = Document(io.BytesIO(bytes(document.content)))
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    # Every run is set in the Normal style's Times New Roman (no run names another font).
    fonts = {run.font.name for p in docx.paragraphs for run in p.runs}
    fonts |= {
        run.font.name
        for table in docx.tables
        for cell in table._cells
        for p in cell.paragraphs
        for run in p.runs
    }
    assert fonts == {None}
    normal = docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    rfonts = normal.element.rPr.rFonts
    assert {rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    assert docx.styles["Normal"].font.size.pt == 14
    left, right = docx.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI"  # broken as by hand
    assert "Số: 07/BC-UBND" in left.text
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    date_line = next(p for p in right.paragraphs if "ngày" in p.text)
    assert date_line.text == "Quy Nhơn, ngày 05 tháng 02 năm 2026"
    assert all(run.font.italic for run in date_line.runs)
    assert [p.text for p in docx.paragraphs[:2]] == [
        "BÁO CÁO",
        "Sơ kết việc thực hiện Nghị quyết số 05-NQ/TU",
    ]
    # The page number is a PAGE field in the header of every page but the first.
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    assert "PAGE" in section.header.paragraphs[0]._p.xml
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "[Nội dung cần bổ sung: những tồn tại, hạn chế" in text
    # Charts as images: status by pillar, and the trends of targets behind schedule.
    assert len(docx.inline_shapes) == 2
    assert "Biểu đồ 1. Số chỉ tiêu theo mức đánh giá trong từng trụ cột." in text
    assert "Thực hiện Nghị quyết số 05-NQ/TU ngày 20/09/2021 của" in text
    assert "tỉnh Bình Định đã hợp nhất vào tỉnh Gia Lai" in text
    assert "chỉ gần đúng" in text  # split communes make the figures approximate
    assert "Các đơn vị có kết quả yếu nhất: " in text  # the units that pull a target down


def test_every_figure_of_the_targets_table_is_the_stored_assessments(programme, actor):
    document = generate_review(
        actor, programme, AS_OF, "docx", letterhead(programme, "state"), language="vi"
    )
    docx = Document(io.BytesIO(bytes(document.content)))
    table = next(t for t in docx.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    stored = _stored(programme, AS_OF)
    assert len(table.rows) == 1 + len(stored) == 38
    with translation.override("vi"):
        for row, assessment in zip(table.rows[1:], stored, strict=True):
            cells = [cell.text for cell in row.cells]
            target = assessment.target
            kind = target.indicator.unit_kind
            tier = f" ({target.get_level_display()})" if target.level else ""
            assert cells[1] == target.indicator_name + tier  # "… (cấp tỉnh)" tells tiers apart
            assert cells[5] == assessment.get_status_display()
            latest = format_measure(assessment.latest_value, target.unit, kind)
            assert cells[4].split("\n")[0] == (
                latest if assessment.latest_value is not None else "—"
            )
            assert cells[6] == format_measure(assessment.forecast_value, target.unit, kind)
            assert cells[7] == format_measure(assessment.gap, target.unit, kind)


def test_as_of_today_the_table_states_what_the_dashboard_shows(programme):
    """The dashboard reads today's assessments: the report as of today states the same figures."""
    today = timezone.localdate()
    latest = {a.target_id: a for a in assess_programme(programme, today=today).assessments}
    assessments = assess_as_of(programme, today)
    meta = parse_metadata(letterhead(programme, "state"))
    with translation.override("vi"):
        content = build_review(programme, today, meta, assessments)
        table = next(b for b in content.blocks if getattr(b, "name", "") == "targets")
        dashboard = [target_row(i, latest[a.target_id]) for i, a in enumerate(assessments, start=1)]
    assert table.rows == dashboard
    assert isinstance(latest[assessments[0].target_id], Assessment)


def _texts_with_positions(
    page: PageObject, fonts: set[str] | None = None
) -> list[tuple[float, float, str]]:
    """Every piece of text on the page with its position (and, into `fonts`, the font it is set in)."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):  # pypdf's text visitor
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]  # the text matrix within the page's
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))
            if fonts is not None and font is not None:
                fonts.add(str(font["/BaseFont"]))

    page.extract_text(visitor_text=visit)
    return found


def test_the_pdf_is_a4_with_an_embedded_serif_party_letterhead_and_numbers_from_page_2(
    programme, actor
):
    document = generate_review(
        actor, programme, AS_OF, "pdf", letterhead(programme, "party"), language="vi"
    )
    data = bytes(document.content)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    first, second = reader.pages[0], reader.pages[1]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = first.extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "TỈNH ỦY GIA LAI" in text
    assert "Số 123-BC/TU" in text
    assert "Quy Nhơn, ngày 05 tháng 02 năm 2026" in text
    assert "BÁO CÁO" in text
    fonts: set[str] = set()
    for page in reader.pages[:2]:
        _texts_with_positions(page, fonts)
    assert fonts and all("LiberationSerif" in f or "DejaVuSerif" in f for f in fonts)
    embedded = [
        font["/FontDescriptor"]["/FontFile2"]
        for font in first["/Resources"]["/Font"].values()
        if "Serif" in str(font["/BaseFont"])
    ]
    assert embedded
    top_margin = float(first.mediabox.height) - float(Mm(20).pt)
    left_margin = float(Mm(30).pt)
    in_top_margin = [t for _x, y, t in _texts_with_positions(first) if y > top_margin]
    assert in_top_margin == []  # no page number on page 1
    assert [t for _x, y, t in _texts_with_positions(second) if y > top_margin] == ["2"]
    assert min(x for x, _y, _t in _texts_with_positions(first)) >= left_margin - 1
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pypdfium2.PdfDocument(data)
    for index in range(2):  # pages 1 and 2, to look at
        pdf[index].render(scale=1.5).to_pil().save(ARTEFACTS / f"review-party-page{index + 1}.png")
    pdf.close()


def test_a_programme_without_data_yet_gets_a_useful_draft(programme, actor):
    document = generate_review(
        actor,
        programme,
        datetime.date(2019, 12, 31),
        "pdf",
        letterhead(programme, "state"),
        language="vi",
    )
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(bytes(document.content))).pages
    )
    stored = _stored(programme, datetime.date(2019, 12, 31))
    assert {a.status for a in stored} == {"insufficient_data"}
    assert "37 chỉ tiêu chưa đủ số liệu để đánh giá" in text
    assert "Chưa có số liệu được phê duyệt hoặc công bố" in text or "thiếu dữ liệu" in text.lower()


def test_the_english_version_says_the_same_in_english(programme, actor):
    document = generate_review(
        actor, programme, AS_OF, "docx", letterhead(programme, "state"), language="en"
    )
    docx = Document(io.BytesIO(bytes(document.content)))
    right = docx.tables[0].rows[0].cells[1]
    assert right.paragraphs[0].text == "SOCIALIST REPUBLIC OF VIET NAM"
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "I. RESULTS" in text and "[To be written:" in text
    assert document.language == "en"


@pytest.mark.parametrize(
    ("changes", "field", "vietnamese", "english"),
    [
        ({"number": "abc"}, "number", "Số văn bản phải là số nguyên", "must be a whole number"),
        ({"issued_on": "31/02/2026"}, "issued_on", "không tồn tại", "does not exist"),
        ({"signer_name": "  "}, "signer_name", "Hãy ghi tên người ký", "Name the person"),
    ],
)
def test_bad_letterhead_is_explained_in_both_languages_and_nothing_is_made(
    programme, actor, changes, field, vietnamese, english
):
    from lotrinh.reviews.metadata import MetadataError

    before = (ReviewDocument.objects.count(), ReviewSettings.objects.count())
    with pytest.raises(MetadataError) as raised:
        generate_review(actor, programme, AS_OF, "docx", letterhead(programme, "state", **changes))
    assert set(raised.value.errors) == {field}
    assert vietnamese in raised.value.text("vi") and english in raised.value.text("en")
    assert (ReviewDocument.objects.count(), ReviewSettings.objects.count()) == before


def test_the_letterhead_is_remembered_and_the_draft_kept_with_who_and_when(programme, actor):
    document = generate_review(
        actor, programme, AS_OF, "pdf", letterhead(programme, "party", number="45")
    )
    assert remembered_metadata(programme)["number"] == "45"
    assert remembered_metadata(programme)["layout"] == "party"
    assert (document.created_by, document.as_of, document.layout) == (actor.user, AS_OF, "party")
    assert bytes(document.content).startswith(b"%PDF")


def test_the_page_generates_downloads_and_explains_bad_input(client, programme, actor):
    client.force_login(actor.user)
    url = f"/programmes/{PROGRAMME}/review/"
    assert client.get(url).status_code == 200
    bad = letterhead(programme, "state", number="abc") | {"as_of": "31/12/2025", "format": "docx"}
    answer = client.post(url, bad)
    assert answer.status_code == 400
    assert "Số văn bản phải là số nguyên" in answer.content.decode()
    assert not ReviewDocument.objects.exists()
    good = letterhead(programme, "state") | {"as_of": "31/12/2025", "format": "docx"}
    made = client.post(url, good)
    assert made.status_code == 302
    document = ReviewDocument.objects.get()
    download = client.get(f"/programmes/{PROGRAMME}/review/{document.pk}/file")
    assert download.status_code == 200 and download.content == bytes(document.content)
    assert "attachment" in download["Content-Disposition"]


def test_the_api_makes_lists_and_serves_drafts(client, programme, actor):
    client.force_login(actor.user)
    url = f"/api/v1/programmes/{PROGRAMME}/reviews"
    refused = client.post(
        url,
        {"as_of": "2025-12-31", "metadata": letterhead(programme, "state", issued_on="31/02/2026")},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "không tồn tại" in refused.json()["detail"]
    assert "does not exist" in refused.json()["detail_en"]
    made = client.post(
        url, {"as_of": "2025-12-31", "format": "pdf"}, content_type="application/json"
    )
    assert made.status_code == 200
    listed = client.get(url).json()
    assert [d["id"] for d in listed] == [made.json()["id"]]
    assert client.get(made.json()["download"]).content.startswith(b"%PDF")


def test_the_command_writes_the_file(programme, tmp_path, capsys):
    User.objects.create_superuser("admin-command", password="x")
    output = tmp_path / "so-ket.docx"
    call_command(
        "review_report",
        PROGRAMME,
        "--as-of",
        "31/12/2025",
        "--layout",
        "party",
        "--format",
        "docx",
        "--output",
        str(output),
        "--user",
        "admin-command",
    )
    assert output.read_bytes().startswith(b"PK")
    docx = Document(str(output))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in docx.tables[0].rows[0].cells[1].text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_docx_with_the_same_text_and_about_the_same_pages(
    programme, actor, tmp_path
):
    raw = letterhead(programme, "state")
    docx = generate_review(actor, programme, AS_OF, "docx", raw)
    pdf = generate_review(actor, programme, AS_OF, "pdf", raw)
    source = tmp_path / "review.docx"
    source.write_bytes(bytes(docx.content))
    subprocess.run(  # noqa: S603
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],  # noqa: S607
        check=True,
        timeout=120,
    )
    converted = PdfReader(str(tmp_path / "review.pdf"))
    ours = PdfReader(io.BytesIO(bytes(pdf.content)))
    assert abs(len(converted.pages) - len(ours.pages)) <= 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in converted.pages[0].extract_text()


def test_each_sample_programme_is_drafted_in_both_layouts(actor):
    """The five sample programmes, each as a state body's and a party committee's draft, both
    formats: the letterhead and every target are there."""
    for programme in Programme.objects.order_by("code"):
        assessments = assess_as_of(programme, AS_OF)
        for layout in ("state", "party"):
            meta = parse_metadata(letterhead(programme, layout))
            with translation.override("vi"):
                content = build_review(programme, AS_OF, meta, assessments)
            table = next(b for b in content.blocks if getattr(b, "name", "") == "targets")
            assert len(table.rows) == programme.target_set.count()
            from lotrinh.reviews.render_docx import render_docx
            from lotrinh.reviews.render_pdf import render_pdf

            docx = Document(io.BytesIO(render_docx(content)))
            national = docx.tables[0].rows[0].cells[1].text
            assert ("ĐẢNG CỘNG SẢN" in national) == (layout == "party")
            pages = PdfReader(io.BytesIO(render_pdf(content))).pages
            assert len(pages) >= 2
            assert content.letterhead.number_line in pages[0].extract_text()


def test_the_weakest_units_are_the_lowest_of_the_territory_by_the_cut_off(programme):
    from lotrinh.reviews.content import units_behind

    assessments = assess_as_of(programme, AS_OF)
    lagging, weakest = next(
        (a, found)
        for a in assessments
        if a.status not in {"achieved", "on_track", "insufficient_data", "adjustment_needed"}
        and a.target.indicator.computation == "ratio"
        and len(found := units_behind(a, AS_OF, limit=100)) > 3
    )
    values = [value for _name, value in weakest]
    assert len(values) > 3 and values == sorted(values)
    assert values[0] <= lagging.latest_value <= values[-1]  # the whole lies among its parts


def test_the_report_compares_with_the_previous_kept_cut_off(programme):
    earlier = {a.target_id: a.status for a in assess_as_of(programme, datetime.date(2024, 12, 31))}
    assessments = assess_as_of(programme, AS_OF)
    meta = parse_metadata(letterhead(programme, "state"))
    with translation.override("vi"):
        content = build_review(programme, AS_OF, meta, assessments)
    text = "\n".join(getattr(b, "text", "") for b in content.blocks)
    assert (
        "So với kỳ đánh giá trước (số liệu đến ngày 31/12/2024): Trong tổng số 37 chỉ tiêu" in text
    )
    changed = [a for a in assessments if earlier[a.target_id] != a.status]
    assert changed  # illustrative data start mid-2024: more targets have figures by 2025
    for a in changed:
        assert f"- {a.target.indicator_name}: kỳ trước " in text
    assert text.count("kỳ trước ") == len(changed)


def test_the_tasks_section_counts_the_tasks_approved_by_the_cut_off(programme):
    from lotrinh.workplan.illustrative import generate_illustrative_progress
    from lotrinh.workplan.models import Task, TaskProgress
    from lotrinh.workplan.queries import completion_summary, with_state
    from lotrinh.workplan.services import load_sample_tasks

    meta = parse_metadata(letterhead(programme, "state"))
    with translation.override("vi"):
        before = build_review(programme, AS_OF, meta, assess_as_of(programme, AS_OF))
    assert "Chưa có nhiệm vụ nào của chương trình được ghi nhận trên Lộ Trình." in "\n".join(
        getattr(b, "text", "") for b in before.blocks
    )
    load_sample_tasks()
    generate_illustrative_progress()
    counts = completion_summary(programme, AS_OF)
    assert counts.total
    with translation.override("vi"):
        content = build_review(programme, AS_OF, meta, assess_as_of(programme, AS_OF))
    text = "\n".join(getattr(b, "text", "") for b in content.blocks)
    assert (
        f"Đến ngày {AS_OF:%d/%m/%Y}, đã hoàn thành {counts.done}/{counts.total} nhiệm vụ; "
        f"{counts.overdue} nhiệm vụ quá hạn" in text
    )
    (table,) = [b for b in content.blocks if getattr(b, "name", "") == "tasks"]
    assert sum(int(row[1]) for row in table.rows) == counts.total
    assert sum(int(row[2]) for row in table.rows) == counts.done
    overdue = [int(row[3]) for row in table.rows]
    assert overdue == sorted(overdue, reverse=True)  # the furthest behind first
    # Nothing overdue or blocked by this cut-off: no list. A task blocked by then is listed,
    # under its lead agency, with its deadline.
    assert counts.overdue + counts.blocked == 0
    assert not [b for b in content.blocks if getattr(b, "name", "") == "tasks-behind"]
    stuck = with_state(Task.objects.filter(programme=programme), AS_OF).filter(is_done=False)[0]
    TaskProgress.objects.create(
        task=stuck,
        period_code="2025Q4",
        as_of=AS_OF,
        status="blocked",
        blocked_reason="Thiếu kinh phí",
        state="approved",
    )
    with translation.override("vi"):
        content = build_review(programme, AS_OF, meta, assess_as_of(programme, AS_OF))
        (behind,) = [b for b in content.blocks if getattr(b, "name", "") == "tasks-behind"]
        assert behind.rows == [
            [stuck.lead_unit.name, stuck.title, stuck.deadline.label, "vướng mắc"]
        ]


@pytest.fixture
def run_worker(monkeypatch):
    """The real worker (`lotrinh db-worker --batch`), its connection housekeeping off inside the
    test's transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_page_drafts_in_the_background_and_shows_progress_then_the_download(
    client, programme, actor, run_worker
):
    client.force_login(actor.user)
    url = f"/programmes/{PROGRAMME}/review/"
    good = letterhead(programme, "party") | {"as_of": "31/12/2025", "format": "pdf"}
    made = client.post(url, good)
    assert made.status_code == 302
    document = ReviewDocument.objects.get()
    assert document.state == "pending" and not bytes(document.content)
    waiting = client.get(made["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "Đang soạn…" in waiting
    assert client.get(f"{url}{document.pk}/file").status_code == 404
    run_worker()
    document.refresh_from_db()
    assert document.state == "ready" and bytes(document.content).startswith(b"%PDF")
    ready = client.get(made["Location"]).content.decode()
    assert "http-equiv" not in ready and f"{url}{document.pk}/file" in ready
    assert client.get(f"{url}{document.pk}/file").content == bytes(document.content)
