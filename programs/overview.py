"""The task follow-up at a glance: how many of a program's tasks each department follows, by
the status of their newest note, and which tasks a (department, status) cell holds.

A task's status is that of its newest progress note (TaskProgress's ordering: latest date,
then latest recorded); a task without a note is "no follow-up yet" (NO_NOTE). A task whose
department the program file leaves blank is counted under NO_DEPARTMENT. The counts come from
one query over the program's tasks (the newest note's status as a subquery), whatever the
number of notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from programs.models import Program, Task, TaskProgress
from programs.vocabulary import Department

NO_NOTE = "none"  # the status filter of the tasks nobody has written a note on
NO_DEPARTMENT = "none"  # the department filter of the tasks the file assigns to no department
# Columns in the order a follow-up reads: not yet written on, then from not started to done.
STATUSES = (NO_NOTE, *TaskProgress.Status.values)


def status_label(status: str) -> str:
    return str(_("no follow-up yet")) if status == NO_NOTE else str(TaskProgress.Status(status).label)


def department_label(department: str) -> str:
    return str(_("no department")) if department == NO_DEPARTMENT else str(Department(department).label)


@dataclass
class Count:
    department: str  # a Department value, or NO_DEPARTMENT; "" in the totals row
    status: str  # one of STATUSES; "" in the totals column
    count: int = 0


@dataclass
class Row:
    department: str
    label: str
    cells: list[Count]
    total: Count


@dataclass
class Overview:
    statuses: list[tuple[str, str]]  # (status, label), the columns
    rows: list[Row] = field(default_factory=list)  # one per department with tasks, in Department's order
    totals: list[Count] = field(default_factory=list)  # per status, every department
    total: Count = field(default_factory=lambda: Count("", ""))

    @property
    def followed(self) -> int:
        """Tasks with at least one note."""
        return self.total.count - sum(c.count for c in self.totals if c.status == NO_NOTE)


def newest_status() -> Subquery:
    newest = TaskProgress.objects.filter(task=OuterRef("pk")).order_by(*TaskProgress._meta.ordering)
    return Subquery(newest.values("status")[:1])


def task_statuses(program: Program) -> dict[int, tuple[str, str]]:
    """Each task's (department, status) by task id: NO_DEPARTMENT and NO_NOTE where there is none."""
    rows = Task.objects.filter(program=program).annotate(status=newest_status()) \
        .values_list("pk", "department", "status")
    return {pk: (department or NO_DEPARTMENT, status or NO_NOTE) for pk, department, status in rows}


def task_overview(program: Program) -> Overview:
    """The department × status table of a program's tasks, with its totals (one query)."""
    return overview_of(task_statuses(program).values())


def overview_of(tasks: Iterable[tuple[str, str | None]]) -> Overview:
    """The table of some tasks' (department, status of the newest note): "" or None for none.
    A page that has the tasks and their notes at hand counts them here without a query."""
    found = [(department or NO_DEPARTMENT, status or NO_NOTE) for department, status in tasks]
    counts: dict[tuple[str, str], int] = {}
    for key in found:
        counts[key] = counts.get(key, 0) + 1
    present = {department for department, _status in found}
    departments = [d for d in (*Department.values, NO_DEPARTMENT) if d in present]
    overview = Overview([(status, status_label(status)) for status in STATUSES])
    for department in departments:
        cells = [Count(department, status, counts.get((department, status), 0)) for status in STATUSES]
        overview.rows.append(Row(department, department_label(department), cells,
                                 Count(department, "", sum(c.count for c in cells))))
    overview.totals = [Count("", status, sum(counts.get((d, status), 0) for d in departments)) for status in STATUSES]
    overview.total = Count("", "", len(found))
    return overview


def valid_filter(value: str | None, allowed) -> str:
    """A filter value from the address, "" (no filter) when it is missing or unknown."""
    return value if value in allowed else ""


def filtered_tasks(program: Program, department: str = "", status: str = "") -> QuerySet[Task]:
    """The program's tasks of one department and / or one status ("": any), in the file's order."""
    tasks = Task.objects.filter(program=program).annotate(status=newest_status())
    if department:
        tasks = tasks.filter(department="" if department == NO_DEPARTMENT else department)
    if status == NO_NOTE:
        tasks = tasks.filter(status__isnull=True)
    elif status:
        tasks = tasks.filter(status=status)
    return tasks.select_related("section").order_by("section__position", "position")
