"""The program page and task follow-up, through HTTP."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import PASSWORD, login
from programs.models import Department, TaskProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_staff(world):
    user = User(username="bantochuc", unit=world.province, role=Role.REPORTER, department=Department.ORGANISATION)
    user.set_password(PASSWORD)
    user.save()
    return user


def progress_url(program, task_code="task_II_2_5_02"):
    return reverse("programs:task_progress", args=[program.code, task_code])


def test_the_program_list_opens_the_only_program(client, world, program):
    response = login(client, world.reporter).get(reverse("programs:list"))
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()


def test_the_program_page_requires_login(client, program):
    response = client.get(program.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_program_page_shows_sections_targets_tasks_and_deadlines(client, world, program):
    body = login(client, world.reporter).get(program.get_absolute_url()).content.decode()

    for number in ("I", "II.1", "II.2.2", "II.2.5", "II.3", "III.3"):
        assert f'id="s-{number}"' in body
    for target in program.targets.all():
        assert f'id="{target.code}"' in body
        assert target.text in body
    assert body.count('class="task"') == 39
    assert "30/06/2021" in body and "31/08/2021" in body
    assert "≥ 1.000" in body  # T16, Vietnamese thousands separator
    assert "&gt; 80%" in body  # T03, "trên 80%"
    assert "Nguyên văn và cách tính" in body
    assert "tổng “Số đoàn viên công đoàn” của công đoàn cơ sở" in body
    assert "Phan Thị Diễm" in body
    assert "Cập nhật tiến độ" not in body, "a grassroots reporter does not follow the province's tasks"


def test_the_program_page_runs_a_fixed_number_of_queries(client, world, program, django_assert_max_num_queries):
    login(client, world.admin)
    with django_assert_max_num_queries(14):
        client.get(program.get_absolute_url())


def test_department_staff_record_progress(client, organisation_staff, program):
    login(client, organisation_staff)
    assert "Cập nhật tiến độ" in client.get(program.get_absolute_url()).content.decode()
    response = client.post(
        progress_url(program),
        {"status": "in_progress", "on_date": "15/03/2024", "note": "Đã thành lập 12 CĐCS mới."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    note = TaskProgress.objects.get()
    assert (note.task.code, note.status, note.on_date) == ("task_II_2_5_02", "in_progress", datetime.date(2024, 3, 15))
    assert (note.department, note.recorded_by) == (Department.ORGANISATION, organisation_staff)
    body = response.content.decode()
    assert "Đang thực hiện" in body and "15/03/2024" in body and "Đã thành lập 12 CĐCS mới." in body
    assert "<html" not in body


def test_the_newest_note_gives_the_status(client, world, program):
    login(client, world.admin)
    for day, status in (("01/02/2022", "in_progress"), ("20/12/2023", "done")):
        client.post(progress_url(program), {"status": status, "on_date": day})
    body = client.get(program.get_absolute_url()).content.decode()
    followup = body[body.index('id="followup-task_II_2_5_02"'):]
    assert followup.index("Hoàn thành") < followup.index("20/12/2023")


def test_a_future_date_is_refused_and_nothing_is_saved(client, world, program):
    login(client, world.admin)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(progress_url(program), {"status": "done", "on_date": tomorrow}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Ngày không được ở trong tương lai." in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_a_date_before_the_programs_term_is_refused(client, world, program):
    login(client, world.admin)
    response = client.post(progress_url(program), {"status": "done", "on_date": "31/12/0001"}, HTTP_HX_REQUEST="true")
    assert "Ngày ghi nhận trước nhiệm kỳ của chương trình (từ 2020)." in response.content.decode()
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize("username", ["viewer", "reporter", "approver", "sector_viewer"])
def test_others_cannot_record_progress(client, world, program, username):
    login(client, getattr(world, username))
    response = client.post(progress_url(program), {"status": "done", "on_date": "01/01/2024"})
    assert response.status_code == 403
    assert not TaskProgress.objects.exists()


def test_progress_on_an_unknown_task_is_404(client, world, program):
    login(client, world.admin)
    assert client.post(progress_url(program, "task_nope"), {"status": "done"}).status_code == 404


def test_years_are_not_written_with_a_thousands_separator(client, world, program):
    body = login(client, world.reporter).get(program.get_absolute_url()).content.decode()
    assert "Nhiệm kỳ 2020–2025" in body
    assert "đến năm 2025" in body
    assert "2.025" not in body and "2.020" not in body


def test_the_history_page_lists_what_a_reload_changed(client, world, tmp_path):
    import shutil

    from programs.loading import load_program
    from programs.management.commands.load_program import DEFAULT_FILE

    path = tmp_path / "program.yaml"
    shutil.copy(DEFAULT_FILE, path)
    program, _ = load_program(path)
    path.write_text(path.read_text(encoding="utf-8").replace("value: 1000\n", "value: 1100\n"), encoding="utf-8")
    load_program(path)

    body = login(client, world.viewer).get(reverse("programs:history", args=[program.code])).content.decode()
    assert "targets.T16.value" in body
    assert "<del>1000</del> → <ins>1100</ins>" in body
    assert "Lần nạp đầu tiên" in body
