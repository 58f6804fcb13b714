"""Vietnamese typed on different keyboards: composed letters (NFC, "ờ" as one character) or
decomposed ones (NFD, "o" + horn + grave). Both must mean the same: search finds the same
units, text from every form is stored composed, so that comparisons and exports agree, and a
spreadsheet written in decomposed Unicode is read as if it were composed."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from exports.models import Narrative
from plans.models import ImplementationPlan
from programs.models import TaskProgress
from reporting.actions import comments_of, values_of
from reporting.models import Report
from reporting.spreadsheets import FIRST_ROW, META_SHEET, SHEET, build_template
from reporting.testing import report_steps
from tests.bad_input.helpers import NFC_SCHOOL, add_elements
from units.text import clean_text, fold

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"
PDF = b"%PDF-1.4\n%%EOF\n"


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text or text.isascii()
    return decomposed


def is_nfc(text: str) -> bool:
    return text == unicodedata.normalize("NFC", text)


def entry_url(period, code=SCHOOL):
    return reverse("reporting:entry", args=[period.id, code])


def test_the_two_forms_differ_as_strings_but_clean_to_the_same():
    assert nfd(NFC_SCHOOL) != NFC_SCHOOL and len(nfd(NFC_SCHOOL)) > len(NFC_SCHOOL)
    assert clean_text(nfd(NFC_SCHOOL)) == NFC_SCHOOL
    assert fold(nfd("Châu Đốc")) == fold("Châu Đốc") == "chau doc"


@pytest.mark.parametrize("query", ["Trường Mỹ Bình", "Châu Đốc", "Công đoàn Bệnh viện"])
def test_search_finds_the_same_units_whichever_keyboard_typed_the_query(client, world, query):
    login(client, world.admin)
    found = [
        [u.code for u in client.get(reverse("units:search"), {"q": q}).context["results"]]
        for q in (query, nfd(query), query.upper(), nfd(query.upper()))
    ]
    assert found[0], f"{query} finds something"
    assert all(f == found[0] for f in found), found


def test_search_finds_a_unit_whose_name_was_stored_decomposed(client, world):
    world.market.name = nfd("Công đoàn Chợ Mỹ Đức")
    world.market.save()
    login(client, world.admin)
    for query in ("Chợ Mỹ Đức", nfd("Chợ Mỹ Đức"), "cho my duc"):
        codes = [u.code for u in client.get(reverse("units:search"), {"q": query}).context["results"]]
        assert codes == ["AG.884.00001"], query


def test_report_texts_are_stored_composed_and_the_same_text_again_changes_nothing(client, world, period, program):
    add_elements(program)
    login(client, world.reporter)
    text = "Trường đã tổ chức hội nghị người lao động"
    response = client.post(entry_url(period), {"version": 0, "save": "1", "workers": "40", "remarks": nfd(text),
                                               "workers__comment": nfd(text)})
    assert response.status_code == 302
    report = Report.objects.get(period=period, unit=world.school)
    assert values_of(report)["remarks"] == text and comments_of(report)["workers"] == text
    events = report_steps().count()
    # the same words typed on the other keyboard: nothing changed
    response = client.post(entry_url(period), {"version": report.version, "save": "1", "workers": "40",
                                               "remarks": text, "workers__comment": text})
    assert response.status_code == 302
    assert report_steps().count() == events


def test_a_decision_comment_is_stored_composed(client, world, period):
    from reporting.actions import do_save_values, do_submit, get_or_create_report
    from reporting.testing import GOOD_GRASSROOTS

    report = get_or_create_report(period, world.school)
    do_save_values(report, GOOD_GRASSROOTS, {}, world.reporter, 0)
    report.refresh_from_db()
    do_submit(report, world.reporter, report.version)
    login(client, world.approver)
    comment = "Đề nghị Trường kiểm tra lại số đoàn viên"
    client.post(reverse("reporting:return", args=[report.id]), {"version": report.version, "comment": nfd(comment)})
    assert report_steps(report).filter(additional_data__event="returned").get().additional_data["comment"] == comment


def test_narratives_task_notes_and_plan_numbers_are_stored_composed(client, world, program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, world.admin)
    words = "Nguyễn Thị Hường"
    response = client.post(reverse("exports:narratives", args=["AG", "yearly_review", 2024]), {
        "achievements": nfd(f"Kết quả nổi bật\n{words}"), "shortcomings": "", "causes": "", "directions": "",
        "recipients": nfd("Như trên;\nLưu: VT"), "number": "", "issued_on": "", "signer_on_behalf": "",
        "signer_title": nfd("CHỦ TỊCH"), "signer_name": nfd(words)})
    assert response.status_code == 302
    narrative = Narrative.objects.get()
    assert narrative.signer_name == words and narrative.achievements == f"Kết quả nổi bật\n{words}"
    assert all(is_nfc(getattr(narrative, f)) for f in ("recipients", "signer_title"))

    response = client.post(reverse("programs:task_progress", args=[program.code, "task_II_1_01"]),
                           {"status": "done", "on_date": "2024-05-01", "note": nfd("Đã hoàn thành ở Trường")})
    assert response.status_code == 302 and TaskProgress.objects.get().note == "Đã hoàn thành ở Trường"

    login(client, world.reporter)
    response = client.post(reverse("plans:unit", args=[program.code, SCHOOL]), {
        "file": SimpleUploadedFile(nfd("Kế hoạch Trường.pdf"), PDF), "issued_on": "2021-08-15",
        "document_number": nfd("12/KH-CĐCS Trường")})
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get()
    assert plan.document_number == "12/KH-CĐCS Trường" and plan.original_name == "Kế hoạch Trường.pdf"


def test_a_spreadsheet_in_decomposed_unicode_reads_as_composed(client, world, period, program):
    """Headers, yes/no words and notes in NFD; the row's text equal to what is stored (in
    NFC) counts as unchanged."""
    add_elements(program)
    login(client, world.reporter)
    text = "Trường đã rà soát"
    client.post(entry_url(period), {"version": 0, "save": "1", "workers": "40", "remarks": text})
    report = Report.objects.get(period=period, unit=world.school)
    events = report_steps().count()

    workbook = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    ws = workbook[SHEET]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.row < FIRST_ROW or cell.column == 2:
                cell.value = nfd(cell.value) if isinstance(cell.value, str) else cell.value
    columns = {row[2]: row[1] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0] == "column"}
    school_row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == SCHOOL)
    ws[f"{columns['remarks']}{school_row}"] = nfd(text)  # the same words, decomposed
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, world.approver)
    response = client.post(reverse("reporting:spreadsheet_upload", args=[period.id, "AG.883"]),
                           {"file": SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())})
    result = response.context["result"]
    assert result.ok, result.errors
    assert result.changed == [] and report_steps().count() == events, "nothing changed"

    # a yes/no typed decomposed, and a text that differs: changed, and stored composed
    ws[f"{columns['cba_signed']}{school_row}"] = nfd("Không")
    ws[f"{columns['remarks']}{school_row}"] = nfd("Trường đã rà soát lại")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("reporting:spreadsheet_upload", args=[period.id, "AG.883"]),
                           {"file": SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())})
    assert response.context["result"].ok, response.context["result"].errors
    response = client.post(reverse("reporting:spreadsheet_confirm", args=[period.id, "AG.883"]),
                           {"token": response.context["token"]})  # what the preview showed, confirmed
    assert response.context["result"].ok, response.context["result"].errors
    values = values_of(report)
    assert values["cba_signed"] is False and values["remarks"] == "Trường đã rà soát lại"
