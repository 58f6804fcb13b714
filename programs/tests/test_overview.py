"""The task follow-up overview (programs.overview): department × status of the newest note,
counted by hand from the program file, and the task list each count opens."""

import datetime
from collections import Counter

import pytest
import yaml
from django.urls import reverse

from accounts.testing import login
from programs.management.commands.load_program import DEFAULT_FILE
from programs.models import Task, TaskProgress
from programs.overview import NO_NOTE, STATUSES, filtered_tasks, task_overview

pytestmark = pytest.mark.django_db

NOT_STARTED, IN_PROGRESS, DONE = TaskProgress.Status.values


def departments_in_the_file() -> Counter:
    """How many tasks the program file gives each department, read from the YAML itself."""
    counts: Counter = Counter()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tasks" and isinstance(value, list):
                    counts.update(task.get("department", "") for task in value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))["sections"])
    return counts


def note(task_code, status, day, by, recorded_order=None):
    task = Task.objects.get(program__code="an-giang-xi-2020-2025", code=task_code)
    return TaskProgress.objects.create(task=task, status=status, on_date=day, recorded_by=by)


@pytest.fixture
def notes(world, program):
    """Three tasks followed; the newest note by date decides, whatever order they were written in."""
    admin = world.admin
    note("task_II_1_01", NOT_STARTED, datetime.date(2021, 3, 1), admin)
    note("task_II_1_01", DONE, datetime.date(2022, 6, 30), admin)  # propaganda: done
    note("task_II_1_02", IN_PROGRESS, datetime.date(2024, 5, 1), admin)
    note("task_II_1_02", NOT_STARTED, datetime.date(2021, 1, 15), admin)  # written later, dated earlier
    note("task_II_2_5_02", IN_PROGRESS, datetime.date(2023, 9, 1), admin)  # organisation: in progress
    return program


def test_the_file_gives_the_departments_these_tasks():
    # Counted by hand in programs/data/an-giang-xi-2020-2025.yaml: 18 + 12 + 7 + 2 = 39.
    assert departments_in_the_file() == {"propaganda": 18, "organisation": 12, "policy_law": 7, "office": 2}


def test_the_overview_counts_each_departments_tasks_by_their_newest_note(notes):
    by_hand = {(department, NO_NOTE): n for department, n in departments_in_the_file().items()}
    for department, status in [("propaganda", DONE), ("propaganda", IN_PROGRESS), ("organisation", IN_PROGRESS)]:
        by_hand[department, NO_NOTE] -= 1
        by_hand[department, status] = by_hand.get((department, status), 0) + 1

    overview = task_overview(notes)

    assert [row.department for row in overview.rows] == ["propaganda", "organisation", "policy_law", "office"]
    assert [row.label for row in overview.rows] == ["Ban Tuyên giáo", "Ban Tổ chức", "Ban Chính sách - Pháp luật",
                                                    "Văn phòng"]
    assert [label for _, label in overview.statuses] == ["chưa cập nhật", "chưa triển khai", "đang thực hiện",
                                                         "hoàn thành"]
    found = {(c.department, c.status): c.count for row in overview.rows for c in row.cells if c.count}
    assert found == by_hand
    assert {(row.department, row.total.count) for row in overview.rows} == set(departments_in_the_file().items())
    assert [c.count for c in overview.totals] == [36, 0, 2, 1]
    assert overview.total.count == 39 and overview.followed == 3


def test_each_cell_lists_the_tasks_it_counts(notes):
    overview = task_overview(notes)
    for row in overview.rows:
        for cell in row.cells:
            codes = list(filtered_tasks(notes, cell.department, cell.status).values_list("code", flat=True))
            assert len(codes) == cell.count
    codes = lambda **filters: list(filtered_tasks(notes, **filters).values_list("code", flat=True))  # noqa: E731
    assert codes(department="propaganda", status=IN_PROGRESS) == ["task_II_1_02"]
    assert codes(status=IN_PROGRESS) == ["task_II_1_02", "task_II_2_5_02"]  # in the file's order
    assert codes(status=DONE) == ["task_II_1_01"]
    assert len(codes(department="office")) == 2 and len(codes()) == 39
    assert set(STATUSES) == {NO_NOTE, NOT_STARTED, IN_PROGRESS, DONE}


def tasks_url(program, **query):
    url = reverse("programs:tasks", args=[program.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def link(program, **query) -> str:
    url = tasks_url(program, **query).replace("&", "&amp;")
    return f'href="{url}"'


def test_the_program_page_shows_the_overview_with_links_to_the_lists(client, world, notes):
    body = login(client, world.viewer).get(notes.get_absolute_url()).content.decode()

    assert "Theo dõi nhiệm vụ theo ban và tình trạng" in body
    assert "3/39 nhiệm vụ đã có ghi nhận tiến độ" in body
    assert f'{link(notes, department="propaganda", status=DONE)}>1</a>' in body
    assert f'{link(notes, department="organisation", status=NO_NOTE)}>11</a>' in body
    assert f'{link(notes, department="office")}>Văn phòng</a>' in body
    assert f'{link(notes, status=NO_NOTE)}>36</a>' in body
    assert f'{link(notes)}>39</a>' in body
    # Every task is folded to its summary, its full text and follow-up one tap away.
    assert body.count('<details class="task-details">') == 39


def test_a_cell_opens_the_list_of_its_tasks_with_their_full_text(client, world, notes):
    login(client, world.viewer)
    body = client.get(tasks_url(notes, department="propaganda", status=IN_PROGRESS)).content.decode()

    assert "Nhiệm vụ: Ban Tuyên giáo · đang thực hiện (1)" in body
    assert body.count('class="task"') == 1 and 'id="task_II_1_02"' in body
    assert Task.objects.get(code="task_II_1_02", program=notes).text in body
    assert 'aria-current="page"' in body

    body = client.get(tasks_url(notes, status=NO_NOTE)).content.decode()
    assert body.count('class="task"') == 36 and 'id="task_II_1_01"' not in body


def test_an_unknown_filter_lists_every_task(client, world, notes):
    body = login(client, world.viewer).get(tasks_url(notes, department="nobody", status="lost")).content.decode()
    assert "Tất cả nhiệm vụ (39)" in body and body.count('class="task"') == 39


def test_the_task_list_runs_a_fixed_number_of_queries(client, world, notes, django_assert_max_num_queries):
    login(client, world.admin)
    with django_assert_max_num_queries(12):
        client.get(tasks_url(notes))


def test_recording_progress_also_updates_the_tasks_folded_badge(client, world, notes):
    login(client, world.admin)
    response = client.post(reverse("programs:task_progress", args=[notes.code, "task_II_3_01"]),
                           {"status": DONE, "on_date": "01/12/2025", "note": ""}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="badge-task_II_3_01" hx-swap-oob="true"' in body and "Hoàn thành" in body
