"""Accounts in bulk from a spreadsheet: real .xlsx files built with openpyxl, uploaded, previewed,
confirmed; a file with one bad row creates nothing; each new person gets a "set your password"
mail whose link works, and no password appears anywhere."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.bulk import HEADERS, SHEET, UNITS_SHEET
from accounts.models import Role, User
from accounts.testing import login
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="token" value="([A-Za-z0-9_-]{32})"')
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "Mua-lua-2026-chin"


@pytest.fixture(autouse=True)
def _media(media):
    """The waiting file is kept under MEDIA_ROOT (reporting.uploads): a folder of the test's own."""


def xlsx(rows, headers=HEADERS, sheet=SHEET) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("tai-khoan.xlsx", out.getvalue())


GOOD = [
    ("AG.883.00001", "Nguyễn Thị Lan", "lan.cdcs@example.vn", "Người báo cáo"),
    ("AG.883.00002", "Trần Văn Hùng", "Hung.May@Example.vn", "người xem"),
]


def upload(client, unit_code, rows, **kwargs):
    return client.post(reverse("accounts_bulk", args=[unit_code]), {"file": xlsx(rows, **kwargs)})


def confirm(client, unit_code, preview):
    token = TOKEN.search(preview.content.decode()).group(1)
    return client.post(reverse("accounts_bulk_confirm", args=[unit_code]), {"token": token})


def test_the_template_has_vietnamese_headers_and_lists_the_units(client, world):
    login(client, world.approver)
    response = client.get(reverse("accounts_bulk_template", args=["AG.883"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook[SHEET][1]] == ["Mã đơn vị", "Họ và tên", "Email", "Vai trò"]
    listed = [row[0] for row in workbook[UNITS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert listed == ["AG.883.00001", "AG.883.00002"]  # below the approver's own unit, not it


def test_preview_then_confirm_creates_the_accounts_and_mails_each_a_working_link(client, world):
    login(client, world.admin)
    preview = upload(client, "AG.883", GOOD)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Xác nhận: sẽ tạo 2 tài khoản" in page and "Nguyễn Thị Lan" in page
    assert not User.objects.filter(email="lan.cdcs@example.vn").exists()  # the preview writes nothing

    saved = confirm(client, "AG.883", preview)
    assert saved.status_code == 200 and "Đã tạo 2 tài khoản" in saved.content.decode()
    lan = User.objects.get(username="lan.cdcs@example.vn")
    hung = User.objects.get(username="hung.may@example.vn")
    assert (lan.unit, lan.role, lan.get_full_name()) == (world.school, Role.REPORTER, "Nguyễn Thị Lan")
    assert (hung.unit, hung.role, hung.email) == (world.factory, Role.VIEWER, "hung.may@example.vn")
    assert not lan.has_usable_password()
    assert AuditEntry.objects.get_for_object(lan).get().actor == world.admin

    assert sorted(m.to[0] for m in mail.outbox) == ["hung.may@example.vn", "lan.cdcs@example.vn"]
    message = next(m for m in mail.outbox if m.to == ["lan.cdcs@example.vn"])
    assert "đặt mật khẩu" in message.subject and "Tên đăng nhập của bạn: lan.cdcs@example.vn" in message.body
    assert "Người báo cáo của Công đoàn Trường Tiểu học Mỹ Bình" in message.body

    client.logout()
    step = client.get(LINK.search(message.body).group(1))
    set_password = client.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert set_password.status_code == 302
    lan.refresh_from_db()
    assert lan.check_password(NEW_PASSWORD)


def test_one_bad_row_creates_nothing_and_is_named_by_row_and_column(client, world):
    login(client, world.admin)
    rows = [*GOOD, ("AG.883.00001", "Lê Văn Tám", "khong-phai-email", "Người báo cáo")]
    response = upload(client, "AG.883", rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "dòng 4, cột C" in page and "không phải địa chỉ email" in page
    assert 'name="token"' not in page  # nothing to confirm
    assert not User.objects.filter(email__in=["lan.cdcs@example.vn", "hung.may@example.vn"]).exists()
    assert mail.outbox == []


def test_the_confirmation_checks_the_file_again_and_creates_nothing_when_it_went_wrong(client, world):
    login(client, world.admin)
    preview = upload(client, "AG.883", GOOD)
    # Someone takes one of the addresses between the preview and the confirmation.
    world.approver.email = "lan.cdcs@example.vn"
    world.approver.save()
    refused = confirm(client, "AG.883", preview)
    assert refused.status_code == 400
    assert "Đã có tài khoản với địa chỉ email lan.cdcs@example.vn" in refused.content.decode()
    assert not User.objects.filter(username="hung.may@example.vn").exists()


def test_duplicates_are_refused_in_the_file_and_against_existing_accounts(client, world):
    world.reporter.email = "da-co@example.vn"
    world.reporter.save()
    world.viewer.username = "login-la-email@example.vn"
    world.viewer.save()
    before = User.objects.count()
    login(client, world.admin)
    rows = [
        ("AG.883.00001", "Nguyễn Thị Lan", "lan.cdcs@example.vn", "Người báo cáo"),
        ("AG.883.00002", "Nguyễn Thị Lan", "LAN.CDCS@example.vn", "Người báo cáo"),
        ("AG.883.00002", "Ai Đó", "da-co@example.vn", "Người xem"),
        ("AG.883.00002", "Người Dùng", "reporter", "Người xem"),
        ("AG.883.00002", "Tên Đăng Nhập", "Login-La-Email@example.vn", "Người xem"),
    ]
    page = upload(client, "AG.883", rows).content.decode()
    assert "lan.cdcs@example.vn đã có ở dòng 2" in page
    assert "Đã có tài khoản với địa chỉ email da-co@example.vn" in page
    assert "dòng 5, cột C" in page  # "reporter" is no email address (and is a login already)
    assert "Đã có tài khoản với địa chỉ email login-la-email@example.vn" in page  # someone's login
    assert User.objects.count() == before


def test_units_outside_the_uploaders_subtree_and_roles_they_may_not_give_are_refused(client, world):
    login(client, world.approver)  # Long Xuyên's approver
    rows = [
        ("AG.884.00001", "Ngoài Quận", "ngoai@example.vn", "Người báo cáo"),  # Châu Đốc's: not theirs
        ("AG.883", "Cùng Cấp", "cung-cap@example.vn", "Người báo cáo"),       # their own unit
        ("AG.883.00001", "Duyệt Viên", "duyet@example.vn", "Người duyệt"),    # a role that approves
        ("AG.883.00002", "Được Phép", "duoc@example.vn", "Người báo cáo"),
    ]
    response = upload(client, "AG.883", rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "AG.884.00001 không phải mã của một đơn vị thuộc" in page  # as if it did not exist
    assert "Bạn không được cấp vai trò “Người báo cáo” tại AG.883" in page
    assert "Bạn không được cấp vai trò “Người duyệt” tại AG.883.00001" in page
    assert not User.objects.filter(email="duoc@example.vn").exists()
    # Another district's page is not theirs to open.
    assert client.get(reverse("accounts_bulk", args=["AG.884"])).status_code == 404


def test_a_file_without_the_template_headers_is_refused(client, world):
    login(client, world.admin)
    response = upload(client, "AG.883", GOOD, headers=("Code", "Name", "Mail", "Role"))
    assert response.status_code == 400
    assert "Dòng đầu tiên phải là tiêu đề của mẫu" in response.content.decode()


def test_no_password_on_any_page(client, world):
    login(client, world.admin)
    preview = upload(client, "AG.883", GOOD)
    saved = confirm(client, "AG.883", preview)
    for response in (preview, saved):
        assert 'type="password"' not in response.content.decode()
    assert all(not user.has_usable_password() for user in User.objects.filter(username__contains="@"))


def test_a_token_is_used_once(client, world):
    login(client, world.admin)
    preview = upload(client, "AG.883", GOOD)
    assert confirm(client, "AG.883", preview).status_code == 200
    again = confirm(client, "AG.883", preview)
    assert again.status_code == 400 and "không còn chờ xác nhận" in again.content.decode()
    assert User.objects.filter(email="lan.cdcs@example.vn").count() == 1


def test_creating_is_all_or_nothing(world):
    """An account taken between the last check and the insert (the unique login) undoes the ones
    created before it in the same file."""
    from accounts.actions import AccountsTaken, do_create_accounts
    from accounts.bulk import NewAccount

    accounts = [NewAccount(2, world.school, "Nguyễn Thị Lan", "lan.cdcs@example.vn", Role.REPORTER),
                NewAccount(3, world.factory, "Trùng Tên", "reporter", Role.VIEWER)]  # "reporter" exists
    with pytest.raises(AccountsTaken):
        do_create_accounts(accounts)
    assert not User.objects.filter(username="lan.cdcs@example.vn").exists()
    assert mail.outbox == []


def test_a_mail_server_that_is_down_leaves_the_accounts_and_says_so(client, world, settings, monkeypatch):
    import smtplib

    def refuse(self, messages):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    login(client, world.admin)
    saved = confirm(client, "AG.883", upload(client, "AG.883", GOOD))
    assert saved.status_code == 200
    assert "không gửi được" in saved.content.decode()
    assert User.objects.filter(username__in=["lan.cdcs@example.vn", "hung.may@example.vn"]).count() == 2
