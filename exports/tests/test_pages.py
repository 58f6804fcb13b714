"""The document pages through HTTP: who may see, download and write what; and the command."""

import datetime
from io import BytesIO, StringIO

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import PASSWORD, login
from exports.models import Kind, Narrative
from exports.testing import fetch_built

pytestmark = pytest.mark.django_db


def preview(unit, kind="yearly_review", year=2024):
    return reverse("exports:preview", args=[unit.code, kind, year])


def download(unit, fmt, kind="yearly_review", year=2024):
    return reverse("exports:download", args=[unit.code, kind, year, fmt])


def test_the_province_previews_and_downloads_its_document(client, world, reported):
    login(client, world.admin)
    choose = client.get(reverse("exports:index"))
    assert choose.status_code == 200 and "Liên đoàn Lao động thành phố Châu Đốc" in choose.content.decode()
    assert "Công đoàn Trường Tiểu học Mỹ Bình" not in choose.content.decode(), "no documents for grassroots unions"
    redirect = client.get(reverse("exports:index"), {"unit": "AG", "kind": "yearly_review", "year": 2024,
                                                     "format": "pdf", "action": "preview"})
    assert redirect.status_code == 302 and redirect["Location"] == preview(world.province)
    page = fetch_built(client, preview(world.province)).content.decode()
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG", "BÁO CÁO", "Nơi nhận:", "PHỤ LỤC"):
        assert words in page
    response = fetch_built(client, download(world.province, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ket-qua-2024-AG.docx"'
    assert docx.Document(BytesIO(b"".join(response.streaming_content))).paragraphs[0].text == "BÁO CÁO"
    xlsx = fetch_built(client, download(world.province, "xlsx", kind="term_review", year=2025))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('2021-2025-AG.xlsx"')


def test_a_unit_outside_the_subtree_is_404(client, world, reported):
    login(client, world.reporter)  # a grassroots union of Long Xuyên
    assert client.get(preview(world.province)).status_code == 404
    assert client.get(download(world.province, "pdf")).status_code == 404
    assert client.get(download(world.long_xuyen, "docx")).status_code == 404
    assert client.get(preview(world.school)).status_code == 404, "no document for a grassroots union"
    login(client, world.approver)  # Long Xuyên
    assert client.get(preview(world.long_xuyen)).status_code == 200
    assert client.get(download(world.chau_doc, "docx")).status_code == 404
    assert client.get(download(world.province, "xlsx")).status_code == 404


def test_unknown_choices_are_404(client, world, reported):
    login(client, world.admin)
    assert client.get(download(world.province, "odt")).status_code == 404
    assert client.get(preview(world.province, year=2019)).status_code == 404
    assert client.get(preview(world.province, kind="term_review", year=2024)).status_code == 404
    assert client.get(preview(world.province, kind="monthly")).status_code == 404
    assert client.get(preview(world.school)).status_code == 404


def test_narratives_are_written_by_who_enters_the_units_data(client, world, reported):
    url = reverse("exports:narratives", args=["AG.883", "yearly_review", 2024])
    login(client, world.approver)
    form = client.get(url)
    assert form.status_code == 200
    assert "TM. BAN THƯỜNG VỤ" in form.content.decode()  # the signature starts from the defaults
    response = client.post(url, {
        "achievements": "Long Xuyên đã hoàn thành tốt nhiều chỉ tiêu.", "shortcomings": "", "causes": "",
        "directions": "", "number": "07", "issued_on": "2025-01-20", "signer_on_behalf": "TM. BAN THƯỜNG VỤ",
        "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn B", "recipients": "LĐLĐ tỉnh\nLưu: VT",
    })
    assert response.status_code == 302
    saved = Narrative.objects.get(unit=world.long_xuyen, kind=Kind.YEARLY_REVIEW, year=2024)
    assert saved.updated_by == world.approver and saved.issued_on == datetime.date(2025, 1, 20)
    page = fetch_built(client, preview(world.long_xuyen)).content.decode()
    assert "Long Xuyên đã hoàn thành tốt nhiều chỉ tiêu." in page and "Nguyễn Văn B" in page
    assert "Số: 07/BC-LĐLĐ" in page and "Long Xuyên, ngày 20 tháng 01 năm 2025" in page
    assert "- LĐLĐ tỉnh;" in page and "- Lưu: VT." in page
    # Others: outside the subtree 404, a viewer 403, the province's text only for its staff.
    login(client, world.approver_cd)
    assert client.get(url).status_code == 404
    login(client, world.viewer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("exports:narratives", args=["AG", "yearly_review", 2024])).status_code == 403
    login(client, world.admin)
    assert client.get(reverse("exports:narratives", args=["AG", "term_review", 2025])).status_code == 200
    staff = User(username="ban_tuyen_giao", unit=world.province, role=Role.REPORTER, department="propaganda")
    staff.set_password(PASSWORD)
    staff.save()
    login(client, staff)  # department staff of the province write the province's documents
    assert client.get(reverse("exports:narratives", args=["AG", "yearly_review", 2024])).status_code == 200


def test_make_report_writes_the_file(world, reported, tmp_path):
    output = tmp_path / "lx.docx"
    call_command("make_report", "--unit", "AG.883", "--year", "2024", "--kind", "yearly_review", "--format", "docx",
                 "-o", str(output), "--number", "5", "--date", "05/02/2025", stdout=StringIO())
    word = docx.Document(str(output))
    header = word.tables[0]
    assert header.rows[1].cells[0].text == "Số: 5/BC-LĐLĐ"
    assert header.rows[1].cells[1].text == "Long Xuyên, ngày 05 tháng 02 năm 2025"
    with pytest.raises(CommandError):
        call_command("make_report", "--unit", "AG.883.00001", "--year", "2024", "-o", str(output))
    with pytest.raises(CommandError):
        call_command("make_report", "--unit", "AG", "--kind", "term_review", "--year", "2024", "-o", str(output))
