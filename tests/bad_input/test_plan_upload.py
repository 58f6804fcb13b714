"""The implementation-plan upload fed with files that are not what their name says, and with
document numbers, dates and file names no plan has. Each is refused with its reason and leaves
nothing stored, or is stored cleaned and shown escaped."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.testing import login
from plans import files
from plans import status as plan_states
from plans.models import ImplementationPlan
from plans.testing import zip_bytes
from reporting.testing import stored_files
from tests.bad_input.helpers import IMG, SCRIPT, TEN_MB, counts, raw_tags_in

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def unit_url(program, code=SCHOOL) -> str:
    return reverse("plans:unit", args=[program.code, code])


def upload(client, program, name="ke-hoach.pdf", content=PDF, issued_on="2021-08-15", number="12/KH-CĐCS"):
    return client.post(unit_url(program), {"file": SimpleUploadedFile(name, content, "application/octet-stream"),
                                           "issued_on": issued_on, "document_number": number})


def codes(response, field: str) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


NOT_WHAT_THEY_SAY = [
    ("ke-hoach.pdf", PNG, "not_pdf"),
    ("ke-hoach.pdf", zip_bytes({"ke-hoach.pdf": PDF}), "not_pdf"),
    ("ke-hoach.pdf", b"Ke hoach so 12, ban hanh 15/8/2021", "not_pdf"),
    ("ke-hoach.docx", "Kế hoạch số 12/KH-CĐCS".encode(), "not_docx"),
    ("ke-hoach.docx", PDF, "not_docx"),
    ("ke-hoach.docx", _xlsx(), "not_docx"),
    ("ke-hoach.docx", b"PK\x03\x04" + b"\x00" * 100, "not_docx"),
    ("ke-hoach.PDF.exe", PDF, "extension"),
    ("ke-hoach", PDF, "extension"),
    ("ke-hoach.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "code"), NOT_WHAT_THEY_SAY,
                         ids=[f"{c}:{n}:{i}" for i, (n, _b, c) in enumerate(NOT_WHAT_THEY_SAY)])
def test_a_file_that_is_not_what_its_name_says_is_refused(client, world, program, media, name, content, code):
    login(client, world.reporter)
    before = counts()
    response = upload(client, program, name, content)
    assert response.status_code == 400
    assert codes(response, "file") == [code]
    assert counts() == before and stored_files(media) == []


@pytest.mark.parametrize("issued_on", ["hôm qua", "1e400", "99999-01-01", "2021-02-30", "15/08/2021x", ""])
def test_a_wrong_issue_date_is_refused(client, world, program, media, issued_on):
    login(client, world.reporter)
    before = counts()
    response = upload(client, program, issued_on=issued_on)
    assert response.status_code == 400 and codes(response, "issued_on")
    assert counts() == before and stored_files(media) == []


def test_a_document_number_over_the_limit_is_refused(client, world, program, media):
    login(client, world.reporter)
    before = counts()
    response = upload(client, program, number="1" * (files.DOCUMENT_NUMBER_MAX_LENGTH + 1))
    assert response.status_code == 400 and codes(response, "document_number") == ["max_length"]
    assert counts() == before and stored_files(media) == []


def test_a_10_mb_document_number_gets_a_clear_message(client, world, program, media):
    """Over Django's limit on form text (2.5 MB): the form says so, nothing is stored."""
    login(client, world.reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = counts()
    response = upload(client, program, number=TEN_MB)
    assert response.status_code == 400
    assert "far too long" in response.content.decode()
    assert len(response.content) < 100_000
    assert counts() == before and stored_files(media) == []


def test_a_decomposed_document_number_is_stored_composed_and_cleaned(client, world, program, media):
    login(client, world.reporter)
    number = unicodedata.normalize("NFD", "Số 12/KH-CĐCS\x0b Trường")
    # 59 composed characters, more than 60 decomposed: the limit counts what is stored
    padded = number + " " + "x" * (files.DOCUMENT_NUMBER_MAX_LENGTH - 1 - len(unicodedata.normalize("NFC", number)))
    assert len(padded) > files.DOCUMENT_NUMBER_MAX_LENGTH
    response = upload(client, program, number=padded)
    assert response.status_code == 302, response.context["form"].errors
    stored_number = ImplementationPlan.objects.get().document_number
    assert stored_number.startswith("Số 12/KH-CĐCS Trường x")
    assert stored_number == unicodedata.normalize("NFC", stored_number)


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_html_in_the_number_and_file_name_is_shown_escaped(client, world, program, media, payload):
    login(client, world.reporter)
    response = upload(client, program, name=f"{payload}.pdf", number=payload[:60])
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get()
    assert plan.document_number == payload[:60]
    page = client.get(unit_url(program)).content.decode()
    assert not raw_tags_in(page)
    assert escape(payload[:60]) in page and escape(plan.original_name) in page
    # and for the district, on the status page
    login(client, world.approver)
    status = client.get(reverse("plans:status", args=[program.code, "AG.883"]),
                        {"show": "on_time", "deadline": plan_states.deadline_for(program, world.school).code})
    assert status.status_code == 200
    assert not raw_tags_in(status.content.decode())
    assert escape(payload[:60]) in status.content.decode()
    download = client.get(reverse("plans:download", args=[plan.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition
    assert download["X-Content-Type-Options"] == "nosniff"
