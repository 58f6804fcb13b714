"""Files and requests for the tests of implementation plans, shared by the plans, reporting,
access and bad-input tests: a minimal valid PDF, real Word documents (with extra parts if
asked), zip archives, and an upload through the unit's plan page as a browser sends it."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str = "Kế hoạch thực hiện Chương trình hành động") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_with(extra: dict[str, bytes]) -> bytes:
    """A real DOCX with extra parts added."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    return zip_bytes({**{name: source.read(name) for name in source.namelist()}, **extra})


def unit_url(program, code: str) -> str:
    """The plan page of the unit `code` (its list of plans and the upload form)."""
    return reverse("plans:unit", args=[program.code, code])


def upload(client, program, code, name, content, issued_on="2021-08-15", number="12/KH-CĐCS",
           content_type="application/octet-stream"):
    """Send the file `name` holding `content` as the plan of the unit `code`, as the upload form does."""
    data = {"file": SimpleUploadedFile(name, content, content_type), "issued_on": issued_on,
            "document_number": number}
    return client.post(unit_url(program, code), data)
