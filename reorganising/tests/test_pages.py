"""The reorganisation tool through HTTP: prepare (a spreadsheet, a YAML file, units picked on the
page), preview, apply, undo; the province administrator's only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.testing import login
from audit.models import AuditEntry
from reorganising import sheets
from reorganising.models import ReorganisationDraft
from tests.factories import PeriodFactory
from units.models import Reorganisation, Unit

pytestmark = pytest.mark.django_db

HEADER = {"code": "2025-07-thu", "title": "Sắp xếp thử", "reason": "Bỏ cấp huyện", "document_number": "12/QĐ",
          "document_date": "2025-06-30"}


def xlsx(*rows, headers=sheets.HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheets.SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "sap-xep.xlsx"
    return out


GOOD_ROWS = (
    ("tạo mới", "AG.CX.1", "Công đoàn phường Long Xuyên", "Công đoàn xã, phường, đặc khu", "AG", "", "01/07/2025"),
    ("giải thể", "AG.883", "", "", "", "AG.CX.1", "01/07/2025", "Bỏ cấp huyện"),
)


def upload(client, file, **fields):
    return client.post(reverse("reorganising:upload"), {**HEADER, **fields, "file": file})


def test_only_the_province_administrator_reaches_the_tool(client, world):
    for user in (world.approver, world.viewer, world.reporter):
        login(client, user)
        assert client.get(reverse("reorganising:batches")).status_code == 403
        assert upload(client, xlsx(*GOOD_ROWS)).status_code == 403
    assert not ReorganisationDraft.objects.exists()
    login(client, world.admin)
    page = client.get(reverse("reorganising:batches"))
    assert page.status_code == 200 and "Sắp xếp tổ chức" in page.content.decode()


def test_the_template_has_the_columns_of_the_batch_format(client, world):
    login(client, world.admin)
    response = client.get(reverse("reorganising:template"))
    sheet = load_workbook(io.BytesIO(response.content))[sheets.SHEET]
    assert tuple(c.value for c in sheet[1]) == sheets.HEADERS


def test_every_bad_row_is_named_by_its_sheet_row_and_column(client, world):
    login(client, world.admin)
    response = upload(client, xlsx(
        ("chuyển", "AG.883.00001", "", "", "", "", "01/07/2025"),        # row 2: no new parent
        ("biến mất", "AG.883", "", "", "", "", "01/07/2025"),             # row 3: no such action
        ("giải thể", "AG.884", "", "", "", "", "31/02/2025"),             # row 4: no such day
    ))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Thay đổi”, dòng 2, cột E" in text
    assert "Thay đổi”, dòng 3, cột A" in text
    assert "Thay đổi”, dòng 4, cột G" in text
    assert not ReorganisationDraft.objects.exists()


def test_an_unknown_code_is_named_by_its_row(client, world):
    login(client, world.admin)
    response = upload(client, xlsx(("giải thể", "AG.NOPE", "", "", "", "", "01/07/2025")))
    assert response.status_code == 400
    assert "dòng 2" in response.content.decode() and "AG.NOPE" in response.content.decode()


def test_a_spreadsheet_is_previewed_applied_and_undone(client, world, program):
    PeriodFactory(year=2025)
    login(client, world.admin)
    response = upload(client, xlsx(*GOOD_ROWS))
    draft = ReorganisationDraft.objects.get()
    assert response.url == reverse("reorganising:draft", args=[draft.pk])
    preview = client.get(response.url).content.decode()
    assert "Hậu quả nếu áp dụng bây giờ" in preview
    assert "AG.883.00001 — AG.883 → AG.CX.1" in preview  # a grassroots union moves to the successor
    assert world.approver.username in preview  # Long Xuyên's approver becomes read-only
    assert not Reorganisation.objects.exists() and not Unit.objects.filter(code="AG.CX.1").exists()

    refused = client.post(reverse("reorganising:apply", args=[draft.pk]))
    assert refused.status_code == 400 and not Reorganisation.objects.exists()
    applied = client.post(reverse("reorganising:apply", args=[draft.pk]), {"confirm": "yes"})
    batch = Reorganisation.objects.get(code="2025-07-thu")
    assert applied.url == reverse("reorganising:batch", args=[batch.code])
    assert batch.applied_by == world.admin and batch.document_number == "12/QĐ"
    assert Unit.objects.get(code="AG.883").valid_to is not None and not ReorganisationDraft.objects.exists()
    listing = client.get(reverse("reorganising:batches")).content.decode()
    assert "2025-07-thu" in listing and "12/QĐ" in listing

    client.post(reverse("reorganising:undo", args=[batch.code]), {"confirm": "yes"})
    batch.refresh_from_db()
    assert batch.undone_by == world.admin
    assert Unit.objects.get(code="AG.883").valid_to is None and not Unit.objects.filter(code="AG.CX.1").exists()
    events = set(AuditEntry.objects.filter(actor=world.admin).values_list("additional_data__event", flat=True))
    assert {"reorganisation draft prepared", "reorganisation applied", "reorganisation undone"} <= events


def test_an_undo_is_refused_while_a_later_batch_changes_the_same_units(client, world):
    login(client, world.admin)
    for code, to in (("first", "AG.884"), ("second", "AG.YT")):
        upload(client, xlsx(("chuyển", "AG.883.00001", "", "", to, "", "01/07/2025")), code=code)
        client.post(reverse("reorganising:apply", args=[ReorganisationDraft.objects.get().pk]), {"confirm": "yes"})
    response = client.post(reverse("reorganising:undo", args=["first"]), {"confirm": "yes"})
    assert response.status_code == 409
    assert "Hãy hoàn tác second trước" in response.content.decode()
    assert Reorganisation.objects.get(code="first").is_applied


def test_a_yaml_batch_file_is_read_with_its_lines(client, world):
    login(client, world.admin)
    good = (b"batch: {code: y1, title: Thu}\nchanges:\n"
            b"  - {change: move, unit: AG.883.00001, to: AG.884, on: 2025-07-01}\n")
    file = io.BytesIO(good)
    file.name = "batch.yaml"
    response = client.post(reverse("reorganising:upload"), {"file": file})
    assert ReorganisationDraft.objects.get().code == "y1", response.content.decode()[:2000]
    bad = io.BytesIO(good.replace(b"to: AG.884", b"to: AG.NOPE").replace(b"y1", b"y2"))
    bad.name = "bad.yaml"
    text = client.post(reverse("reorganising:upload"), {"file": bad}).content.decode()
    assert "dòng 3" in text and "AG.NOPE" in text


def test_units_picked_on_the_page_make_a_batch(client, world):
    login(client, world.admin)
    client.post(reverse("reorganising:new_draft"), {"code": "picked", "title": "Chọn trên trang"})
    draft = ReorganisationDraft.objects.get()
    found = client.get(reverse("reorganising:draft", args=[draft.pk]) + "?q=my binh").content.decode()
    assert 'value="AG.883.00001"' in found  # "Mỹ Bình" without its accents
    client.post(reverse("reorganising:add_change", args=[draft.pk]),
                {"action": "move", "picked": ["AG.883.00001"], "target": "AG.884", "on": "2025-07-01",
                 "reason": "Sáp nhập"})
    draft.refresh_from_db()
    assert draft.data["changes"] == [{"change": "move", "units": ["AG.883.00001"], "to": "AG.884",
                                      "on": "2025-07-01", "reason": "Sáp nhập"}]
    refused = client.post(reverse("reorganising:add_change", args=[draft.pk]),
                          {"action": "dissolve", "units": "AG.NOPE", "on": "2025-07-01"})
    assert refused.status_code == 400 and "AG.NOPE" in refused.content.decode()
    draft.refresh_from_db()
    assert len(draft.data["changes"]) == 1
    client.post(reverse("reorganising:apply", args=[draft.pk]), {"confirm": "yes"})
    assert Unit.objects.get(code="AG.883.00001").parent_path == Unit.objects.get(code="AG.884").path
