"""Implementation plans: upload (type by content, size, messages), status per deadline for a
subtree (on time, late, missing; units that did not exist on the due date left out), the
pages, and who may upload, see and download what."""

from __future__ import annotations

import datetime
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.testing import login
from plans import files, status
from plans.actions import do_upload_plan
from plans.models import ImplementationPlan
from plans.testing import (
    DOCX_TYPE,
    PDF_BYTES,
    add_unit,
    docx_bytes,
    docx_with,
    make_plan,
    unit_url,
    upload,
    zip_bytes,
)
from reporting.testing import stored_files
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

D = datetime.date


def status_url(program, code: str) -> str:
    return reverse("plans:status", args=[program.code, code])


def message(code: str) -> str:
    """The message the user reads for an error code, as the page shows it (HTML-escaped)."""
    text = files.too_large_error().messages[0] if code == "too_large" else str(files.MESSAGES[code])
    return escape(text)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


# --- upload ----------------------------------------------------------------------------------

def test_upload_pdf_and_docx_stored_listed_and_downloadable(client, world, program, media):
    login(client, world.reporter)
    response = upload(client, program, "AG.883.00001", "Kế hoạch số 12.pdf", PDF_BYTES, content_type="text/plain")
    assert response.status_code == 302
    assert response["Location"] == unit_url(program, "AG.883.00001")
    pdf_plan = ImplementationPlan.objects.get(unit=world.school)
    assert pdf_plan.original_name == "Kế hoạch số 12.pdf"
    assert pdf_plan.content_type == "application/pdf"  # from the content, not what the browser said
    assert pdf_plan.size == len(PDF_BYTES)
    assert (pdf_plan.document_number, pdf_plan.issued_on) == ("12/KH-CĐCS", D(2021, 8, 15))
    assert pdf_plan.deadline.code == "plan_grassroots"
    assert pdf_plan.uploaded_by == world.reporter
    assert pdf_plan.file.name == f"plans/{program.code}/AG.883.00001-20210815.pdf"
    assert (media / pdf_plan.file.name).read_bytes() == PDF_BYTES

    word = docx_bytes()
    login(client, world.approver)
    response = upload(client, program, "AG.883", "KH 05-LĐLĐ Long Xuyên.DOCX", word, issued_on="2021-06-20",
                      number="05/KH-LĐLĐ")
    assert response.status_code == 302
    docx_plan = ImplementationPlan.objects.get(unit=world.long_xuyen)
    assert docx_plan.content_type == DOCX_TYPE
    assert docx_plan.deadline.code == "plan_upper_union"
    assert docx_plan.file.name.endswith("AG.883-20210620.docx")
    assert len(stored_files(media)) == 2

    # Listed on the unit's page, with a download link.
    page = client.get(unit_url(program, "AG.883.00001")).content.decode()
    assert "Kế hoạch số 12.pdf" in page
    assert reverse("plans:download", args=[pdf_plan.pk]) in page
    assert "12/KH-CĐCS" in page and "15/08/2021" in page

    # Downloadable by whoever can see the unit, under its original name.
    for user in (world.reporter, world.approver, world.admin, world.viewer):
        response = login(Client(), user).get(reverse("plans:download", args=[pdf_plan.pk]))
        assert response.status_code == 200, user
        assert body_of(response) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert "Kế hoạch số 12.pdf" in unquote(response["Content-Disposition"])
    response = login(Client(), world.viewer).get(reverse("plans:download", args=[docx_plan.pk]))
    assert body_of(response) == word and response["Content-Type"] == DOCX_TYPE


def test_newest_upload_is_the_current_plan(client, world, program, media):
    login(client, world.reporter)
    upload(client, program, "AG.883.00001", "cu.pdf", PDF_BYTES, issued_on="2021-09-20")
    upload(client, program, "AG.883.00001", "moi.docx", docx_bytes(), issued_on="2021-08-30")
    assert [p.original_name for p in status.unit_plans(program, world.school)] == ["moi.docx", "cu.pdf"]
    deadline = program.deadlines.get(code="plan_grassroots")
    assert status.unit_status(deadline, world.school) == status.ON_TIME
    old, new = status.unit_plans(program, world.school).order_by("id")
    page = client.get(unit_url(program, "AG.883.00001")).content.decode()
    link = lambda plan: reverse("plans:download", args=[plan.pk])  # noqa: E731
    assert page.index(link(new)) < page.index(link(old))


REFUSED = [
    ("ke-hoach.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is a program, renamed", "not_pdf"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00 this is a program", "extension"),
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old Word", "extension"),
    ("ke-hoach", PDF_BYTES, "extension"),
    ("ke-hoach.docx", PDF_BYTES, "not_docx"),
    ("ke-hoach.docx", zip_bytes({"readme.txt": b"not a Word document"}), "not_docx"),
    ("ke-hoach.docx", b"PK\x03\x04 truncated zip", "not_docx"),
    ("ke-hoach.docx", docx_with({"word/vbaProject.bin": b"\x00" * 64}), "macro"),
    ("ke-hoach.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "code"), REFUSED, ids=[r[2] + ":" + r[0] for r in REFUSED])
def test_refused_files_nothing_stored(client, world, program, media, name, content, code):
    response = upload(login(client, world.reporter), program, "AG.883.00001", name, content)
    assert response.status_code == 400
    assert message(code) in response.content.decode()
    assert not ImplementationPlan.objects.exists()
    assert stored_files(media) == []


def test_oversized_file_refused_nothing_stored(client, world, program, media):
    content = b"%PDF-1.4\n" + b"0" * files.MAX_PLAN_SIZE  # a valid head, one size too many
    response = upload(login(client, world.reporter), program, "AG.883.00001", "lon.pdf", content)
    assert response.status_code == 400
    assert message("too_large") in response.content.decode()
    assert "&gt; 10 MB" in message("too_large")
    assert not ImplementationPlan.objects.exists()
    assert stored_files(media) == []


def test_size_limit_is_a_module_constant(client, world, program, media, monkeypatch):
    monkeypatch.setattr(files, "MAX_PLAN_SIZE", 100)
    response = upload(login(client, world.reporter), program, "AG.883.00001", "a.pdf", PDF_BYTES)
    assert response.status_code == 400 and not ImplementationPlan.objects.exists()
    assert response.status_code == 400 and stored_files(media) == []
    monkeypatch.setattr(files, "MAX_PLAN_SIZE", len(PDF_BYTES))
    assert upload(client, program, "AG.883.00001", "a.pdf", PDF_BYTES).status_code == 302


def test_a_large_valid_file_goes_through_a_temporary_file(client, world, program, media, settings):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE, Django spools the upload to disk: still checked and stored.
    big = docx_with({"word/media/image1.bin": bytes(range(256)) * 12_000})
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < len(big) < files.MAX_PLAN_SIZE
    response = upload(login(client, world.reporter), program, "AG.883.00001", "kh.docx", big)
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get()
    assert plan.size == len(big) and (media / plan.file.name).read_bytes() == big


@pytest.mark.parametrize(("name", "content", "code"), REFUSED, ids=[r[2] + ":" + r[0] for r in REFUSED])
def test_check_plan_file_codes(name, content, code):
    with pytest.raises(ValidationError) as error:
        files.check_plan_file(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_check_plan_file_accepts_and_reports(world):
    checked = files.check_plan_file(SimpleUploadedFile("C:\\fakepath\\Kế hoạch.PDF", PDF_BYTES))
    assert checked == files.CheckedFile("pdf", "application/pdf", "Kế hoạch.PDF", len(PDF_BYTES))
    assert files.check_plan_file(SimpleUploadedFile("kh.docx", docx_bytes())).content_type == DOCX_TYPE
    with pytest.raises(ValidationError) as error:
        files.check_plan_file(SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * files.MAX_PLAN_SIZE))
    assert error.value.code == "too_large"
    assert "10,1" in error.value.messages[0] and "10 MB" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        files.check_plan_file(None)
    assert error.value.code == "no_file"


def test_issue_date_and_number_are_checked(client, world, program, media):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    login(client, world.reporter)
    for issued_on, number, code in (
        (tomorrow.isoformat(), "1/KH", "future"),
        ("2019-12-31", "1/KH", "too_early"),
        ("2021-08-01", "   ", "no_number"),
        ("", "1/KH", "no_date"),
    ):
        response = upload(client, program, "AG.883.00001", "kh.pdf", PDF_BYTES, issued_on=issued_on, number=number)
        assert response.status_code == 400, code
        expected = files.MESSAGES[code] % {"year": program.term_start} if code == "too_early" else files.MESSAGES[code]
        assert escape(str(expected)) in response.content.decode(), code
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


def test_every_problem_shows_at_once(client, world, program, media):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = upload(login(client, world.reporter), program, "AG.883.00001", "setup.exe", b"MZ",
                      issued_on=tomorrow.isoformat(), number="")
    assert response.status_code == 400
    page = response.content.decode()
    for code in ("extension", "future", "no_number"):
        assert message(code) in page, code
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


def test_do_upload_plan_reports_every_problem(world, program, media):
    with pytest.raises(ValidationError) as error:
        do_upload_plan(program, world.school, SimpleUploadedFile("x.exe", b"MZ"), None, "", world.reporter)
    assert set(error.value.error_dict) == {"file", "issued_on", "document_number"}
    plan = do_upload_plan(program, world.province, SimpleUploadedFile("x.pdf", PDF_BYTES), D(2021, 3, 1),
                          "  01/CTr-LĐLĐ ", world.admin)
    assert plan.deadline is None  # no program deadline applies to the province itself
    assert plan.document_number == "01/CTr-LĐLĐ"
    assert len(stored_files(media)) == 1


def test_csrf_is_still_checked_on_upload(world, program, media):
    client = login(Client(enforce_csrf_checks=True), world.reporter)
    response = upload(client, program, "AG.883.00001", "kh.pdf", PDF_BYTES)
    assert response.status_code == 403
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


# --- permissions -----------------------------------------------------------------------------

def test_reporter_cannot_upload_for_a_sibling_or_see_its_plans(client, world, program, media):
    login(client, world.reporter)
    for code in ("AG.883.00002", "AG.884.00001", "AG.883"):
        assert upload(client, program, code, "kh.pdf", PDF_BYTES).status_code == 404, code
        assert client.get(unit_url(program, code)).status_code == 404, code
        assert client.get(status_url(program, code)).status_code == 404, code
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


def test_viewer_cannot_upload(client, world, program, media):
    for user, code in ((world.viewer, "AG"), (world.viewer, "AG.883.00001"), (world.sector_viewer, "AG.YT")):
        client = login(Client(), user)
        assert upload(client, program, code, "kh.pdf", PDF_BYTES).status_code == 403
        page = client.get(unit_url(program, code))
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' not in page.content.decode()
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


def test_approver_uploads_for_a_unit_below(client, world, program, media):
    response = upload(login(client, world.approver), program, "AG.883.00002", "kh.pdf", PDF_BYTES)
    assert response.status_code == 302
    assert ImplementationPlan.objects.get().unit == world.factory
    assert upload(client, program, "AG.884.00001", "kh.pdf", PDF_BYTES).status_code == 404


def test_downloading_another_branchs_plan_is_404(client, world, program, media):
    plan = do_upload_plan(program, world.school, SimpleUploadedFile("kh.pdf", PDF_BYTES), D(2021, 8, 1),
                                "1/KH", world.reporter)
    url = reverse("plans:download", args=[plan.pk])
    for user in (world.sibling_reporter, world.approver_cd, world.sector_viewer):
        assert login(Client(), user).get(url).status_code == 404, user
    assert login(Client(), world.approver).get(url).status_code == 200
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    assert login(Client(), world.admin).get(reverse("plans:download", args=[plan.pk + 99])).status_code == 404


def test_plans_home_opens_the_users_unit(client, world, program):
    response = login(client, world.reporter).get(reverse("plans:home"))
    assert response.status_code == 302
    assert response["Location"] == unit_url(program, "AG.883.00001")


# --- status per deadline ---------------------------------------------------------------------

def counts(c: status.PlanCounts) -> tuple[int, int, int, int]:
    return c.expected, c.on_time, c.late, c.missing


def test_status_per_deadline_for_the_province(scenario, program):
    upper, grassroots = status.plan_status(program, scenario.province)
    assert upper.deadline.code == "plan_upper_union" and grassroots.deadline.code == "plan_grassroots"

    assert counts(upper.total) == (3, 1, 1, 1)
    assert {c.code: counts(n) for c, n in upper.by_child} == {
        "AG.883": (1, 1, 0, 0), "AG.884": (1, 0, 1, 0), "AG.YT": (1, 0, 0, 1)}
    assert upper.own is None

    assert counts(grassroots.total) == (5, 2, 1, 2)
    assert {c.code: counts(n) for c, n in grassroots.by_child} == {
        "AG.883": (2, 1, 1, 0), "AG.884": (1, 0, 0, 1), "AG.YT": (2, 1, 0, 1)}
    assert grassroots.total.on_time_percent == 40
    assert grassroots.total.submitted_percent == 60
    assert grassroots.total.missing_percent == 40


def test_status_lists(scenario, program):
    upper, grassroots = program.deadlines.all()
    root = scenario.province

    def codes(deadline, which):
        return [u.code for u in status.units_with_status(deadline, root, which)]

    assert codes(upper, status.NOT_ON_TIME) == ["AG.884", "AG.YT"]
    assert codes(upper, status.ON_TIME) == ["AG.883"]
    assert codes(grassroots, status.NOT_ON_TIME) == ["AG.883.00002", "AG.884.00001", "AG.YT.00002"]
    assert codes(grassroots, status.LATE) == ["AG.883.00002"]
    assert codes(grassroots, status.MISSING) == ["AG.884.00001", "AG.YT.00002"]
    assert codes(grassroots, status.ON_TIME) == ["AG.883.00001", "AG.YT.00001"]

    late = status.units_with_status(grassroots, root, status.LATE).get()
    assert (late.plan_issued_on, late.plan_number) == (D(2021, 9, 15), "2/KH")
    hospital = status.units_with_status(grassroots, root, status.ON_TIME).get(code="AG.YT.00001")
    assert hospital.plan_issued_on == D(2021, 5, 1)
    missing = status.units_with_status(grassroots, root, status.MISSING).first()
    assert (missing.plan_issued_on, missing.contact_name, missing.phone) == (None, "Nguyễn Thị Lan", "0296 3861 234")

    # The state each row carries, for the list's status column (paging: plans/tests/test_status_list.py).
    states = [status.state_name(u.plan_state) for u in status.units_with_status(grassroots, root, status.NOT_ON_TIME)]
    assert states == [status.LATE, status.MISSING, status.MISSING] and len(states) == 3


def test_status_for_a_district_and_its_own_deadline(scenario, program):
    upper, grassroots = status.plan_status(program, scenario.long_xuyen)
    assert counts(upper.total) == (1, 1, 0, 0)
    assert upper.by_child == [] and upper.own == status.ON_TIME
    assert counts(grassroots.total) == (2, 1, 1, 0)
    assert {c.code: counts(n) for c, n in grassroots.by_child} == {
        "AG.883.00001": (1, 1, 0, 0), "AG.883.00002": (1, 0, 1, 0)}
    assert grassroots.own is None

    upper, grassroots = status.plan_status(program, scenario.health)
    assert upper.own == status.MISSING and counts(grassroots.total) == (2, 1, 0, 1)

    # A grassroots union's own status; none for a unit that did not exist on the due date.
    deadline = program.deadlines.get(code="plan_grassroots")
    assert status.unit_status(deadline, scenario.market) == status.MISSING
    assert status.unit_status(deadline, Unit.objects.get(code="AG.883.00003")) is None
    assert status.unit_status(deadline, Unit.objects.get(code="AG.884.00002")) is None
    upper, grassroots = status.plan_status(program, Unit.objects.get(code="AG.883.00003"))
    assert counts(upper.total) == counts(grassroots.total) == (0, 0, 0, 0)


def test_status_is_counted_in_a_fixed_number_of_queries(scenario, program):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            status.plan_status(program, scenario.province)
        return len(captured)

    before = queries()
    for i in range(30):
        unit = add_unit("AG.884", f"AG.884.1{i:04d}", UnitKind.GRASSROOTS)
        if i % 3:
            make_plan(program, unit, D(2021, 8, 1) if i % 2 else D(2021, 9, 1), scenario.admin)
    assert queries() == before <= 10
    _, grassroots = status.plan_status(program, scenario.province)
    assert counts(grassroots.total) == (35, 2 + 10, 1 + 10, 2 + 10)


def test_status_page(client, scenario, program):
    login(client, scenario.admin)
    response = client.get(status_url(program, "AG"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "30/06/2021" in page and "31/08/2021" in page
    assert "40,0%" in page  # grassroots on time: 2 of 5, with a Vietnamese decimal comma
    assert "33,3%" in page  # upper-level unions: 1 of 3 each
    assert "Liên đoàn Lao động thành phố Long Xuyên" in page
    # The default list: the first deadline's units late or missing.
    assert "Công đoàn ngành Y tế" in page
    assert reverse("plans:unit", args=[program.code, "AG.884"]) in page

    page = client.get(status_url(program, "AG"), {"deadline": "plan_grassroots", "show": "missing"}).content.decode()
    assert "Công đoàn Ban Quản lý chợ Châu Đốc" in page
    assert "Nguyễn Thị Lan" in page and 'href="tel:02963861234"' in page and "mailto:cdcs.chauDoc@example.vn" in page
    assert "AG.YT.00002" in page
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" not in page  # late, not missing
    assert "Đơn vị AG.883.00003" not in page

    page = client.get(status_url(program, "AG"), {"deadline": "plan_grassroots", "show": "late"}).content.decode()
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" in page and "15/09/2021" in page and "2/KH" in page


def test_status_page_of_a_district_for_its_approver(client, scenario, program):
    login(client, scenario.approver)
    page = client.get(status_url(program, "AG.883"), {"deadline": "plan_grassroots", "show": "not_on_time"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" in body
    assert "Công đoàn Ban Quản lý chợ Châu Đốc" not in body  # another branch
    assert client.get(status_url(program, "AG")).status_code == 404
    assert client.get(status_url(program, "AG.884")).status_code == 404
