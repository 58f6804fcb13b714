"""Pages of the official documents: choose one, preview it, download it as .docx / .xlsx / .pdf,
and write its narrative parts.

Who may do what is decided by accounts.permissions: a document covers a unit's subtree and
can be produced by anyone who sees that unit (a unit outside the user's subtree answers 404);
writing a document's narratives needs the right to enter the unit's data, and for the
province's own documents the province's staff (accounts.permissions.can_write_narratives).
The narratives are saved by exports.actions.do_save_narrative.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can_write_narratives, get_visible_unit_or_404, visible_units
from exports.actions import StaleNarrative, do_save_narrative, stale_message
from exports.builder import DocumentChoiceError, check_choice, default_details, document_units
from exports.building import TooManyBuilds, queue_ahead, request_build
from exports.forms import ChoiceForm, NarrativeForm
from exports.limits import please_wait
from exports.models import PREVIEW, DocumentBuild, Kind, Narrative
from exports.writers import WRITERS
from exports.writers.pdf import font_family_css
from programs.choice import program_for_request, switch_context
from programs.models import Program
from reporting.models import Period
from units import placement
from units.models import Unit

BROWSER_FONT = "Times New Roman"


def _program(request: HttpRequest) -> Program:
    program = program_for_request(request)
    if program is None:
        raise Http404
    return program


def _chosen(request: HttpRequest, unit_code: str, kind: str, year: int) -> tuple[Program, Unit]:
    program = _program(request)
    unit = get_visible_unit_or_404(request.user, unit_code)
    try:
        check_choice(program, unit, kind, year)
    except DocumentChoiceError:
        raise Http404 from None
    return program, unit


def _default_year(program: Program) -> int:
    this_year = timezone.localdate().year
    opened = set(Period.objects.filter(kind=Period.Kind.YEAR).values_list("year", flat=True))
    candidates = [y for y in program.reporting_years if y <= this_year and y in opened]
    return max(candidates or [y for y in program.reporting_years if y <= this_year] or program.reporting_years)


def _old_kind_redirect(request: HttpRequest, name: str, kwargs: dict) -> HttpResponse | None:
    """A permanent redirect from an address naming a kind by its old name ("yearly", "term")
    to the same address with the kind's current name, or None if the address is current."""
    current = Kind.current(kwargs["kind"])
    if current is None or current == kwargs["kind"]:
        return None
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse(name, kwargs={**kwargs, "kind": current}) + query, permanent=True)


def current_kind_names(name: str):
    """Decorates a view taking `kind`: an old kind name in the address is redirected."""

    def decorate(view):
        @functools.wraps(view)
        def current(request: HttpRequest, **kwargs) -> HttpResponse:
            return _old_kind_redirect(request, name, kwargs) or view(request, **kwargs)

        return current

    return decorate


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    old_kind = request.GET.get("kind")
    if Kind.current(old_kind or "") not in (None, old_kind):  # ?kind=yearly from an old bookmark
        query = request.GET.copy()
        query["kind"] = Kind.current(old_kind)
        return redirect(f"{reverse('exports:index')}?{query.urlencode()}", permanent=True)
    program = program_for_request(request)
    if program is None:
        return render(request, "no_program.html")
    units = list(document_units(visible_units(request.user)).order_by("path"))
    own = request.user.unit
    initial = {"unit": own.code if own and own in units else (units[0].code if units else None),
               "year": _default_year(program)}
    form = ChoiceForm(request.GET or None, units=units, years=program.reporting_years, initial=initial)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        year = program.term_end if data["kind"] == Kind.TERM_REVIEW else data["year"]
        arguments = [data["unit"], data["kind"], year]
        query = "?view=now" if data["view"] == placement.NOW else ""
        if request.GET.get("action") == "download":
            return redirect(reverse("exports:download", args=[*arguments, data["format"]]) + query)
        return redirect(reverse("exports:preview", args=arguments) + query)
    saved = (Narrative.objects.filter(program=program, unit__in=units).select_related("unit", "updated_by")
             .order_by("-updated_at")[:20])
    return render(request, "exports/index.html", {"program": program,
                                                  "program_switch": switch_context(request, program),
                                                  "form": form, "units": units,
                                                  "saved": saved})


def _view(request: HttpRequest) -> str:
    """How the document adds up over the changing hierarchy: ?view=now, else as it was."""
    return placement.NOW if request.GET.get("view") == placement.NOW else placement.THEN


def _build(request: HttpRequest, unit_code: str, kind: str, year: int, fmt: str):
    """The document's build (exports.building), or the "please wait" answer."""
    program, unit = _chosen(request, unit_code, kind, year)
    try:
        return program, unit, request_build(request.user, program, unit, kind, year, fmt, _view(request))
    except TooManyBuilds:
        return program, unit, please_wait(request)


def _building_page(request: HttpRequest, unit: Unit, kind: str, year: int, build: DocumentBuild,
                   what: str) -> HttpResponse:
    return render(request, "exports/building.html", {
        "unit": unit, "kind": kind, "year": year, "kind_label": Kind(kind).label, "build": build, "what": what,
        **_progress(build)})


@login_required
@require_GET
@current_kind_names("exports:preview")
def preview(request: HttpRequest, unit_code: str, kind: str, year: int) -> HttpResponse:
    program, unit, build = _build(request, unit_code, kind, year, PREVIEW)
    if isinstance(build, HttpResponse):
        return build
    if not build.done:
        return _building_page(request, unit, kind, year, build, _("the preview"))
    with build.file.open("rb") as stored:
        body = mark_safe(stored.read().decode())  # noqa: S308 (our own template's output, escaped when it was rendered)
    return render(request, "exports/preview.html", {
        "program": program, "program_switch": switch_context(request, program), "unit": unit, "kind": kind,
        "year": year, "build": build, "document_html": body,
        "view": build.view, "view_query": "?view=now" if build.view == placement.NOW else "",
        "writers": WRITERS.values(), "may_write": can_write_narratives(request.user, unit),
        "font_family": font_family_css(BROWSER_FONT),
    })


@login_required
@require_GET
@current_kind_names("exports:download")
def download(request: HttpRequest, unit_code: str, kind: str, year: int, fmt: str) -> HttpResponse:
    writer = WRITERS.get(fmt)
    if writer is None:
        raise Http404
    _, unit, build = _build(request, unit_code, kind, year, fmt)
    if isinstance(build, HttpResponse):
        return build
    if not build.done:
        return _building_page(request, unit, kind, year, build, writer.label)
    return FileResponse(build.file.open("rb"), as_attachment=True, filename=build.filename,
                        content_type=writer.content_type)


def _progress(build: DocumentBuild) -> dict:
    """What the progress panel shows: the step, a share for the bar, and the words."""
    if build.done:
        return {"step": "done", "percent": 100}
    if build.failed:
        return {"step": "failed", "percent": 100}
    if build.state == DocumentBuild.State.BUILDING and build.started_at:
        return {"step": "building", "percent": 60,
                "seconds": int((timezone.now() - build.started_at).total_seconds())}
    return {"step": "queued", "percent": 15, "ahead": queue_ahead(build), "retrying": build.attempts > 0}


@login_required
@require_GET
def build_status(request: HttpRequest, build_id: int) -> HttpResponse:
    """The progress panel of one build, polled by the building page (htmx)."""
    build = DocumentBuild.objects.select_related("unit").filter(pk=build_id).first()
    if build is None:
        raise Http404
    get_visible_unit_or_404(request.user, build.unit.code)
    response = render(request, "exports/_build_status.html", {"build": build, **_progress(build)})
    if build.done and build.format == PREVIEW:
        response["HX-Refresh"] = "true"  # the page reloads, and the preview is there
    return response


def _version_read(request: HttpRequest) -> int | None:
    """The narrative's version the form was read at (None if the form did not say)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
@current_kind_names("exports:narratives")
def narratives(request: HttpRequest, unit_code: str, kind: str, year: int) -> HttpResponse:
    program, unit = _chosen(request, unit_code, kind, year)
    if not can_write_narratives(request.user, unit):
        raise PermissionDenied
    narrative = Narrative.objects.filter(program=program, unit=unit, kind=kind, year=year).first()
    if narrative is None:
        narrative = Narrative(program=program, unit=unit, kind=kind, year=year, **default_details(program, unit))
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_narrative(form.save(commit=False), _version_read(request), request.user)
        except StaleNarrative as stale:
            form.add_error(None, stale_message(stale.current))
            narrative = stale.current  # the page says who saved last; the form keeps the user's text
        else:
            messages.success(request, _("The narrative parts have been saved."))
            return redirect(reverse("exports:preview", args=[unit.code, kind, year]))
    return render(request, "exports/narratives.html", {
        "program": program, "unit": unit, "kind": kind, "year": year, "form": form,
        "kind_label": Kind(kind).label, "narrative": narrative,
    }, status=400 if form.errors else 200)
