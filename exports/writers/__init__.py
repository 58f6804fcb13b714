"""Which file format: each writer turns one exports.document.Document into the bytes of a file.

Like pretix's exporters, a writer knows nothing about where the rows come from; adding a
format is adding a writer here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from exports.document import Document


@dataclass(frozen=True)
class Writer:
    identifier: str
    extension: str
    content_type: str
    label: str
    write: Callable[[Document], bytes]

    def filename(self, document: Document) -> str:
        return f"{document.filename}.{self.extension}"


def _docx(document: Document) -> bytes:
    from exports.writers.docx import write_docx

    return write_docx(document)


def _xlsx(document: Document) -> bytes:
    from exports.writers.xlsx import write_xlsx

    return write_xlsx(document)


def _pdf(document: Document) -> bytes:
    from exports.writers.pdf import write_pdf

    return write_pdf(document)


WRITERS: dict[str, Writer] = {
    writer.identifier: writer for writer in (
        Writer("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "Word (.docx)", _docx),
        Writer("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "Excel (.xlsx)", _xlsx),
        Writer("pdf", "pdf", "application/pdf", "PDF (.pdf)", _pdf),
    )
}
