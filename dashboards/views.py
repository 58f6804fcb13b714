"""The pages people look at: every target for a unit and a year, and one target across
the units below. Views only arrange what indicators.engine computes."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Min, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.permissions import get_visible_unit_or_404, home_unit, visible_ancestors, visible_units
from dashboards.lists import DirectRankingTable, RankingFilter, RankingTable, unit_query
from dashboards.presentation import sparkline
from indicators import reading
from indicators.engine import Engine, Result, Term, baseline, baselines, continued_series
from programs.choice import program_for_request, switch_context
from programs.models import Program, Target
from registries.links import figure_links
from reporting.todo import to_do
from tiendo.formatting import number
from tiendo.lists import configure, filter_rows, with_parent
from units.models import UPPER_UNION_KINDS, Succession, UnitKind, UnitLink, named_as_on
from units.placement import THEN, VIEWS
from units.search import find_units
from units.text import abbreviated_name

# The dashboard's unit picker lists this many units found at most (type more to narrow down).
PICKER_LIMIT = 20
# A bar chart of the units below stays readable on a phone up to about this many bars; beyond,
# it shows the highest and the lowest half of them each (the table ranks every unit).
CHART_BARS = 30


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
    view = view if view in VIEWS else THEN
    return {"program": program, "program_switch": switch_context(request, program), "unit": unit, "year": year,
            "years": years, "include_submitted": request.GET.get("submitted") == "1", "view": view}


def _named_then(choices: dict, units: list) -> None:
    """As it was, the page's unit and `units` (its parents, the units below) under the names they
    bore at the end of the year (UnitName), in one query; as it is now, today's names."""
    if choices["view"] == THEN:
        named_as_on([choices["unit"], *units], datetime.date(choices["year"], 12, 31))


def _picker(request: HttpRequest) -> dict:
    """The unit picker of the dashboard and the target page (?find=): the units of the user's
    subtree matching what was typed, diacritics ignored, each with the union it belongs to. Only
    for a user who sees more than their one unit."""
    own = home_unit(request.user)
    if own is None or (own.is_grassroots and not request.user.is_province_admin):
        return {"picker": None}
    found = find_units(visible_units(request.user), request.GET.get("find", ""), PICKER_LIMIT, prepare=_upper_first)
    return {"picker": found}


def _upper_first(units):
    """The picker's units with their parent, upper-level unions before grassroots unions."""
    grassroots = Case(When(kind=UnitKind.GRASSROOTS, then=Value(1)), default=Value(0))
    return with_parent(units).annotate(grassroots=grassroots).order_by("grassroots", "depth", "name")


def _row(result: Result, by_year: dict[int, Result], program: Program) -> dict:
    """What the read model says of the result, its change against the year before and its
    trend as a small chart."""
    points = [(year, r.value) for year, r in sorted(by_year.items())]
    return {**reading.reading(result, program), "spark": sparkline(points, result.target.value),
            "change": reading.change(result, by_year.get(result.year - 1))}


def _then_hint(unit, year: int, view: str) -> str:
    """Why the page "as it was" is empty: no unit of that year stood under the unit (it did not
    exist yet, or no more, or its units came to it later); "" otherwise. (Only the plans'
    deadline targets, counted over today's tree in both views, may still show a figure.)"""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if view != THEN or unit.kind == UnitKind.GRASSROOTS or (
            unit.valid_from <= last and not (unit.valid_to and unit.valid_to < first)
            and UnitLink.objects.on(last).filter(parent=unit).exists()):
        return ""
    words = {"unit": unit.name, "year": year}
    if unit.valid_from > last:
        return _("%(unit)s was formed on %(day)s: as it was, no unit stood under it in %(year)s. "
                 "As it is now, the figures of %(year)s of the units under it today are added up.") % {
            **words, "day": unit.valid_from.strftime("%d/%m/%Y")}
    if unit.valid_to and unit.valid_to < first:
        return _("%(unit)s closed on %(day)s: as it was, no unit stood under it in %(year)s.") % {
            **words, "day": unit.valid_to.strftime("%d/%m/%Y")}
    return _("As it was, no unit stood under %(unit)s in %(year)s: the units under it today came to it "
             "later. As it is now, their figures of %(year)s are added up.") % words


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every target of the program for a unit's subtree and a year, grouped by section."""
    program = program_for_request(request)
    if program is None:
        return render(request, "no_program.html")
    choices = _choices(request, program)
    engine = Engine(choices["program"], choices["include_submitted"], choices["view"])
    series = engine.series(choices["unit"])
    earlier = _earlier_figures(engine, choices["unit"], choices["year"])
    groups: list[dict] = []
    not_applying: list[Target] = []
    for target in engine.targets:
        by_year = series[target.code]
        row = _row(by_year[choices["year"]], by_year, program)
        if target.code in earlier:
            row["change"] = reading.change(row["result"], earlier[target.code])
        if not row["applies"]:  # about other kinds of unions than those of this subtree
            not_applying.append(target)
            continue
        if not groups or groups[-1]["section"] != target.section:
            groups.append({"section": target.section, "rows": []})
        groups[-1]["rows"].append(row)
    then_hint = _then_hint(choices["unit"], choices["year"], choices["view"])
    parents = visible_ancestors(request.user, choices["unit"])
    _named_then(choices, parents)
    counts = reading.status_counts(row["result"].status for group in groups for row in group["rows"])
    summary = [(reading.status_look(status), n) for status, n in counts]
    return render(request, "dashboards/dashboard.html", {
        **choices, "groups": groups, "summary": summary, "not_applying": [] if then_hint else not_applying,
        "then_hint": then_hint, "now_query": urlencode({**request.GET.dict(), "view": "now"}),
        "parents": parents, "todo": to_do(request.user),
        **_picker(request),
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
    # Units the target does not concern (no unit of its kinds below them) are left out; each
    # unit's series up to the year gives its change against the year before (the same queries
    # as one year; only the year judged, as the table shows no other). The breakdown first: the
    # unit's own series then adds up the units it counted below (Engine._units).
    year = choices["year"]
    below = engine.breakdown_series(choices["unit"], [target], up_to=year, concerned_in=year)[target.code]
    by_year = engine.series(choices["unit"], [target])[target.code]
    parents = visible_ancestors(request.user, choices["unit"])
    _named_then(choices, [*parents, *(child for child, _ in below)])
    earlier_below = _earlier_breakdown(engine, target, choices["unit"], year)
    # Like with like: the upper-level unions below are ranked among themselves, and the
    # grassroots unions attached directly to the unit (the province's ~90 CĐCS trực thuộc)
    # among themselves, as a group of their own folded below.
    upper = [(child, by_year) for child, by_year in below if not child.is_grassroots]
    direct = [(child, by_year) for child, by_year in below if child.is_grassroots] if upper else []
    rows = _ranked(upper or below, year, program, earlier_below)
    direct_rows = _ranked(direct, year, program, earlier_below)
    ranked = sorted((r for r in rows if r["rank"] is not None), key=lambda r: r["rank"])
    charted = _ends(ranked, CHART_BARS)
    ranking_filter, table = _ranking(request, rows, RankingTable, target, choices)
    direct_filter, direct_table = _ranking(request, direct_rows, DirectRankingTable, target, choices)
    for listed in (table, direct_table):
        if download := configure(request, listed):
            return download
    labels = program.expression_labels()
    # Carried on from one term to the next (Target.continues): one series over every term.
    terms = continued_series(engine, target, choices["unit"], by_year)
    across = {y: result for term in terms for y, result in term.results.items()}  # a first year has one before
    current = {**_row(by_year[year], by_year, program), "change": reading.change(by_year[year], across.get(year - 1))}
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
        # On the bars, names abbreviated by the glossary's rules; the full name in the tooltip.
        "children": {"names": [abbreviated_name(r["unit"].name, r["unit"].short_name) for r in charted],
                     "full_names": [r["unit"].name for r in charted],
                     "links": ["?" + unit_query(r["unit"], choices) for r in charted],
                     "values": [_plain(r["result"].value) for r in charted],
                     "statuses": [r["result"].status for r in charted]},
    }
    return render(request, "dashboards/target.html", {
        **choices, "target": target, "current": current, "rows": rows, "table": table, "filter": ranking_filter,
        "direct_rows": direct_rows, "direct_table": direct_table, "direct_filter": direct_filter,
        "direct_open": any(name.startswith(DirectRankingTable.list_name) for name in request.GET),
        "kept": [(name, value) for name, value in request.GET.items()
                 if name.startswith((RankingTable.list_name, DirectRankingTable.list_name))],
        "choice_params": _choice_params(choices), "chart": chart,
        "charted": len(charted), "ranked_count": len(ranked), "chart_half": CHART_BARS // 2,
        "trend_terms": [_trend_term(term, target, across) for term in terms], "several_terms": len(terms) > 1,
        "baseline": base and {"year": base.year, "shown": number(base.value, target.unit),
                              "target": base.target, "term": _term_label(base.target.program)},
        "parents": parents, **_picker(request),
        "numerator_text": target.numerator_expr.describe(labels),
        "denominator_text": target.denominator_expr.describe(labels) if target.denominator else "",
        "registry_links": figure_links(target, choices["unit"], choices["year"], labels, program.code),
    })


def _ends(ranked: list, most: int) -> list:
    """The ranked rows a chart shows: all of them, or beyond `most` the first and the last
    `most` // 2 (the best and the worst ranked), in rank order."""
    if len(ranked) <= most:
        return ranked
    half = most // 2
    return ranked[:half] + ranked[-half:]


def _ranked(below: list, year: int, program: Program, earlier: dict[int, Result]) -> list[dict]:
    """The rows of a group of units below, each with its rank within the group and its change
    against the year before (`earlier`: the figures of a program's first year's year before)."""
    ranks = reading.ranks([(child, by_year[year]) for child, by_year in below])
    return [_RankedRow(child, by_year[year], ranks.get(child), by_year.get(year - 1) or earlier.get(child.pk),
                       program) for child, by_year in below]


class _RankedRow(dict):
    """One unit's row of a ranking: its unit, result and rank, which the ranking, the filter and
    the chart read for every unit below; what the table shows besides (reading.reading's
    formatted figures, the change on the year before) is made when first read. A district's
    1,600 grassroots unions are ranked and filtered; one page of them is shown."""

    def __init__(self, unit, result: Result, rank: int | None, previous: Result | None, program: Program):
        super().__init__(unit=unit, result=result, rank=rank)
        self._previous, self._program = previous, program

    def __missing__(self, key):
        if key == "change":
            self[key] = reading.change(self["result"], self._previous)
        elif self._program is not None:  # the first read of anything else: the whole reading
            for name, value in reading.reading(self["result"], self._program).items():
                self.setdefault(name, value)
            self._program = None
        if key not in self:
            raise KeyError(key)
        return self[key]


def _ranking(request: HttpRequest, rows: list[dict], table_class, target: Target, choices: dict):
    """A group's filter and table (each list its own prefix)."""
    ranking_filter = RankingFilter(request.GET, user=request.user, root=choices["unit"], prefix=table_class.list_name,
                                   statuses={row["result"].status for row in rows})
    table = table_class(filter_rows(ranking_filter, rows, unit_of=lambda row: row["unit"],
                                    status_of=lambda row: row["result"].status), target=target, choices=choices)
    return ranking_filter, table


def _term_label(program: Program) -> str:
    return _("Program %(start)s–%(end)s") % {"start": program.term_start, "end": program.term_end}


def _trend_term(term: Term, shown: Target, across: dict[int, Result]) -> dict:
    """One term's years as the trend table shows them, each read against its own program's
    target, and its change on the year before (`across`: every term's years, a term's first year
    against the last of the term before)."""
    return {"label": _term_label(term.program), "program": term.program, "target": term.target,
            "own": term.target.pk == shown.pk,
            "rows": [{**reading.reading(result, term.program),
                      "change": reading.change(result, across.get(result.year - 1))}
                     for result in term.results.values()]}


def _earlier_figures(engine: Engine, root, year: int) -> dict[str, Result]:
    """In a program's first year, each continuing target's figure of the year before, from the
    target it carries on (engine.baselines: one series of the earlier program, whatever the
    units); in any other year nothing (the program's own series holds the year before)."""
    if year - 1 in engine.program.reporting_years:
        return {}
    return {code: result for code, result in baselines(engine, root).items() if result.year == year - 1}


def _earlier_breakdown(engine: Engine, target: Target, root, year: int) -> dict[int, Result]:
    """In a program's first year, each unit below's figure of the year before of the target this
    one carries on (unit id → result): one breakdown of the earlier program; else nothing."""
    if year - 1 in engine.program.reporting_years or not target.continues_id:
        return {}
    earlier = Target.objects.select_related("program").get(pk=target.continues_id)
    other = Engine(earlier.program, engine.include_submitted, engine.view)
    own = next(t for t in other.targets if t.pk == earlier.pk)
    return {child.pk: by_year[year - 1] for child, by_year
            in other.breakdown_series(root, [own], up_to=year - 1)[own.code] if year - 1 in by_year}


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
