"""Pages of the program: its text, targets with their definitions, tasks and their follow-up."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_follow_tasks, can_import_program
from programs.actions import do_record_task_progress
from programs.choice import switch_context, switched_to
from programs.forms import ImportForm, TargetReviewForm, TaskProgressForm
from programs.models import Department, Program, Section, Task, TaskProgress
from programs.overview import (
    NO_DEPARTMENT,
    STATUSES,
    department_label,
    filtered_tasks,
    overview_of,
    status_label,
    task_overview,
    valid_filter,
)
from programs.provenance import document_defaults, mark_provenance, program_sources
from programs.reader import read_normalised
from programs.reader.draft import SURE
from programs.reader.draft_file import ElementChooser
from programs.reader.extract import UnreadableDocument, extract_text
from programs.reader.normalise import normalise
from programs.reader.review import (
    Decision,
    apply_decisions,
    checked_file,
    current_reference,
    document_segments,
    element_choices,
    reading_in_words,
    suggested_element,
)

RECENT_NOTES = 3


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = list(Program.objects.all())
    if len(programs) == 1:
        return redirect("programs:detail", code=programs[0].code)
    return render(request, "programs/list.html", {"programs": programs,
                                                  "can_import": can_import_program(request.user)})


def _sections_with_content(program: Program) -> list[Section]:
    """The program's sections in the file's order, each carrying its objectives, targets
    (with their definitions in words) and tasks (with their latest notes), in a fixed
    number of queries."""
    labels = program.expression_labels()
    sections = list(
        program.sections.prefetch_related(
            "objectives",
            "targets",
            Prefetch("tasks", queryset=Task.objects.prefetch_related(_notes_prefetch())),
        )
    )
    for section in sections:
        for target in section.targets.all():
            target.numerator_text = target.numerator_expr.describe(labels)
            target.denominator_text = target.denominator_expr.describe(labels) if target.denominator else ""
        _with_notes(section.tasks.all())
    return sections


def _with_notes(tasks) -> None:
    """Each task (its notes prefetched) carries its newest note and its recent ones."""
    for task in tasks:
        notes = list(task.progress.all())
        task.latest = notes[0] if notes else None
        task.recent_notes = notes[:RECENT_NOTES]


def _notes_prefetch() -> Prefetch:
    return Prefetch("progress", queryset=TaskProgress.objects.select_related("recorded_by"))


@login_required
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    program = get_object_or_404(Program, code=code)
    if other := switched_to(request, program):
        return redirect("programs:detail", other)
    sections = _sections_with_content(program)
    deadlines = list(program.deadlines.all())
    # A program written from public facts marks its values as defaults, with their source.
    defaults = document_defaults(program)
    unconfirmed = mark_provenance(program, sections, deadlines)
    unconfirmed += sum(not part["confirmed"] for part in defaults.values())
    context = {
        "program": program,
        "program_switch": switch_context(request, program),
        "sections": sections,
        "deadlines": deadlines,
        "unconfirmed_count": unconfirmed,
        "sources": program_sources(program),
        "document_defaults": defaults,
        "can_follow": can_follow_tasks(request.user),
        "can_import": can_import_program(request.user),
        "form": TaskProgressForm(program=program),
        "target_count": sum(len(s.targets.all()) for s in sections),
        "task_count": sum(len(s.tasks.all()) for s in sections),
        # From the tasks and notes already read: no query of its own.
        "overview": overview_of((task.department, task.latest.status if task.latest else None)
                                for section in sections for task in section.tasks.all()),
    }
    return render(request, "programs/detail.html", context)


@login_required
def task_list(request: HttpRequest, code: str) -> HttpResponse:
    """The tasks of one department and / or one status (a cell of the follow-up overview), each
    with its full text and follow-up one tap away."""
    program = get_object_or_404(Program, code=code)
    if other := switched_to(request, program):
        return redirect("programs:tasks", other)
    department = valid_filter(request.GET.get("department"), {*Department.values, NO_DEPARTMENT})
    status = valid_filter(request.GET.get("status"), STATUSES)
    tasks = list(filtered_tasks(program, department, status).prefetch_related(_notes_prefetch()))
    _with_notes(tasks)
    context = {
        "program": program,
        "program_switch": switch_context(request, program),
        "overview": task_overview(program),
        "tasks": tasks,
        "department": department,
        "status": status,
        "department_label": department_label(department) if department else "",
        "status_label": status_label(status) if status else "",
        "can_follow": can_follow_tasks(request.user),
        "form": TaskProgressForm(program=program),
    }
    return render(request, "programs/tasks.html", context)


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
            # The follow-up's anchor lies inside the task's <details>: the browser opens it.
            return redirect(f"{task.program.get_absolute_url()}#followup-{task.code}")
        form = TaskProgressForm(program=task.program)
    notes = list(task.progress.select_related("recorded_by"))
    task.latest = notes[0] if notes else None
    task.recent_notes = notes[:RECENT_NOTES]
    # The task's badge in its (closed) summary is swapped too, out of band.
    context = {"task": task, "program": task.program, "form": form, "can_follow": True, "badge_oob": True}
    # htmx swaps only 2xx answers, so a form with errors still answers 200 to it.
    status = 400 if form.errors and not request.htmx else 200
    return render(request, "programs/_task_followup.html", context, status=status)


@login_required
def program_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every load of the program file that changed something, newest first."""
    program = get_object_or_404(Program, code=code)
    revisions = program.revisions.select_related("loaded_by")
    return render(request, "programs/history.html", {"program": program, "revisions": revisions})


# --- a new program read from its document (issue #19) -------------------------------------------

IMPORT_SESSION_KEY = "program_import"
UNREADABLE = {
    "format": _("Only .docx, .pdf and .txt documents can be read."),
    "docx": _("This file is not a Word document that can be read."),
    "pdf": _("This PDF cannot be read."),
    "scan": _("This PDF holds no text (a scan?): run text recognition (OCR) on it first."),
}


def _document_text(form: ImportForm) -> tuple[str, str]:
    """The normalised text of the uploaded or pasted document, and its name."""
    document = form.cleaned_data.get("document")
    if document is None:
        return normalise(form.cleaned_data["text"]), "van-ban.txt"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"document{Path(document.name).suffix.lower()}"
        with open(path, "wb") as handle:
            for chunk in document.chunks():
                handle.write(chunk)
        return normalise(extract_text(path)), document.name


@login_required
def import_program(request: HttpRequest) -> HttpResponse:
    """Step 1: the document, uploaded or pasted; its text is kept for the review."""
    if not can_import_program(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text, name = _document_text(form)
        except UnreadableDocument as exc:
            form.add_error("document", UNREADABLE[exc.kind])
        else:
            request.session[IMPORT_SESSION_KEY] = {"text": text, "name": name}
            return redirect("programs:import_review")
    return render(request, "programs/import.html", {"form": form}, status=400 if form.errors else 200)


def _decision(form: TargetReviewForm) -> Decision:
    data = form.cleaned_data
    return Decision(data["decision"] == "reject", data["comparison"], data["value"] or 0, data["unit"],
                    data["period"], data.get("deadline"), list(data["applies_to"]),
                    data.get("element") if "element" in form.fields else None, form.initial.get("element"))


def _review_forms(draft, data, chooser: ElementChooser) -> list[tuple]:
    reviews = []
    for target in draft.targets:
        initial = {"comparison": target.comparison, "value": target.value, "unit": target.unit,
                   "period": target.period, "deadline": target.deadline, "applies_to": target.applies_to,
                   "element": suggested_element(chooser, target)}
        form = TargetReviewForm(data, prefix=target.code, initial=initial,
                                elements=element_choices(chooser, target, draft))
        reviews.append((target, form, reading_in_words(target)))
    return reviews


@login_required
def import_review(request: HttpRequest) -> HttpResponse:
    """Step 2: the document beside the draft; each target read in words with its confidence,
    kept (as read or corrected) or rejected; the result, once it passes the check every
    program file passes, downloaded as a program file. Nothing is loaded here."""
    if not can_import_program(request.user):
        raise PermissionDenied
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        return redirect("programs:import")
    draft = read_normalised(stored["text"])
    reference = current_reference()
    reviews = _review_forms(draft, request.POST or None, ElementChooser(reference))
    problems = []
    if request.method == "POST" and all(form.is_valid() for _, form, _ in reviews):
        decisions = {target.code: _decision(form) for target, form, _ in reviews}
        apply_decisions(draft, decisions, set(request.POST.getlist("reject_task")))
        text, problems = checked_file(draft, reference, stored["name"])
        if not problems:
            response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
            name = Path(stored["name"]).stem or "chuong-trinh"
            response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "chuong-trinh"}.yaml"'
            return response
        draft = read_normalised(stored["text"])  # show the draft as read, the reviewer's entries kept
    by_code = {target.code: (target, form, reading) for target, form, reading in reviews}
    sections = [(section, [by_code[t.code] for t in section.targets if t.code in by_code], section.tasks)
                for section in draft.walk_sections()]
    context = {
        "draft": draft, "sections": sections, "segments": document_segments(draft), "problems": problems,
        "counts": draft.counts(), "name": stored["name"], "sure": SURE,
        "rejected_tasks": set(request.POST.getlist("reject_task")),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/import_review.html", context, status=status)
