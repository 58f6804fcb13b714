"""The one place where the API turns what a request names into a program and a period.

A request names a program by its code (`?program=`, or the program of the report it is
about) and a period by its year and half (0: the whole year): never by a period's id, so that
a client's calls stay the same when periods become calendar periods shared by programs."""

from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import ValidationError

from programs.choice import in_force_for
from programs.models import Program
from reporting.elements import program_elements_for, programs_asking
from reporting.models import Period


def program_of(request, code: str | None = None) -> Program:
    """The program named by `code` or by the request's `?program=`; by default the program in
    force today for the user's unit, as on the pages (programs.choice)."""
    code = code if code is not None else request.query_params.get("program")
    if code:
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise ValidationError({"program": f"Không có chương trình “{code}”. / No program “{code}”."})
        return program
    program = in_force_for(getattr(request.user, "unit", None))
    if program is None:
        raise Http404("Chưa có chương trình. / No program is loaded.")
    return program


def kind_of(half: int) -> str:
    return Period.Kind.HALF if half else Period.Kind.YEAR


def periods_of(program: Program):
    """The periods a program reports in: the calendar's periods of its reporting years."""
    return Period.objects.filter(year__in=list(program.reporting_years))


def period_of(program: Program, year: int, half: int = 0) -> Period:
    """The period of that year (and half) in which the program's reports are made; 404 if none is open."""
    period = periods_of(program).filter(kind=kind_of(half), year=year, half=half).first()
    if period is None:
        raise Http404("Không có kỳ báo cáo này. / No such reporting period.")
    return period


def period_label(period: Period) -> str:
    """The ISO 8601 period of ADX: a year as 2024-01-01/P1Y, a half as 2024-07-01/P6M."""
    return f"{period.starts_on.isoformat()}/{'P6M' if period.half else 'P1Y'}"


# What a report is read with.
REPORT_RELATED = ("unit", "period")


def report_programs(report) -> list[str]:
    """The codes of the programs asking the report's unit in its period: one report feeds them all."""
    return [p.code for p in programs_asking(report.period) if program_elements_for(p, report.unit)]
