"""The document model: what an official report says, independent of the file format.

`exports.builder` fills one `Document` from the data (which rows); `exports.writers` turn it
into .docx, .xlsx or .pdf (which format), the way pretix separates its exporters from the
data they export. Every string here is final text (Vietnamese, numbers already formatted);
table cells also keep their raw number, for the spreadsheet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


@dataclass
class Cell:
    text: str
    # The number behind the text (None for text cells): a spreadsheet stores it with `fmt`.
    value: Decimal | int | float | None = None
    fmt: str = ""  # an Excel number format, e.g. "#,##0" or "0.0%"


@dataclass
class Column:
    label: str
    numeric: bool = False
    width: float = 1.0  # relative width in the printed table
    legend: str = ""  # what a short label stands for, printed under the table ("T06: …")


@dataclass
class Table:
    kind: ClassVar[str] = "table"  # what templates test
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None  # a last row in bold (the whole subtree)
    sheet: str = ""  # the spreadsheet sheet it belongs to (a section number, "summary", …)
    note: str = ""  # a line in italics under the table
    small: bool = False  # printed in a smaller font (appendix tables)
    printed: bool = True  # False: only in the spreadsheet
    continued: str = ""  # the word added to the title of a wide table's later parts ("tiếp theo")
    fit: int = 6  # columns after the first that fit across A4 portrait at 11 pt
    # The rows of the spreadsheet when they are not the printed ones: a long list of grassroots
    # unions is one summary line in print, every union in the .xlsx (None: the same as `rows`).
    sheet_rows: list[list[Cell]] | None = None
    sheet_note: str = ""  # the note of the spreadsheet's table, when not the printed one

    @property
    def spreadsheet_rows(self) -> list[list[Cell]]:
        return self.rows if self.sheet_rows is None else self.sheet_rows

    @property
    def legend(self) -> str:
        return "; ".join(column.legend for column in self.columns if column.legend)

    @property
    def print_parts(self) -> list[Table]:
        """The table as printed: one with more than `fit` columns after the first is cut into
        parts that each repeat the first column (the unit)."""
        if len(self.columns) - 1 <= self.fit:
            return [self]
        parts = []
        starts = range(1, len(self.columns), self.fit)
        for number, start in enumerate(starts):
            keep = [0, *range(start, min(start + self.fit, len(self.columns)))]
            title = self.title if number == 0 else f"{self.title} ({self.continued})"
            parts.append(Table(
                title, [self.columns[i] for i in keep], [[row[i] for i in keep] for row in self.rows],
                [self.total[i] for i in keep] if self.total else None, self.sheet,
                self.note if number == len(starts) - 1 else "", self.small, self.printed, self.continued, self.fit))
        return parts

    @property
    def layout(self) -> list[tuple[Column, float]]:
        """Each column with its share of the table's width, in percent."""
        total = sum(column.width for column in self.columns) or 1
        return [(column, round(100 * column.width / total, 2)) for column in self.columns]

    @property
    def printed_rows(self) -> list[tuple[bool, list[tuple[Cell, bool]]]]:
        """(is the total row, [(cell, is numeric)]) for each row, the total last."""
        rows = [(False, row) for row in self.rows] + ([(True, self.total)] if self.total else [])
        return [(total, [(cell, column.numeric) for cell, column in zip(row, self.columns, strict=True)])
                for total, row in rows]


@dataclass
class Heading:
    kind: ClassVar[str] = "heading"  # what templates test
    text: str
    level: int  # 1: "I. …" (bold capitals), 2: "1. …" (bold), 3: "2.1. …" (bold italic)


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"  # what templates test
    text: str
    lead: str = ""  # printed in bold before the text (a target's label)
    italic: bool = False
    placeholder: bool = False  # a dotted line left for the department to fill in


@dataclass
class PageBreak:
    kind: ClassVar[str] = "page_break"


Block = Heading | Paragraph | Table | PageBreak


@dataclass
class Signature:
    on_behalf: str  # "TM. BAN THƯỜNG VỤ"
    title: str  # "CHỦ TỊCH"
    signer: str  # the signer's name (may be blank: signed by hand)


@dataclass
class Sheet:
    key: str
    name: str  # ≤ 31 characters
    title: str


@dataclass
class Document:
    kind: str  # exports.models.Kind: "yearly_review" | "term_review"
    year: int
    years: list[int]
    unit_code: str
    # Header block (Decree 30/2020/NĐ-CP, Appendix I)
    superior_body: str  # "TỔNG LĐLĐ VIỆT NAM"
    issuing_body: str  # "LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG"
    number_line: str  # "Số:      /BC-LĐLĐ"
    national_title: str
    national_motto: str
    place_date: str  # "An Giang, ngày 05 tháng 01 năm 2026"
    issued_on: datetime.date
    document_type: str  # "BÁO CÁO"
    subject: list[str]  # lines of the subject (bold)
    body: list[Block]
    closing: str
    recipients_label: str  # "Nơi nhận:"
    recipients: list[str]  # "- …;" lines, the last "- Lưu: VT, ….
    signature: Signature
    appendix_heading: list[str] = field(default_factory=list)
    appendix: list[Block] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    # Which state of the reports the document was built from (reporting.stamps), printed under
    # the subject in every format: two printouts of the same report can be told apart.
    data_stamp: str = ""
    filename: str = "bao-cao"
    title: str = ""  # one line: the document type and subject, for pages and file properties

    @property
    def issuing_lines(self) -> list[str]:
        return balanced_lines(self.issuing_body)

    @property
    def superior_lines(self) -> list[str]:
        return balanced_lines(self.superior_body)

    def tables(self) -> list[Table]:
        """Every table, printed or not (the spreadsheet has them all)."""
        return [block for block in (*self.body, *self.appendix) if isinstance(block, Table)]

    @property
    def printed_body(self) -> list[Block]:
        return [b for b in self.body if not isinstance(b, Table) or b.printed]

    @property
    def printed_appendix(self) -> list[Block]:
        return [b for b in self.appendix if not isinstance(b, Table) or b.printed]

    def text(self) -> str:
        """Everything the document says, one block a line (for search and tests)."""
        lines = [self.superior_body, self.issuing_body, self.number_line, self.national_title,
                 self.national_motto, self.place_date, self.document_type, *self.subject, self.data_stamp]
        lines += self._blocks_text(self.body)
        lines += [self.closing, self.recipients_label, *self.recipients, self.signature.on_behalf,
                  self.signature.title, self.signature.signer, *self.appendix_heading]
        lines += self._blocks_text(self.appendix)
        return "\n".join(lines)

    @staticmethod
    def _blocks_text(blocks) -> list[str]:
        lines = []
        for block in blocks:
            if isinstance(block, Heading):
                lines.append(block.text)
            elif isinstance(block, Paragraph):
                lines.append(f"{block.lead} {block.text}".strip())
            elif isinstance(block, Table):
                if not block.printed:
                    continue
                lines.append(block.title)
                lines.append(" | ".join(column.label for column in block.columns))
                for row in [*block.rows, *([block.total] if block.total else [])]:
                    lines.append(" | ".join(cell.text for cell in row))
                lines += [text for text in (block.legend, block.note) if text]
        return lines


HEADER_LINE = 24  # characters: a header name longer than this is printed on two balanced lines


def balanced_lines(text: str, width: int = HEADER_LINE) -> list[str]:
    """A long name in the header block on two lines of similar length, broken between words
    ("LIÊN ĐOÀN LAO ĐỘNG" / "THÀNH PHỐ LONG XUYÊN"), as typists set it."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return list(min(splits, key=lambda pair: (max(len(pair[0]), len(pair[1])), -len(pair[0]))))
