"""Documents without waiting, with the real job worker (django-tasks-db's worker loop on the test
database): a document is built once by the worker while the page shows its progress, kept, given
to every later request, and rebuilt only when its data changed."""

import shutil
import subprocess
from io import BytesIO

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.testing import login
from exports import jobs as document_jobs
from exports.models import DocumentBuild
from jobs.testing import run_jobs
from reporting.actions import do_approve
from reporting.models import Report

pytestmark = pytest.mark.django_db


def download(unit, fmt, kind="yearly_review", year=2024):
    return reverse("exports:download", args=[unit.code, kind, year, fmt])


def preview(unit, kind="yearly_review", year=2024):
    return reverse("exports:preview", args=[unit.code, kind, year])


@pytest.fixture
def builds_counted(monkeypatch):
    """How many times the worker really built a document (the real builder, counted)."""
    made = []
    real = document_jobs.build_document

    def counted(*args, **kwargs):
        made.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(document_jobs, "build_document", counted)
    return made


def test_a_document_asked_for_twice_is_built_once(client, world, reported, builds_counted):
    approver = login(client, world.approver)
    waiting = approver.get(download(world.long_xuyen, "docx"))
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    page = waiting.content.decode()
    assert "Chờ đến lượt" in page and 'hx-trigger="every 2s"' in page, "the page shows the build's progress"
    # The same document asked for again, by the same user and by another, while it waits.
    assert "build-status" in approver.get(download(world.long_xuyen, "docx")).content.decode()
    assert "build-status" in login(Client(), world.admin).get(download(world.long_xuyen, "docx")).content.decode()
    assert DocumentBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1
    run_jobs()
    assert len(builds_counted) == 1
    for user in (world.approver, world.admin):
        response = login(Client(), user).get(download(world.long_xuyen, "docx"))
        assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ket-qua-2024-AG.883.docx"'
        text = "\n".join(p.text for p in docx.Document(BytesIO(b"".join(response.streaming_content))).paragraphs)
        assert "BÁO CÁO" in text and "LONG XUYÊN" in text.upper()
    run_jobs()
    assert len(builds_counted) == 1, "the kept file was given; nothing was built again"


def test_a_changed_report_makes_the_next_request_rebuild(client, world, reported, builds_counted):
    login(client, world.admin)
    client.get(download(world.province, "xlsx"))
    run_jobs()
    first = DocumentBuild.objects.get()
    first_file = first.file.path
    sheet = openpyxl.load_workbook(BytesIO(b"".join(client.get(download(world.province, "xlsx")).streaming_content)))
    first_stamp = first.data_stamp
    assert first_stamp and any(first_stamp in str(cell.value) for row in sheet.active.iter_rows() for cell in row)
    # Châu Đốc's submitted report is approved: the province's figures change.
    report = Report.objects.get(unit=world.chau_doc, period=reported)
    do_approve(report, world.admin, report.version)
    again = client.get(download(world.province, "xlsx"))
    assert not again.streaming, "the kept file is from older data: it must not be given"
    assert "build-status" in again.content.decode(), "… it is built again, and the page shows the progress"
    run_jobs()
    assert len(builds_counted) == 2
    second = DocumentBuild.objects.get()  # the older build and its file are gone
    assert second.pk != first.pk and second.data_stamp != first_stamp
    assert not shutil.os.path.exists(first_file)
    workbook = openpyxl.load_workbook(BytesIO(b"".join(client.get(download(world.province, "xlsx")).streaming_content)))
    assert any(second.data_stamp in str(cell.value) for row in workbook.active.iter_rows() for cell in row)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_downloaded_is_a_real_pdf(client, world, reported, tmp_path):
    login(client, world.approver)
    client.get(download(world.long_xuyen, "pdf"))
    run_jobs()
    response = client.get(download(world.long_xuyen, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "BÁO CÁO" in text and "Số liệu tính đến" in " ".join(text.split())


def test_the_preview_waits_on_its_progress_then_shows_the_document(client, world, reported):
    login(client, world.approver)
    waiting = client.get(preview(world.long_xuyen)).content.decode()
    build = DocumentBuild.objects.get(format="html")
    status_url = reverse("exports:build", args=[build.pk])
    assert status_url in waiting
    polled = client.get(status_url, HTTP_HX_REQUEST="true")
    assert "Chờ đến lượt" in polled.content.decode() and "HX-Refresh" not in polled
    run_jobs()
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "Tài liệu đã sẵn sàng" in done.content.decode()
    page = client.get(preview(world.long_xuyen)).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Nơi nhận:" in page and "build-status" not in page


def test_a_saved_narrative_makes_the_next_preview_rebuild(client, world, reported):
    login(client, world.admin)
    client.get(preview(world.province))
    run_jobs()
    form = client.get(reverse("exports:narratives", args=["AG", "yearly_review", 2024]))
    assert form.status_code == 200
    client.post(reverse("exports:narratives", args=["AG", "yearly_review", 2024]),
                {"achievements": "Năm 2024 có nhiều chuyển biến tích cực.", "recipients": "- Lưu: VT", "version": ""})
    assert "build-status" in client.get(preview(world.province)).content.decode()
    run_jobs()
    assert "Năm 2024 có nhiều chuyển biến tích cực." in client.get(preview(world.province)).content.decode()


def test_a_build_that_keeps_failing_is_reported_and_can_be_tried_again(client, world, reported, monkeypatch,
                                                                        settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0

    def broken(*args, **kwargs):
        raise RuntimeError("the writer failed")

    monkeypatch.setattr(document_jobs, "build_document", broken)
    login(client, world.approver)
    client.get(download(world.long_xuyen, "pdf"))
    run_jobs()
    build = DocumentBuild.objects.get()
    assert build.failed and build.attempts == 3 and "the writer failed" in build.error
    assert DBTaskResult.objects.get().status == "FAILED"
    status = client.get(reverse("exports:build", args=[build.pk])).content.decode()
    assert "Không tạo được tài liệu" in status and "Thử lại" in status
    monkeypatch.undo()
    client.get(download(world.long_xuyen, "pdf"))  # "Thử lại": the same link
    build.refresh_from_db()
    assert build.state == DocumentBuild.State.QUEUED
    run_jobs()
    assert client.get(download(world.long_xuyen, "pdf"))["Content-Type"] == "application/pdf"


def test_a_build_of_a_unit_outside_the_subtree_is_404(client, world, reported):
    login(client, world.admin)
    client.get(download(world.chau_doc, "docx"))
    build = DocumentBuild.objects.get()
    login(client, world.approver)  # Long Xuyên's
    assert client.get(reverse("exports:build", args=[build.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_build_once(program_loaded, monkeypatch):
    """Two real requests on two threads (two database connections), both past the lookup that
    found no build before either writes its own: the unique build lets one through."""
    import datetime
    import threading

    from django.db import connection

    from accounts.testing import build_world
    from exports import building
    from reporting.actions import do_open_period

    world = build_world()
    do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    both_looked = threading.Barrier(2, timeout=10)
    real_new = building._new

    def new_after_both_looked(key, user):
        both_looked.wait()
        return real_new(key, user)

    monkeypatch.setattr(building, "_new", new_after_both_looked)
    got, errors = {}, []

    def ask(user):
        try:
            got[user.username] = building.request_build(user, program_loaded, world.long_xuyen, "yearly_review",
                                                         2024, "pdf").pk
        except Exception as error:  # noqa: BLE001 (shown by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(user,)) for user in (world.approver, world.admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert len(set(got.values())) == 1 and DocumentBuild.objects.count() == 1
    # (Opening the period queued the notifications' mail job too: only the build jobs are counted.)
    builds = DBTaskResult.objects.filter(task_path="exports.jobs.build_document_file")
    assert builds.count() == 1, "one build, one job"
