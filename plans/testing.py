"""Files and requests for the tests of implementation plans, shared by the plans, reporting,
access and bad-input tests: a minimal valid PDF, real Word documents (with extra parts if
asked), zip archives, and an upload through the unit's plan page as a browser sends it."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from plans import status
from plans.models import ImplementationPlan
from units.models import Unit, UnitKind

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


# --- plans across the test tree (the status tests of reporting/tests/test_plans.py and the plan lists) ---

def make_plan(program, unit, issued_on, by, **extra) -> ImplementationPlan:
    return ImplementationPlan.objects.create(
        program=program, unit=unit, deadline=status.deadline_for(program, unit), file=f"plans/t/{unit.code}.pdf",
        original_name="kh.pdf", size=10, content_type="application/pdf", document_number=extra.get("number", "1/KH"),
        issued_on=issued_on, uploaded_by=by,
    )


def add_unit(parent_code: str, code: str, kind: str, **attributes) -> Unit:
    parent = Unit.objects.get(code=parent_code)
    return Unit.objects.add_child(parent, instance=Unit(code=code, name=f"Đơn vị {code}", kind=kind, **attributes))


@pytest.fixture
def scenario(world, program):
    """Plans on time, late and missing across the test tree, and units that did not exist on
    a due date (opened after it, closed before it)."""
    admin = world.admin
    # Upper-level unions, due 30/06/2021.
    make_plan(program, world.long_xuyen, datetime.date(2021, 6, 30), admin)  # on the due date: on time
    make_plan(program, world.chau_doc, datetime.date(2021, 7, 10), admin)  # late
    # world.health: missing
    add_unit("AG", "AG.885", UnitKind.DISTRICT, valid_from=datetime.date(2021, 7, 1))  # opened after: not counted
    # closed before: not counted
    closed = add_unit("AG", "AG.886", UnitKind.DISTRICT, valid_to=datetime.date(2021, 6, 29))
    make_plan(program, closed, datetime.date(2021, 7, 1), admin)
    # Grassroots unions, due 31/08/2021.
    make_plan(program, world.school, datetime.date(2021, 8, 31), admin)  # on time
    make_plan(program, world.factory, datetime.date(2021, 8, 20), admin)
    make_plan(program, world.factory, datetime.date(2021, 9, 15), admin, number="2/KH")  # newer, late: the current plan
    Unit.objects.filter(pk=world.market.pk).update(contact_name="Nguyễn Thị Lan", phone="0296 3861 234",
                                                   email="cdcs.chauDoc@example.vn")  # missing
    first = make_plan(program, world.hospital, datetime.date(2021, 5, 1), admin)
    make_plan(program, world.hospital, datetime.date(2021, 10, 1), admin)
    # The first one was uploaded last (clocks, imports): it is the current plan, on time.
    ImplementationPlan.objects.filter(pk=first.pk).update(uploaded_at=timezone.now() + datetime.timedelta(hours=1))
    add_unit("AG.883", "AG.883.00003", UnitKind.GRASSROOTS, valid_from=datetime.date(2021, 9, 1))  # opened after
    add_unit("AG.884", "AG.884.00002", UnitKind.GRASSROOTS, valid_to=datetime.date(2021, 8, 1))  # closed before
    add_unit("AG.YT", "AG.YT.00002", UnitKind.GRASSROOTS, valid_to=datetime.date(2022, 1, 1))  # closed after: missing
    for unit in (world.province, world.long_xuyen, world.chau_doc, world.health):
        unit.refresh_from_db()
    return world
