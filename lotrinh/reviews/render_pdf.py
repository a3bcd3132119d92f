"""A review as PDF with the same layout as the DOCX: A4, margins 20/20/30/15 mm, a Times-compatible
serif (Liberation Serif, embedded) at 14 pt, page numbers centred at the top from page 2."""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import (
    Paragraph as PdfParagraph,
)
from reportlab.platypus import (
    Table as PdfTable,
)

from lotrinh.reviews.content import Figure, Heading, Paragraph, ReviewContent, Table
from lotrinh.reviews.fonts import serif_font

TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
TEXT_WIDTH = A4[0] - LEFT - RIGHT


@functools.cache
def _family() -> str:
    """Register the serif font's four faces once; the family's name in reportlab."""
    font = serif_font()
    names = ("Serif", "Serif-Bold", "Serif-Italic", "Serif-BoldItalic")
    paths = (font.regular, font.bold, font.italic, font.bold_italic)
    for name, path in zip(names, paths, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        "Serif", normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
    )
    return "Serif"


def _style(
    size: float,
    *,
    align: int = TA_LEFT,
    bold: bool = False,
    italic: bool = False,
    indent: float = 0,
    after: float = 0,
) -> ParagraphStyle:
    family = _family()
    face = family + ("-Bold" if bold else "") + ("-Italic" if italic else "")
    face = face.replace("-Bold-Italic", "-BoldItalic")
    return ParagraphStyle(
        name=f"{face}-{size}-{align}-{indent}-{after}",
        fontName=face,
        fontSize=size,
        leading=size * 1.2,
        alignment=align,
        firstLineIndent=indent,
        spaceAfter=after,
    )


def Rule(length: float, _width: float) -> Flowable:  # noqa: N802 (reads as a flowable)
    """A short centred line drawn under a heading line, as the decree asks."""
    return HRFlowable(
        width=length,
        thickness=0.6,
        color=colors.black,
        spaceBefore=3,
        spaceAfter=3,
        hAlign="CENTER",
    )


def _lines(items: list[tuple[str, ParagraphStyle] | Flowable]) -> list[Flowable]:
    return [
        item
        if isinstance(item, Flowable)
        else PdfParagraph(escape(item[0]).replace("\n", "<br/>"), item[1])
        for item in items
    ]


def _letterhead(content: ReviewContent) -> list[Flowable]:
    head = content.letterhead
    left_width, right_width = 70 * mm, TEXT_WIDTH - 70 * mm
    party = len(head.national_lines) == 1
    left: list[tuple[str, ParagraphStyle] | Flowable] = []
    if head.parent_body:
        left.append((head.parent_body, _style(13, align=TA_CENTER)))
    left += [
        (head.issuing_body, _style(13, align=TA_CENTER, bold=True)),
        ("*", _style(13, align=TA_CENTER)) if party else Rule(25 * mm, left_width),
        Spacer(1, 4),
        (head.number_line, _style(13, align=TA_CENTER)),
    ]
    right: list[tuple[str, ParagraphStyle] | Flowable] = [
        (head.national_lines[0], _style(14 if party else 12, align=TA_CENTER, bold=True))
    ]
    if not party:
        right.append((head.national_lines[1], _style(13, align=TA_CENTER, bold=True)))
    right += [
        Rule((50 if party else 62) * mm, right_width),
        Spacer(1, 4),
        (head.place_date, _style(14, align=TA_CENTER, italic=True)),
    ]
    table = PdfTable(
        [[_lines(left), _lines(right)]], colWidths=[left_width, right_width], hAlign="CENTER"
    )
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), _family()),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [
        table,
        Spacer(1, 14),
        PdfParagraph(escape(head.doc_type), _style(14, align=TA_CENTER, bold=True)),
        PdfParagraph(escape(head.title), _style(14, align=TA_CENTER, bold=True)),
        Rule(30 * mm, TEXT_WIDTH),
        Spacer(1, 10),
    ]


def _table(block: Table) -> Flowable:
    header = _style(10.5, align=TA_CENTER, bold=True)
    cell = _style(10.5)
    rows = [[PdfParagraph(escape(text), header) for text in block.header]]
    rows += [
        [PdfParagraph(escape(text).replace("\n", "<br/>"), cell) for text in row]
        for row in block.rows
    ]
    table = PdfTable(rows, colWidths=[TEXT_WIDTH * w for w in block.widths], repeatRows=1)
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), _family()),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    return table


def _figure(block: Figure) -> Flowable:
    image = ImageReader(io.BytesIO(block.png))
    width, height = image.getSize()
    shown = TEXT_WIDTH * block.width
    caption = PdfParagraph(escape(block.caption), _style(12, align=TA_CENTER, italic=True, after=8))
    return KeepTogether(
        [Image(io.BytesIO(block.png), shown, shown * height / width), Spacer(1, 4), caption]
    )


def _body(block: Heading | Paragraph) -> Flowable:
    indent = 1.27 * 28.35
    if isinstance(block, Heading):
        return PdfParagraph(escape(block.text), _style(14, bold=True, indent=indent, after=6))
    style = _style(14, align=TA_JUSTIFY, italic=block.placeholder, indent=indent, after=6)
    if block.placeholder:
        style.backColor = colors.HexColor("#fff3a0")
    return PdfParagraph(escape(block.text), style)


def _signature(content: ReviewContent) -> Flowable:
    signature = content.signature
    left = [PdfParagraph(escape(content.recipients_label), _style(12, bold=True, italic=True))]
    left += [PdfParagraph(escape(r), _style(11)) for r in content.recipients]
    right = []
    if signature.authority:
        right.append(
            PdfParagraph(escape(signature.authority), _style(14, align=TA_CENTER, bold=True))
        )
    right += [
        PdfParagraph(escape(signature.title), _style(14, align=TA_CENTER, bold=True)),
        Spacer(1, 70),
        PdfParagraph(escape(signature.name), _style(14, align=TA_CENTER, bold=True)),
    ]
    table = PdfTable([[left, right]], colWidths=[85 * mm, TEXT_WIDTH - 85 * mm])
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), _family()),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return KeepTogether([Spacer(1, 12), table])


def _page_number(canvas: Canvas, document: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(_family(), 14)
    canvas.drawCentredString(LEFT + TEXT_WIDTH / 2, A4[1] - 12 * mm, str(canvas.getPageNumber()))
    canvas.restoreState()


def render_pdf(content: ReviewContent) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        title=content.letterhead.title,
        author=content.letterhead.issuing_body,
    )
    story: list[Flowable] = _letterhead(content)
    for block in content.blocks:
        if isinstance(block, Table):
            story += [_table(block), Spacer(1, 8)]
        elif isinstance(block, Figure):
            story.append(_figure(block))
        else:
            story.append(_body(block))
    story.append(_signature(content))
    # The canvas starts in the serif too, so that no unembedded Helvetica is named in the file.
    canvas = functools.partial(Canvas, initialFontName=_family(), initialFontSize=14)
    document.build(story, onLaterPages=_page_number, canvasmaker=canvas)
    return buffer.getvalue()
