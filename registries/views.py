"""The registries' pages: a unit's records of one kind over its subtree (and the records behind a
report figure), one record's form, the .xlsx of a list and the import of many records.

Who sees and changes what is accounts.permissions': a record is seen by whoever sees its unit
(404 otherwise, as for one that does not exist) and changed by whoever enters its unit's data."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_unit_data, can_view_unit, get_visible_unit_or_404, home_unit
from plans.files import check_plan_file
from programs.models import Target
from registries import imports, sheets
from registries.counts import AGREEMENTS, ELEMENT_KINDS, GOOD_CLASSES, in_subtree, records_behind
from registries.forms import record_form
from registries.kinds import KINDS, Kind, kind_or_404
from reporting.models import Period
from tiendo.formatting import integer, short_date
from tiendo.lists import XLSX_TYPE, unit_name, xlsx_bytes
from units.models import Unit
from units.text import fold

PER_PAGE = 50
# Column headers short enough for a phone's table (the form and the file use the full names).
SHORT_HEADERS = {
    "workers_covered": _lazy("workers"), "quality_class": _lazy("class"), "more_favourable": _lazy("more favourable"),
    "union_support": _lazy("union support"), "handed_over_on": _lazy("handed over"), "work": _lazy("work"),
    "cost": _lazy("cost"), "level": _lazy("level"), "workers_involved": _lazy("workers"),
    "union_took_part": _lazy("union took part"),
}


def editable_units(user, unit: Unit) -> list[Unit]:
    """The units a record can be entered for from this unit's page: the unit and the units
    directly below it, those whose data the user enters."""
    candidates = [unit, *Unit.objects.get_children(unit).order_by("name")] if not unit.is_grassroots else [unit]
    return [u for u in candidates if can_edit_unit_data(user, u)]


def _records(kind: Kind, unit: Unit, request: HttpRequest) -> tuple[QuerySet, dict]:
    """The unit's subtree's records the page lists: all of them, a year's, or the records behind
    one element's figure of a period (?element=CODE&period=ID, the target page's link)."""
    element, period_id, year = request.GET.get("element", ""), request.GET.get("period", ""), request.GET.get("year")
    if element in ELEMENT_KINDS and ELEMENT_KINDS[element] == kind.slug and (period_id.isdigit() or (
            year and year.isdigit())):
        period = Period.objects.filter(pk=int(period_id)).first() if period_id.isdigit() else \
            Period.objects.filter(kind=Period.Kind.YEAR, year=int(year), half=0).first()
        classes = [c for c in request.GET.get("classes", "") if c in "ABCD"] or GOOD_CLASSES
        if period is not None:
            queryset = records_behind(element, unit, period, classes).filter(_target_filter(request, element))
            return queryset.select_related("unit").order_by(f"-{kind.date_field}", "pk"), {
                "behind": {"element": element, "period": period}}
    queryset = in_subtree(kind.model.objects.select_related("unit"), unit)
    chosen = None
    if year and year.isdigit():
        chosen = int(year)
        lookup = kind.date_field if kind.date_field == "year" else f"{kind.date_field}__year"
        queryset = queryset.filter(**{lookup: chosen})
    return queryset.order_by(f"-{kind.date_field}", "pk"), {"year": chosen}


def _target_filter(request: HttpRequest, element: str) -> Q:
    """The unit filter of the target's expression over `element` (?program=&target=, the target
    page's link): the records behind a figure of enterprises only are enterprises' records."""
    target = Target.objects.filter(program__code=request.GET.get("program", ""),
                                   code=request.GET.get("target", "")).first()
    for expression in (target.numerator_expr, target.denominator_expr) if target else ():
        if expression is not None and getattr(expression, "element", None) == element:
            return expression.where.q("unit__")
    return Q()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    unit = home_unit(request.user)
    if unit is None:
        raise Http404
    return redirect("registries:list", AGREEMENTS, unit.code)


@login_required
def records(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    kind = kind_or_404(kind)
    unit = get_visible_unit_or_404(request.user, code)
    queryset, chosen = _records(kind, unit, request)
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"record": record, "cells": [_shown(sheets.cell(kind, record, name)) for name in kind.shown],
             # On a phone the glossary's abbreviation, the full name on tap (tiendo.lists.unit_name).
             "unit": unit_name(record.unit.name, record.unit.short_name,
                               reverse("registries:edit", args=[kind.slug, record.pk]))}
            for record in page]
    return render(request, "registries/list.html", {
        "kind": kind, "kinds": KINDS.values(), "unit": unit, "page": page, "rows": rows,
        "headers": [SHORT_HEADERS.get(name, kind.field(name).verbose_name) for name in kind.shown],
        "own_only": unit.is_grassroots and unit.numchild == 0,
        "can_add": bool(editable_units(request.user, unit)), **chosen,
        "parent": parent if parent is not None and can_view_unit(request.user, parent) else None,
    })


def _shown(value) -> tuple[str, bool]:
    """A cell as the page shows it, and whether it is a number (right-aligned)."""
    if value is None:
        return "—", False
    if isinstance(value, datetime.date):
        return short_date(value), False
    if isinstance(value, int) and not isinstance(value, bool):
        return integer(value), True
    return str(value), False


def _form_class(kind: Kind, units: list[Unit]):
    form_class = record_form(kind, units)
    if kind.slug == AGREEMENTS:
        def clean_file(form):
            file = form.cleaned_data.get("file")
            if file and hasattr(file, "content_type"):  # a new upload, not the stored file
                check_plan_file(file)
            return file
        form_class.clean_file = clean_file
    return form_class


def _save(request: HttpRequest, form, kind: Kind) -> HttpResponse:
    record = form.save(commit=False)
    if record.recorded_by_id is None:
        record.recorded_by = request.user
    record.save()
    messages.success(request, _("Saved: %(record)s.") % {"record": record})
    return redirect("registries:list", kind.slug, record.unit.code)


@login_required
def new(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    kind = kind_or_404(kind)
    unit = get_visible_unit_or_404(request.user, code)
    units = editable_units(request.user, unit)
    if not units:
        raise PermissionDenied
    form_class = _form_class(kind, units)
    form = form_class(request.POST or None, request.FILES or None, initial={"unit": units[0].code})
    if request.method == "POST" and form.is_valid():
        return _save(request, form, kind)
    return render(request, "registries/form.html", {"kind": kind, "unit": unit, "form": form, "can_edit": True},
                  status=400 if request.method == "POST" else 200)


def _record_or_404(request: HttpRequest, kind: Kind, pk: int):
    record = get_object_or_404(kind.model.objects.select_related("unit"), pk=pk)
    if not can_view_unit(request.user, record.unit):
        raise Http404
    return record


@login_required
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One record: its form for whoever enters its unit's data, read-only for the others; its file."""
    kind = kind_or_404(kind)
    record = _record_or_404(request, kind, pk)
    can_edit = can_edit_unit_data(request.user, record.unit)
    if request.GET.get("file") and getattr(record, "file", None):
        return _file_response(record)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = _form_class(kind, [record.unit])(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, kind)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "registries/form.html", {"kind": kind, "unit": record.unit, "form": form,
                                                    "record": record, "can_edit": can_edit},
                  status=400 if request.method == "POST" else 200)


def _file_response(record) -> HttpResponse:
    from django.http import FileResponse

    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=record.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind = kind_or_404(kind)
    record = _record_or_404(request, kind, pk)
    if not can_edit_unit_data(request.user, record.unit):
        raise PermissionDenied
    code, shown = record.unit.code, str(record)
    record.delete()
    messages.success(request, _("Deleted: %(record)s.") % {"record": shown})
    return redirect("registries:list", kind.slug, code)


@login_required
def export(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The .xlsx of the list as the page filters it; its columns are those the import reads."""
    kind = kind_or_404(kind)
    unit = get_visible_unit_or_404(request.user, code)
    queryset, _chosen = _records(kind, unit, request)
    title = str(kind.title)
    response = HttpResponse(xlsx_bytes(title, sheets.rows(kind, queryset.iterator(chunk_size=2000))),
                            content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(fold(title))}-{unit.code}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def upload(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Many records from a spreadsheet, all or none (registries.imports)."""
    kind = kind_or_404(kind)
    unit = get_visible_unit_or_404(request.user, code)
    if not editable_units(request.user, unit):
        raise PermissionDenied
    result, status = None, 200
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            result = imports.import_file(kind, file, unit, request.user)
        except ValidationError as error:
            result, status = imports.Refused(error.messages), 400
        else:
            if result.problems:
                status = 400
            else:
                messages.success(request, _("%(count)s records imported.") % {"count": result.created})
                return redirect(reverse("registries:list", args=[kind.slug, unit.code]))
    return render(request, "registries/import.html", {"kind": kind, "unit": unit, "result": result},
                  status=status)
