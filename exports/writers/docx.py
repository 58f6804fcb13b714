"""A Document as a Word file laid out as Decree 30/2020/NĐ-CP (Appendix I) asks: A4, margins
20 / 20 / 30 / 15 mm (top, bottom, left, right), Times New Roman, the header block in a
borderless two-column table, page numbers centred in the top margin from page 2."""

from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from exports.document import Document, Heading, PageBreak, Paragraph, Table

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = 21.0, 29.7
TOP, BOTTOM, LEFT, RIGHT = 2.0, 2.0, 3.0, 1.5  # cm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 16.5 cm
HEADER_LEFT, HEADER_RIGHT = 6.7, TEXT_WIDTH - 6.7  # the header block's two columns
FOOT_LEFT, FOOT_RIGHT = 7.0, TEXT_WIDTH - 7.0  # "Nơi nhận" | signature
BODY_PT, HEADER_PT, NATIONAL_PT, TABLE_PT, SMALL_PT = 14, 12, 12, 12, 11
FIRST_LINE_INDENT = Cm(1.0)
CENTER, JUSTIFY, RIGHT_ALIGN, LEFT_ALIGN = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                                            WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
# Elements that follow w:pBdr inside w:pPr (the schema's order, which Word enforces).
AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def write_docx(document: Document) -> bytes:
    word = WordDocument()
    _set_up(word, document)
    _header_block(word, document)
    _title(word, document)
    _blocks(word, document.printed_body)
    _paragraph(word, document.closing, indent=True, align=JUSTIFY, space_after=6)
    _foot(word, document)
    if document.appendix:
        _appendix(word, document)
    output = BytesIO()
    word.save(output)
    return output.getvalue()


# --- page, styles, page numbers ----------------------------------------------------------------

def _set_up(word, document: Document) -> None:
    section = word.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Cm(PAGE_WIDTH), Cm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Cm(TOP), Cm(BOTTOM)
    section.left_margin, section.right_margin = Cm(LEFT), Cm(RIGHT)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_before, normal.paragraph_format.space_after = Pt(0), Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    # Page numbers centred in the top margin, from page 2 (the first page's header is empty).
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    _field(number, "PAGE", BODY_PT - 1)
    properties = word.core_properties
    properties.title, properties.author, properties.language = document.title, document.issuing_body, "vi-VN"


def _field(paragraph, instruction: str, size: float) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size, run.font.name = Pt(size), FONT
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
            run._r.append(element)
        else:
            run.text = text


# --- paragraphs ----------------------------------------------------------------------------------

def _paragraph(container, text: str = "", *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
               align=JUSTIFY, indent: bool = False, space_before: float = 0, space_after: float = 0,
               first: bool = False, keep_with_next: bool = False, lead: str = ""):
    """A paragraph in a document or a table cell (`first`: reuse the cell's empty paragraph)."""
    # Only what differs from the Normal style is written: tables hold thousands of cells.
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    if space_before:
        fmt.space_before = Pt(space_before)
    if space_after:
        fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    if indent:
        fmt.first_line_indent = FIRST_LINE_INDENT
    for words, is_bold in ((lead + " " if lead else "", True), (text, bold)):
        if not words:
            continue
        run = paragraph.add_run(words)
        if is_bold:
            run.bold = True
        if italic:
            run.italic = True
        if size != BODY_PT:
            run.font.size = Pt(size)
    return paragraph


def _rule(container, width: float, container_width: float) -> None:
    """A short horizontal rule, centred, under a line of the header block or the subject."""
    paragraph = container.add_paragraph()
    side = max(0.0, (container_width - 0.4 - width) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(side), Cm(side)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(2), Pt(3)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *AFTER_BORDER)


def _borderless_table(word, widths: list[float]):
    table = word.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Cm(width)
    return table


def _header_block(word, document: Document) -> None:
    """Left: superior body (capitals), issuing body (bold capitals), a short rule, the number.
    Right: the national title (bold capitals), the motto (bold) with a rule, place and date."""
    table = _borderless_table(word, [HEADER_LEFT, HEADER_RIGHT])
    left, right = table.rows[0].cells
    for i, line in enumerate(document.superior_lines):
        _paragraph(left, line, size=HEADER_PT, align=CENTER, first=i == 0)
    for line in document.issuing_lines:
        _paragraph(left, line, size=HEADER_PT, bold=True, align=CENTER)
    _rule(left, 2.4, HEADER_LEFT)
    _paragraph(right, document.national_title, size=NATIONAL_PT, bold=True, align=CENTER, first=True)
    _paragraph(right, document.national_motto, size=13, bold=True, align=CENTER)
    _rule(right, 5.6, HEADER_RIGHT)
    row = table.add_row()
    row.cells[0].width, row.cells[1].width = Cm(HEADER_LEFT), Cm(HEADER_RIGHT)
    _paragraph(row.cells[0], document.number_line, size=13, align=CENTER, first=True, space_before=4)
    _paragraph(row.cells[1], document.place_date, size=13, italic=True, align=CENTER, first=True, space_before=4)


def _title(word, document: Document) -> None:
    _paragraph(word, document.document_type, bold=True, align=CENTER, space_before=18)
    for line in document.subject:
        _paragraph(word, line, bold=True, align=CENTER)
    _rule(word, 3.0, TEXT_WIDTH)
    _paragraph(word, document.data_stamp, size=11, italic=True, align=CENTER, space_after=6)


def _blocks(word, blocks) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _paragraph(word, block.text, bold=True, italic=block.level >= 3, indent=True, space_before=6,
                       space_after=3, keep_with_next=True)
        elif isinstance(block, Paragraph) and block.placeholder:
            _dotted_line(word)
        elif isinstance(block, Paragraph):
            _paragraph(word, block.text, italic=block.italic, indent=True, space_after=6, lead=block.lead)
        elif isinstance(block, Table):
            for part in block.print_parts:
                _table(word, part)
        elif isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _dotted_line(word) -> None:
    """A line of dots across the text width, left for the department to write on."""
    paragraph = _paragraph(word, "", indent=True, space_after=6)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH - 0.05), WD_TAB_ALIGNMENT.RIGHT,
                                                       WD_TAB_LEADER.DOTS)
    paragraph.add_run().add_tab()


# --- tables ----------------------------------------------------------------------------------------

def _table(word, block: Table) -> None:
    size = SMALL_PT if block.small else TABLE_PT
    _paragraph(word, block.title, size=size + 1, bold=True, align=CENTER, space_before=6, space_after=3,
               keep_with_next=True)
    rows = [*block.rows, *([block.total] if block.total else [])]
    table = word.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total_weight = sum(column.width for column in block.columns)
    widths = [Cm(TEXT_WIDTH * column.width / total_weight) for column in block.columns]
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, column, width in zip(header.cells, block.columns, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _paragraph(cell, column.label, size=size, bold=True, align=CENTER, first=True)
    # One list of the rows: `table.rows[i]` builds the whole list again at every call (O(n²)).
    word_rows = list(table.rows)
    for index, values in enumerate(rows, start=1):
        is_total = block.total is not None and index == len(rows)
        for cell, column, width, value in zip(word_rows[index].cells, block.columns, widths, values, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _paragraph(cell, value.text, size=size, bold=is_total, first=True,
                       align=RIGHT_ALIGN if column.numeric else LEFT_ALIGN)
    for text in (block.legend, block.note):
        if text:
            _paragraph(word, text, size=size - 1, italic=True, align=JUSTIFY, space_before=2)
    _paragraph(word, "", size=6)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


# --- recipients, signature, appendix ------------------------------------------------------------

def _foot(word, document: Document) -> None:
    table = _borderless_table(word, [FOOT_LEFT, FOOT_RIGHT])
    left, right = table.rows[0].cells
    _paragraph(left, document.recipients_label, size=12, bold=True, italic=True, align=LEFT_ALIGN, first=True,
               space_before=6)
    for line in document.recipients:
        _paragraph(left, line, size=11, align=LEFT_ALIGN)
    signature = document.signature
    _paragraph(right, signature.on_behalf, bold=True, align=CENTER, first=True, space_before=6)
    _paragraph(right, signature.title, bold=True, align=CENTER)
    _paragraph(right, signature.signer, bold=True, align=CENTER, space_before=80)


def _appendix(word, document: Document) -> None:
    first = word.add_paragraph()
    first.add_run().add_break(WD_BREAK.PAGE)
    for i, line in enumerate(document.appendix_heading):
        _paragraph(word, line, bold=i == 0, italic=i > 0, align=CENTER, size=BODY_PT if i == 0 else 13,
                   space_after=6 if i == len(document.appendix_heading) - 1 else 0)
    _blocks(word, document.printed_appendix)
