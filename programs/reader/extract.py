"""A document file → its raw text, in reading order, one paragraph a line.

- .txt (and .md): UTF-8 (a BOM is dropped), else Windows-1258 / CP1252, the encodings
  Vietnamese offices' older files come in;
- .docx: python-docx, the body's paragraphs and tables in document order (an official
  document's header block and its "Nơi nhận" / signature are borderless tables), bold runs
  marked "**" like the text form;
- .pdf: pypdf, with each piece of text's position: lines are rebuilt from their baselines,
  a paragraph ends where the gap to the next line is wider than the line spacing or the next
  line starts indented (the first-line indent of Decree 30's layout), and two columns side by
  side (the header block, "Nơi nhận" beside the signature) are read left column first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".md", ".docx", ".pdf")


class UnreadableDocument(ValueError):
    """`kind` says why, for a page to say it in its language: format, docx, pdf, scan."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def extract_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md", ""):
        return _text(path.read_bytes())
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path)
    raise UnreadableDocument("format", f"{path.name}: only {', '.join(SUFFIXES)} documents can be read")


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


# --- Word ------------------------------------------------------------------------------------------

def _docx(path: Path) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise UnreadableDocument("docx", f"{path.name}: not a Word document ({exc})") from exc
    lines: list[str] = []

    def paragraph(p: Paragraph) -> None:
        lines.append(_runs(p))

    def table(t: Table) -> None:
        for row in t.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    (paragraph if isinstance(block, Paragraph) else table)(block)
                lines.append("")

    for block in document.iter_inner_content():
        (paragraph if isinstance(block, Paragraph) else table)(block)
    return "\n\n".join(lines)


def _runs(paragraph) -> str:
    """The paragraph's text with bold stretches marked "**", as typed documents show them."""
    parts, bold = [], False
    for run in paragraph.runs:
        if not run.text:
            continue
        if bool(run.bold) != bold and run.text.strip():
            parts.append("**")
            bold = bool(run.bold)
        parts.append(run.text)
    if bold:
        parts.append("**")
    return "".join(parts)


# --- PDF -------------------------------------------------------------------------------------------

@dataclass
class _PdfLine:
    x: float  # where its first piece starts, in points from the left
    y: float  # its baseline, in points from the top
    size: float  # font size in points
    text: str


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [_page_lines(page) for page in reader.pages]
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise UnreadableDocument("pdf", f"{path.name}: not a readable PDF ({exc})") from exc
    if not any(line.text.strip() for lines in pages for line in lines):
        raise UnreadableDocument("scan", f"{path.name}: the PDF has no text layer (a scan?); run OCR on it first")
    paragraphs: list[str] = []
    for lines in pages:
        _add_page(paragraphs, lines)
    return "\n\n".join(paragraphs)


def _page_lines(page) -> list[_PdfLine]:
    """The page's lines in the order its content stream draws them (the writer's reading
    order: a table cell after cell), each with its position; a page number alone on the first
    or last line is left out."""
    lines: list[_PdfLine] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        size = abs(font_size * (tm[3] or 1) * (cm[3] or 1))
        last = lines[-1] if lines else None
        piece = text.replace("\n", " ")
        if last and abs(last.y - y) < size * 0.3 and x - last.x >= 0:
            last.text += piece
        else:
            lines.append(_PdfLine(x, y, size, piece))

    page.extract_text(visitor_text=visit)
    top = max((line.y for line in lines), default=0)
    for line in lines:
        line.y = top - line.y  # from the top, whichever way the page's matrix points
        line.text = line.text.strip()
    if lines and lines[0].text.isdigit():
        lines.pop(0)
    if lines and lines[-1].text.isdigit():
        lines.pop()
    return lines


BULLET_START = ("- ", "+ ", "• ", "– ")


def _add_page(paragraphs: list[str], lines: list[_PdfLine]) -> None:
    """A paragraph ends where the next line starts indented (the first-line indent), sits
    further below than the line spacing, goes back up (the next column), or is a bullet.
    A page's first line at the margin goes on with the last paragraph of the page before."""
    if not lines:
        return
    margin = min(line.x for line in lines)
    previous = None
    for line in lines:
        indented = line.x > margin + line.size * 0.5
        if previous is None:
            starts = indented or not paragraphs or line.text.startswith(BULLET_START)
        else:
            gap = line.y - previous.y
            starts = (indented or gap < 0 or gap > max(line.size, previous.size) * 1.5
                      or line.text.startswith(BULLET_START) or abs(line.size - previous.size) > 0.5)
        if starts:
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _continued(paragraphs[-1], line.text)
        previous = line


def _continued(paragraph: str, text: str) -> str:
    """A wrapped line joined on: with a space, or none after a word hyphenated at the break."""
    if paragraph.endswith("-") and not paragraph.endswith(" -") and text[:1].islower():
        return paragraph[:-1] + text
    return f"{paragraph} {text}"
