"""The pages people look at: every target for a unit and a year, and one target across
the units below. Views only arrange what indicators.engine computes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.permissions import get_visible_unit_or_404, home_unit, visible_ancestors
from dashboards.lists import RankingFilter, RankingTable
from dashboards.presentation import sparkline
from indicators import reading
from indicators.engine import Engine, Result, Term, baseline, continued_series
from programs.choice import program_for_request, switch_context
from programs.models import Program, Target
from registries.links import figure_links
from reporting.todo import to_do
from tiendo.formatting import number
from tiendo.lists import configure, filter_rows
from units.models import UPPER_UNION_KINDS, Succession
from units.placement import THEN, VIEWS


def _choices(request: HttpRequest, program: Program) -> dict:
    """Unit, year, whether submitted reports count and the view of a changing hierarchy ("then",
    as it was, the default; "now", as it is now), from the query string."""
    code = request.GET.get("unit")
    if code:
        unit = get_visible_unit_or_404(request.user, code)
    else:
        unit = home_unit(request.user)
        if unit is None:
            raise Http404
    years = program.reporting_years
    this_year = timezone.localdate().year
    default_year = max([y for y in years if y <= this_year] or years)
    try:
        year = int(request.GET.get("year", default_year))
    except ValueError:
        year = default_year
    if year not in years:
        year = default_year
    view = request.GET.get("view", THEN)
    return {"program": program, "program_switch": switch_context(request, program), "unit": unit, "year": year,
            "years": years,
            "include_submitted": request.GET.get("submitted") == "1", "view": view if view in VIEWS else THEN}


def _row(result: Result, by_year: dict[int, Result], program: Program) -> dict:
    """What the read model says of the result, and its trend as a small chart."""
    points = [(year, r.value) for year, r in sorted(by_year.items())]
    return {**reading.reading(result, program), "spark": sparkline(points, result.target.value)}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every target of the program for a unit's subtree and a year, grouped by section."""
    program = program_for_request(request)
    if program is None:
        return render(request, "no_program.html")
    choices = _choices(request, program)
    engine = Engine(choices["program"], choices["include_submitted"], choices["view"])
    series = engine.series(choices["unit"])
    groups: list[dict] = []
    not_applying: list[Target] = []
    for target in engine.targets:
        by_year = series[target.code]
        row = _row(by_year[choices["year"]], by_year, program)
        if not row["applies"]:  # about other kinds of unions than those of this subtree
            not_applying.append(target)
            continue
        if not groups or groups[-1]["section"] != target.section:
            groups.append({"section": target.section, "rows": []})
        groups[-1]["rows"].append(row)
    counts = reading.status_counts(row["result"].status for group in groups for row in group["rows"])
    summary = [(reading.status_look(status), n) for status, n in counts]
    return render(request, "dashboards/dashboard.html", {
        **choices, "groups": groups, "summary": summary, "not_applying": not_applying,
        "parents": visible_ancestors(request.user, choices["unit"]), "todo": to_do(request.user),
    })


@login_required
def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One target: its trend for the unit, and its value for each unit below, ranked."""
    program = program_for_request(request)
    if program is None:
        return render(request, "no_program.html")
    target = Target.objects.select_related("section").filter(program=program, code=code).first()
    if target is None:
        if request.GET.get("program"):  # switched to a program without this target: its targets
            return redirect(f"{reverse('dashboards:dashboard')}?{urlencode({'program': program.code})}")
        raise Http404
    choices = _choices(request, program)
    engine = Engine(program, choices["include_submitted"], choices["view"])
    by_year = engine.series(choices["unit"], [target])[target.code]
    # Units the target does not concern (no unit of its kinds below them) are left out.
    concerned = [(child, result) for child, result in engine.breakdown(target, choices["unit"], choices["year"])
                 if result.expected]
    ranks = reading.ranks(concerned)
    rows = [{"unit": child, **_row(result, {}, program), "rank": ranks.get(child)} for child, result in concerned]
    ranked = sorted((r for r in rows if r["rank"] is not None), key=lambda r: r["rank"])
    ranking_filter = RankingFilter(request.GET, user=request.user, root=choices["unit"], prefix=RankingTable.list_name,
                                   statuses={row["result"].status for row in rows})
    table = RankingTable(filter_rows(ranking_filter, rows, unit_of=lambda row: row["unit"],
                                     status_of=lambda row: row["result"].status), target=target, choices=choices)
    if download := configure(request, table):
        return download
    labels = program.expression_labels()
    current = _row(by_year[choices["year"]], by_year, program)
    # Carried on from one term to the next (Target.continues): one series over every term.
    terms = continued_series(engine, target, choices["unit"], by_year)
    years = [year for term in terms for year in term.results]
    base = baseline(terms, target)
    province_wide = reading.is_province_wide(target)
    chart = {
        "target": float(target.value),
        # A province-wide target's line belongs to the province only, not to a subtree's
        # contribution nor to the units below.
        "target_lines": {"trend": not current["contribution"], "children": not province_wide},
        "unit": target.unit,
        "trend": {"years": years,
                  "values": [_plain(r.value) for term in terms for r in term.results.values()],
                  # Each year against its own program's target: the line steps at a term boundary.
                  "targets": [float(term.target.value) for term in terms for _ in term.results]},
        "reorganised": _reorganised_on(years),
        "terms": [{"year": min(term.results), "label": _term_label(term.program)}
                  for term in terms[1:] if term.results],
        "children": {"names": [r["unit"].short_name or r["unit"].name for r in ranked],
                     "values": [_plain(r["result"].value) for r in ranked],
                     "statuses": [r["result"].status for r in ranked]},
    }
    return render(request, "dashboards/target.html", {
        **choices, "target": target, "current": current, "rows": rows, "table": table, "filter": ranking_filter,
        "kept": [(name, value) for name, value in request.GET.items() if name.startswith(RankingTable.list_name)],
        "choice_params": _choice_params(choices), "chart": chart,
        "trend_terms": [_trend_term(term, target) for term in terms], "several_terms": len(terms) > 1,
        "baseline": base and {"year": base.year, "shown": number(base.value, target.unit),
                              "target": base.target, "term": _term_label(base.target.program)},
        "parents": visible_ancestors(request.user, choices["unit"]),
        "numerator_text": target.numerator_expr.describe(labels),
        "denominator_text": target.denominator_expr.describe(labels) if target.denominator else "",
        "registry_links": figure_links(target, choices["unit"], choices["year"], labels, program.code),
    })


def _term_label(program: Program) -> str:
    return _("Program %(start)s–%(end)s") % {"start": program.term_start, "end": program.term_end}


def _trend_term(term: Term, shown: Target) -> dict:
    """One term's years as the trend table shows them, each read against its own program's target."""
    return {"label": _term_label(term.program), "program": term.program, "target": term.target,
            "own": term.target.pk == shown.pk,
            "rows": [reading.reading(result, term.program) for result in term.results.values()]}


def _reorganised_on(years: list[int]) -> dict | None:
    """The first day upper-level unions were dissolved or merged within the chart's years (1 July
    2025 for An Giang), from the units' succession records: the trend chart marks it."""
    if not years:
        return None
    first = (Succession.objects.filter(predecessor__kind__in=UPPER_UNION_KINDS,
                                       effective_on__year__range=(years[0], years[-1]))
             .aggregate(first=Min("effective_on"))["first"])
    if first is None:
        return None
    return {"year": first.year, "label": _("%(day)s: reorganisation") % {"day": first.strftime("%d/%m/%Y")}}


def _choice_params(choices: dict) -> list[tuple[str, object]]:
    """The unit, year, submitted and view choices as query parameters, for the ranking's filter form to keep."""
    params = [("program", choices["program"].code), ("unit", choices["unit"].code), ("year", choices["year"])]
    params += [("submitted", 1)] if choices["include_submitted"] else []
    return params + [("view", choices["view"])] if choices["view"] != THEN else params


def _plain(value):
    return None if value is None else float(value)
