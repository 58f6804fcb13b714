"""The demo's progress notes on the tasks (demo/tasks.py): every column of the overview has
tasks, the notes are dated within the program's life and not after today, the same seed writes
the same notes, and running the demo again writes nothing nor touches a user's own notes."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from demo.tasks import FIRST_YEAR, planned_notes
from programs.loading import load_program
from programs.management.commands.load_program import DEFAULT_FILE
from programs.models import Program, TaskProgress
from programs.overview import NO_NOTE, task_overview

pytestmark = pytest.mark.django_db

NEXT_FILE = DEFAULT_FILE.with_name("an-giang-2025-2030.yaml")


@pytest.fixture
def demo_programs(world, program):
    User.objects.create(username="tinh", unit=world.province, role=Role.PROVINCE_ADMIN)
    following, _ = load_program(NEXT_FILE)
    return program, following


def statuses(program) -> dict[str, int]:
    overview = task_overview(program)
    return {status: cell.count for (status, _), cell in zip(overview.statuses, overview.totals, strict=True)}


def test_the_demo_notes_give_the_overview_a_plausible_mix(demo_programs):
    closed, following = demo_programs
    call_command("demo_task_progress", stdout=StringIO())
    today = timezone.localdate()

    # The 2020–2025 program, past its term: every task followed, most of them done.
    old = statuses(closed)
    assert old[NO_NOTE] == 0 and old["not_started"] == 0
    assert old["done"] > old["in_progress"] > 0 and old["done"] + old["in_progress"] == 39
    # The 2025–2030 program in its first year: every column, as FIRST_YEAR decides.
    new = statuses(following)
    assert new == {NO_NOTE: 2, "not_started": 2, "in_progress": 8, "done": 2}
    assert sum(1 for status in FIRST_YEAR.values() if status is None) == new[NO_NOTE]

    for program, first in ((closed, datetime.date(2021, 1, 1)), (following, following.in_force_from)):
        days = TaskProgress.objects.filter(task__program=program).values_list("on_date", flat=True)
        assert min(days) >= first and max(days) <= today
    assert not TaskProgress.objects.filter(task__program=closed, on_date__year__gt=2025).exists()
    note = TaskProgress.objects.filter(task__code="task_II_2_5_02").first()
    assert note.department == "organisation" and note.note and note.recorded_by.username == "tinh"


def test_running_the_demo_again_writes_nothing_and_keeps_a_users_notes(demo_programs):
    closed, _following = demo_programs
    task = closed.tasks.get(code="task_II_1_01")
    own = TaskProgress.objects.create(task=task, status="not_started", on_date=datetime.date(2021, 2, 1),
                                      note="ghi của người dùng", recorded_by=User.objects.get(username="tinh"))
    call_command("demo_task_progress", stdout=StringIO())
    before = sorted(TaskProgress.objects.values_list("task__code", "status", "on_date", "note"))
    output = StringIO()
    call_command("demo_task_progress", stdout=output)

    assert sorted(TaskProgress.objects.values_list("task__code", "status", "on_date", "note")) == before
    assert "an-giang-xi-2020-2025: 0 written" in output.getvalue()
    assert list(task.progress.all()) == [own]


def test_the_same_seed_writes_the_same_notes(demo_programs):
    closed, _following = demo_programs
    task = closed.tasks.get(code="task_II_3_01")
    today = datetime.date(2026, 12, 2)
    assert planned_notes(closed, task, 2020, today) == planned_notes(closed, task, 2020, today)
    assert planned_notes(closed, task, 2020, today) != planned_notes(closed, task, 7, today)
    notes = planned_notes(closed, task, 2020, today)
    assert [day for _, day, _ in notes] == sorted(day for _, day, _ in notes)
    assert all(status == "in_progress" for status, _, _ in notes[:-1])


def test_a_program_not_yet_in_force_gets_no_notes(demo_programs):
    _closed, following = demo_programs
    task = following.tasks.get(code="task_IV_1_01")
    assert planned_notes(following, task, 2020, datetime.date(2025, 12, 31)) == []
    assert Program.objects.count() == 2
