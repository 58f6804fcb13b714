"""Every document names the state of the data it was built from ("Số liệu tính đến …" and a
data version), so that two printouts of the same year's report can be told apart."""

import re
import shutil
import subprocess
from io import BytesIO

import docx
import openpyxl
import pytest
from django.utils import timezone

from exports.builder import build_document
from exports.models import Kind
from exports.writers import WRITERS
from reporting.actions import do_approve
from reporting.models import Period, Report
from reporting.stamps import data_stamp

pytestmark = pytest.mark.django_db

VERSION = re.compile(r"mã phiên bản số liệu: ([0-9A-F]{4}-[0-9A-F]{4})")


def stamp_of(document) -> str:
    return VERSION.search(document.data_stamp).group(1)


def test_a_change_to_a_counted_report_changes_the_stamp(world, program, reported):
    before = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    again = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    assert before.data_stamp == again.data_stamp, "nothing changed: the same stamp"
    local = timezone.localtime(Report.objects.filter(period=reported).latest("updated_at").updated_at)
    assert f"Số liệu tính đến {local:%H:%M} ngày {local:%d/%m/%Y}, gồm 5 báo cáo" in before.data_stamp

    chau_doc = Report.objects.get(period=reported, unit=world.chau_doc)
    do_approve(chau_doc, by=world.admin, expected_version=chau_doc.version)
    after = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    assert stamp_of(after) != stamp_of(before)
    assert after.data_stamp in after.text()


def test_the_stamp_reads_the_units_subtree_and_the_documents_years_only(world, program, reported):
    long_xuyen = data_stamp([reported], world.long_xuyen)
    chau_doc = Report.objects.get(period=reported, unit=world.chau_doc)
    do_approve(chau_doc, by=world.admin, expected_version=chau_doc.version)
    assert data_stamp([reported], world.long_xuyen) == long_xuyen  # another district's report
    earlier = Period.objects.get(year=2023)
    assert data_stamp([earlier], world.province) != data_stamp([reported], world.province)


def test_the_three_formats_carry_the_stamp(world, program, reported, tmp_path):
    document = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    version = stamp_of(document)

    word = docx.Document(BytesIO(WRITERS["docx"].write(document)))
    assert document.data_stamp in [p.text for p in word.paragraphs]

    book = openpyxl.load_workbook(BytesIO(WRITERS["xlsx"].write(document)))
    assert all(sheet["A4"].value == document.data_stamp for sheet in book.worksheets)
    assert book.properties.description == document.data_stamp

    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils")
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(WRITERS["pdf"].write(document))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert f"mã phiên bản số liệu: {version}" in text
