"""A review as a Word document (DOCX) laid out per Decree 30/2020 or Guidance 36-HD/VPTW: A4,
margins 20/20/30/15 mm, Times New Roman 14, the letterhead in a borderless two-column table,
page numbers centred at the top from page 2."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from lotrinh.reviews.content import Figure, Heading, Paragraph, ReviewContent, Table

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TEXT_WIDTH_MM = 210 - 30 - 15


def _font(run: Run, size: Pt, *, bold: bool = False, italic: bool = False) -> None:
    """Only what differs from the Normal style (Times New Roman 14, upright): a run's every
    property is XML, and a report has about a thousand runs."""
    if size != BODY_SIZE:
        run.font.size = size
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True


def _line(
    paragraph: DocxParagraph,
    text: str,
    size: Pt = BODY_SIZE,
    *,
    bold: bool = False,
    italic: bool = False,
) -> None:
    _font(paragraph.add_run(text), size, bold=bold, italic=italic)


def _centred(cell: _Cell, text: str, size: Pt, *, bold: bool = False, italic: bool = False) -> None:
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    for number, part in enumerate(text.split("\n")):
        if number:
            paragraph.runs[-1].add_break()
        _line(paragraph, part, size, bold=bold, italic=italic)


def _rule(cell: _Cell, length_mm: float) -> None:
    """A drawn line under the text above it (a bottom border of a short centred paragraph), as the
    decree asks instead of underlined text."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    margin = max(0.0, (cell.width.mm if cell.width else 80) - length_mm) / 2
    paragraph.paragraph_format.left_indent = Mm(margin)
    paragraph.paragraph_format.right_indent = Mm(margin)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _no_borders(table: DocxTable) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _page_number(section: Section) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _letterhead(document: DocxDocument, content: ReviewContent) -> None:
    head = content.letterhead
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(TEXT_WIDTH_MM - 70)
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)
    if head.parent_body:
        _centred(left, head.parent_body, Pt(13))
    _centred(left, head.issuing_body, Pt(13), bold=True)
    party = len(head.national_lines) == 1
    if party:  # Guidance 36-HD/VPTW: a star under the committee's name
        _centred(left, "*", Pt(13))
    else:
        _rule(left, 25)
    _centred(left, head.number_line, Pt(13))
    _centred(right, head.national_lines[0], Pt(14 if party else 12), bold=True)
    if not party:
        _centred(right, head.national_lines[1], Pt(13), bold=True)
        _rule(right, 62)
    else:
        _rule(right, 50)
    _centred(right, head.place_date, Pt(14), italic=True)
    for text, size in ((head.doc_type, Pt(14)), (head.title, Pt(14))):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.space_before = Pt(12 if text == head.doc_type else 0)
        _line(paragraph, text, size, bold=True)
    rule = document.add_paragraph()
    rule.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM / 2 - 15)
    rule.paragraph_format.right_indent = Mm(TEXT_WIDTH_MM / 2 - 15)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    rule._p.get_or_add_pPr().append(borders)


def _table(document: DocxDocument, block: Table) -> None:
    table = document.add_table(rows=0, cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * share) for share in block.widths]
    for row_index, values in enumerate([block.header, *block.rows]):
        # A new row's cells at once: table.cell(row, column) walks the whole table on every call.
        for cell, width, text in zip(table.add_row().cells, widths, values, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else WD_ALIGN_PARAGRAPH.LEFT
            )
            for number, part in enumerate(text.split("\n")):
                if number:
                    paragraph.runs[-1].add_break()
                _line(paragraph, part, Pt(11), bold=row_index == 0)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _figure(document: DocxDocument, block: Figure) -> None:
    document.add_picture(io.BytesIO(block.png), width=Mm(TEXT_WIDTH_MM * block.width))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(caption, block.caption, Pt(12), italic=True)


def _body(document: DocxDocument, block: Heading | Paragraph) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    if isinstance(block, Heading):
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
        paragraph.paragraph_format.keep_with_next = True
        _line(paragraph, block.text, BODY_SIZE, bold=True)
        return
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    _line(paragraph, block.text, BODY_SIZE, italic=block.placeholder)
    if block.placeholder:
        paragraph.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW


def _signature(document: DocxDocument, content: ReviewContent) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(85), Mm(TEXT_WIDTH_MM - 85)
    first = left.paragraphs[0]
    first.paragraph_format.space_after = Pt(0)
    _line(first, content.recipients_label, Pt(12), bold=True, italic=True)
    for recipient in content.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _line(paragraph, recipient, Pt(11))
    right._tc.remove(right.paragraphs[0]._p)
    signature = content.signature
    if signature.authority:
        _centred(right, signature.authority, Pt(14), bold=True)
    _centred(right, signature.title, Pt(14), bold=True)
    for _blank in range(4):
        _centred(right, "", Pt(14))
    _centred(right, signature.name, Pt(14), bold=True)


def render_docx(content: ReviewContent) -> bytes:
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    # Tables take their font from the Normal style too ("Table Grid" is based on it).
    _page_number(section)
    _letterhead(document, content)
    for block in content.blocks:
        if isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)
        else:
            _body(document, block)
    _signature(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
