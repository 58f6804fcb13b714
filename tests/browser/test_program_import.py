"""Reading a new program from its document on a phone: upload, review beside the document,
correct and reject, download a program file that passes check_program."""

import pytest

from accounts.testing import build_world
from exports.writers.docx import write_docx
from programs.definition import check_program
from programs.loading import load_program
from programs.management.commands.load_program import DEFAULT_FILE
from programs.testing import SEED_FILE
from programs.tests.seed_documents import program_document
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_reviews_a_program_read_from_its_word_file(live_server, phone_page, tmp_path):
    build_world()
    program, _ = load_program(DEFAULT_FILE)
    document = tmp_path / "chuong-trinh.docx"
    document.write_bytes(write_docx(program_document(SEED_FILE.read_text(encoding="utf-8"))))
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    page.goto(live_server.url + program.get_absolute_url())
    page.get_by_role("link", name="Đọc chương trình mới từ văn bản").click()
    assert_fits_width(page)
    screenshot(page, "program-import", full_page=False)

    page.get_by_label("Văn bản (.docx, .pdf hoặc .txt)").set_input_files(str(document))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.get_by_role("heading", name="Xem lại bản nháp chương trình").wait_for()
    assert page.get_by_text("hệ thống đọc được 14 mục, 7 mục tiêu, 22 chỉ tiêu và 39 nhiệm vụ").is_visible()
    assert_fits_width(page)
    screenshot(page, "program-import-review-top", full_page=False)

    t03 = page.locator("#T03")
    t03.scroll_into_view_if_needed()
    assert "> 80% · đến cuối nhiệm kỳ · công đoàn cơ sở" in t03.locator("legend").inner_text()
    t03.get_by_label("giá trị").fill("85")
    screenshot(page, "program-import-review-target", full_page=False)
    page.locator("#T05").get_by_label("Bỏ").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Kiểm tra và tải về tệp chương trình").click()
    saved = tmp_path / "draft.yaml"
    download.value.save_as(saved)
    assert check_program(saved) == []
    text = saved.read_text(encoding="utf-8")
    assert "code: \"T05\"" not in text and "value: 85" in text
