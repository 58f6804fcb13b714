"""Pages of the program: its text, targets with their definitions, tasks and their follow-up."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can_follow_tasks
from programs.actions import do_record_task_progress
from programs.forms import TaskProgressForm
from programs.models import Program, Section, Task, TaskProgress

RECENT_NOTES = 3


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = list(Program.objects.all())
    if len(programs) == 1:
        return redirect("programs:detail", code=programs[0].code)
    return render(request, "programs/list.html", {"programs": programs})


def _sections_with_content(program: Program) -> list[Section]:
    """The program's sections in the file's order, each carrying its objectives, targets
    (with their definitions in words) and tasks (with their latest notes), in a fixed
    number of queries."""
    labels = program.expression_labels()
    sections = list(
        program.sections.prefetch_related(
            "objectives",
            "targets",
            Prefetch("tasks", queryset=Task.objects.prefetch_related(
                Prefetch("progress", queryset=TaskProgress.objects.select_related("recorded_by"))
            )),
        )
    )
    for section in sections:
        for target in section.targets.all():
            target.numerator_text = target.numerator_expr.describe(labels)
            target.denominator_text = target.denominator_expr.describe(labels) if target.denominator else ""
        for task in section.tasks.all():
            notes = list(task.progress.all())
            task.latest = notes[0] if notes else None
            task.recent_notes = notes[:RECENT_NOTES]
    return sections


@login_required
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    program = get_object_or_404(Program, code=code)
    sections = _sections_with_content(program)
    context = {
        "program": program,
        "sections": sections,
        "deadlines": program.deadlines.all(),
        "can_follow": can_follow_tasks(request.user),
        "form": TaskProgressForm(program=program),
        "target_count": sum(len(s.targets.all()) for s in sections),
        "task_count": sum(len(s.tasks.all()) for s in sections),
    }
    return render(request, "programs/detail.html", context)


@login_required
@require_POST
def add_task_progress(request: HttpRequest, code: str, task_code: str) -> HttpResponse:
    """Record a dated note on a task; answers htmx with the task's refreshed follow-up."""
    if not can_follow_tasks(request.user):
        raise PermissionDenied
    task = get_object_or_404(Task, program__code=code, code=task_code)
    form = TaskProgressForm(request.POST, program=task.program)
    if form.is_valid():
        data = form.cleaned_data
        do_record_task_progress(task, data["status"], data["on_date"], data["note"], request.user)
        if not request.htmx:
            return redirect(f"{task.program.get_absolute_url()}#{task.code}")
        form = TaskProgressForm(program=task.program)
    notes = list(task.progress.select_related("recorded_by"))
    task.latest = notes[0] if notes else None
    task.recent_notes = notes[:RECENT_NOTES]
    context = {"task": task, "program": task.program, "form": form, "can_follow": True}
    # htmx swaps only 2xx answers, so a form with errors still answers 200 to it.
    status = 400 if form.errors and not request.htmx else 200
    return render(request, "programs/_task_followup.html", context, status=status)


@login_required
def program_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every load of the program file that changed something, newest first."""
    program = get_object_or_404(Program, code=code)
    revisions = program.revisions.select_related("loaded_by")
    return render(request, "programs/history.html", {"program": program, "revisions": revisions})
