"""The program page on a phone: readable, and the province records a task's progress in place."""

import pytest

from accounts.testing import build_world
from programs.loading import load_program
from programs.management.commands.load_program import DEFAULT_FILE
from tests.browser.conftest import assert_fits_width, log_in, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_page_on_a_phone_and_task_follow_up(live_server, phone_page):
    build_world()
    program, _ = load_program(DEFAULT_FILE)
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")

    open_menu(page)
    page.get_by_role("link", name="Chương trình", exact=True).click()
    page.wait_for_url(f"**{program.get_absolute_url()}")
    assert page.get_by_role("heading", name="Các chỉ tiêu").first.is_visible()
    assert_fits_width(page)
    screenshot(page, "program-page-top", full_page=False)

    target = page.locator("#T19")
    target.get_by_text("Cách tính").click()
    assert target.get_by_text("tổng “Số đoàn viên công đoàn” của công đoàn cơ sở").is_visible()
    screenshot(page, "program-page-target", full_page=False)

    task = page.locator("#task_II_2_5_02")
    task.scroll_into_view_if_needed()
    assert not task.get_by_text("Cập nhật tiến độ", exact=True).is_visible(), "a task is folded to its summary"
    task.locator("summary").first.click()  # one tap: the full text and the follow-up
    task.get_by_text("Cập nhật tiến độ", exact=True).click()
    task.get_by_label("Tình trạng").select_option("in_progress")
    task.get_by_label("Ghi chú").fill("Đã thành lập 12 CĐCS mới ở doanh nghiệp ngoài nhà nước.")
    task.get_by_role("button", name="Lưu").click()
    task.get_by_text("Đã thành lập 12 CĐCS mới").wait_for()
    assert task.locator(".followup .badge.status-in_progress").inner_text() == "Đang thực hiện"
    assert task.locator("summary .badge.status-in_progress").inner_text() == "Đang thực hiện", "badge swapped too"
    assert page.url.endswith(program.get_absolute_url()), "htmx updated the task in place"
    screenshot(page, "program-task-followup", full_page=False)


def test_the_follow_up_overview_opens_a_departments_tasks_on_a_phone(live_server, phone_page):
    """One tap on a count of the overview lists the tasks it counts; one more opens a task's full text."""
    build_world()
    program, _ = load_program(DEFAULT_FILE)
    page = phone_page
    log_in(page, live_server.url, "viewer")
    page.wait_for_url("**/dashboards/")
    page.goto(live_server.url + program.get_absolute_url())
    overview = page.locator("#task-overview")
    assert overview.is_visible() and overview.bounding_box()["y"] < 1200, "the overview is near the top"
    assert_fits_width(page)
    screenshot(page, "program-task-overview", full_page=False)
    row = overview.locator("tr", has_text="Ban Chính sách - Pháp luật")
    row.get_by_role("link", name="7").first.click()  # every task of the department: no note yet
    page.wait_for_url("**/tasks/?department=policy_law&status=none")
    assert page.locator("li.task").count() == 7
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Nhiệm vụ: Ban Chính sách - Pháp luật · chưa cập nhật (7)"
    task = page.locator("li.task").first
    assert not task.locator(".task-meta").is_visible()
    task.locator("summary").click()
    assert task.locator(".task-meta").is_visible()
    assert task.get_by_text("Ban theo dõi: Ban Chính sách - Pháp luật").is_visible()
    assert_fits_width(page)
    screenshot(page, "program-task-list", full_page=False)
