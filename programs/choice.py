"""The one place that picks which program a page, a document or a command is about.

Several programs are in force at once (the national confederation's, the province's, a
district's own plan) and one follows another (2020–2025, then 2025–2030). A page names its
program with `?program=CODE`; without it, the program in force today for the user's unit."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone

from programs.models import Program


def programs_for(unit=None, request=None) -> list[Program]:
    """The programs that apply to the unit (issued by one of its ancestors, itself, or nobody),
    drafts left out, newest term first (read once per request when one is given)."""
    key = ("programs_for", unit.pk if unit is not None else None)
    cache = getattr(request, "_tiendo_programs", None) if request is not None else None
    if cache is not None and cache[0] == key:
        return cache[1]
    programs = Program.objects.exclude(status=Program.Status.DRAFT).select_related("issuer_unit")
    chosen = [p for p in programs.order_by("-term_end", "code") if unit is None or p.applies_to(unit)]
    if request is not None:
        request._tiendo_programs = (key, chosen)
    return chosen


def _in_force_on(program: Program, day: datetime.date) -> bool:
    started = program.in_force_from or datetime.date(program.term_start, 1, 1)
    return (program.status == Program.Status.IN_FORCE and started <= day
            and day.year <= program.term_end)


def in_force_for(unit=None, day: datetime.date | None = None, request=None) -> Program | None:
    """The program in force on `day` (today) for the unit: among those applying to it and in
    force that day, the one issued highest in the tree (the province's before a district's own
    plan), one issued by a unit before one issued by nobody (the confederation's, which this
    system follows but does not run); else the newest whose term covers the day; else the newest
    that applies; else the newest of all."""
    day = day or timezone.localdate()
    candidates = programs_for(unit, request)
    in_force = [p for p in candidates if _in_force_on(p, day)]
    if in_force:
        return min(in_force, key=lambda p: (p.issuer_unit_id is None,
                                            p.issuer_unit.depth if p.issuer_unit_id else 0, -p.term_end))
    covering = [p for p in candidates if p.term_start <= day.year <= p.term_end]
    return (covering or candidates or [Program.objects.current()])[0]


def in_force_in_year(unit, year: int) -> Program | None:
    """The program in force for the unit in a reporting year (its last day, or today if sooner)."""
    return in_force_for(unit, min(datetime.date(year, 12, 31), timezone.localdate()))


def program_by_code(code: str) -> Program:
    program = Program.objects.select_related("issuer_unit").filter(code=code).first()
    if program is None:
        raise Http404("no such program")
    return program


SESSION_KEY = "program"


def program_for_request(request, unit=None) -> Program | None:
    """The program the page is about: `?program=CODE` (remembered for the session, so that the
    next pages stay on it), else the one chosen earlier in the session, else the one in force
    today for `unit` (the user's unit when not given)."""
    code = request.GET.get("program")
    if code:
        program = program_by_code(code)
        if hasattr(request, "session"):
            request.session[SESSION_KEY] = program.code
        return program
    remembered = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if remembered:
        program = Program.objects.select_related("issuer_unit").filter(code=remembered).first()
        if program is not None:
            return program
    if unit is None:
        unit = getattr(request.user, "unit", None)
    return in_force_for(unit, request=request)


def switch_context(request, program: Program | None, unit=None) -> dict:
    """What the switch (programs/_switch.html) shows: the program the page is about and the
    others the user may look at instead, with the page's other query parameters kept."""
    if unit is None:
        unit = getattr(request.user, "unit", None)
    kept = [(key, value) for key, values in request.GET.lists() if key != "program" for value in values]
    return {"program": program, "choices": programs_for(unit, request), "kept": kept}


def switched_to(request, program: Program) -> str | None:
    """The code of another program the switch asks for on a page whose address names `program`
    (the page then redirects to the same page of that program), else None."""
    code = request.GET.get("program")
    if code and code != program.code:
        return program_by_code(code).code
    return None
