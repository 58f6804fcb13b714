"""Counts derived from the registries, read as the report elements read them.

Which records a figure counts (the program files' data elements; README "Registries"):

* `cba_signed` — the union has an agreement in force on the period's last day (signed on or
  before it, not expired before it); for a subtree, the number of unions that have one;
* `cba_quality_class` — that agreement's class, if it was classed in the period's year or
  before; for a subtree, the number of unions per class (the targets count A and B);
* `cba_more_favourable` — that agreement has terms more favourable than the law;
* `union_homes` — houses handed over during the period;
* `initiatives` — initiatives recognised in the period's year (yearly periods only: a record
  carries its year, not a day);
* `labour_disputes` — disputes, stoppages and strikes that started during the period;
* `disputes_with_union` — those of them in which the union took part.

Where a record counts: where the engine's "as it is now" view (units.placement.NOW, the
dashboard's "như hiện nay") puts its unit's figures — at the unit's place in today's tree; the
records of a unit closed by a reorganisation (merged, split, dissolved onto a successor) at the
place of the unit that carries its figures today (Unit.carried_onto, kept by units.history:
chains followed, the primary successor of a split); a unit closed without a successor drops
out, as its reports do in that view. So a record moved with its unit counts once, under the unit's
new parent, and a successor's report is prefilled with what it took over. The counts are SQL
aggregates: one query per kind of record, whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value

from registries.models import CollectiveAgreement, Initiative, LabourDispute, UnionHome
from reporting.models import Period
from units import placement
from units.models import Unit

AGREEMENTS, HOMES, INITIATIVES, DISPUTES = "agreements", "homes", "initiatives", "disputes"
KINDS = (AGREEMENTS, HOMES, INITIATIVES, DISPUTES)
MODELS = {AGREEMENTS: CollectiveAgreement, HOMES: UnionHome, INITIATIVES: Initiative, DISPUTES: LabourDispute}

# The report elements a registry counts, and the registry that counts each.
ELEMENT_KINDS = {
    "cba_signed": AGREEMENTS,
    "cba_quality_class": AGREEMENTS,
    "cba_more_favourable": AGREEMENTS,
    "union_homes": HOMES,
    "initiatives": INITIATIVES,
    "labour_disputes": DISPUTES,
    "disputes_with_union": DISPUTES,
}
GOOD_CLASSES = ("A", "B")
COUNTED_KINDS = (HOMES, INITIATIVES, DISPUTES)  # counted over a subtree; agreements are a unit's own
AGREEMENT_FIELDS = ("unit_id", "signed_on", "expires_on", "quality_class", "classed_year", "more_favourable")


def placed(queryset: QuerySet) -> QuerySet:
    """Records annotated with `counted_path`: the path of the unit they count under today, as the
    engine's "as it is now" view places a unit's figures (units.placement.now_path): an open
    unit's own; a closed unit's successor's (Unit.carried_onto); none (the record drops out) for
    a unit closed without a successor."""
    return queryset.annotate(counted_path=placement.now_path("unit__"))


def in_subtree(queryset: QuerySet, root: Unit) -> QuerySet:
    """The records that count in the root's subtree: a unit with no unit below it (a grassroots
    union's, as its submission cross-checks them) has its own alone (at_unit)."""
    if root.is_leaf():
        return at_unit(queryset, root)
    return placed(queryset).filter(counted_path__under=root.path)


def at_unit(queryset: QuerySet, unit: Unit) -> QuerySet:
    """The records that count as the unit's own (its own, and those of the units it carries):
    those of the units placed at its path today (placement.placed_at), found by the units'
    indexes. The same records as `counted_path == unit.path`, which no database can index (a
    CASE of two tables: SQLite computed it for each of the 225,534 initiatives of a 15,000-union
    province in a grassroots union's submission, PostgreSQL scanned every unit twice)."""
    return placed(queryset).filter(unit__in=placement.placed_at(unit.path))


def in_period(kind: str, period: Period) -> Q:
    """The records of `kind` a period's figure counts (before any narrower condition)."""
    if kind == AGREEMENTS:
        return CollectiveAgreement.in_force_q(period.ends_on)
    if kind == HOMES:
        return Q(handed_over_on__gte=period.starts_on, handed_over_on__lte=period.ends_on)
    if kind == INITIATIVES:
        return Q(year=period.year) if period.kind == Period.Kind.YEAR else Q(pk__in=[])
    return Q(started_on__gte=period.starts_on, started_on__lte=period.ends_on)


def element_q(code: str, period: Period, classes=GOOD_CLASSES) -> Q:
    """The records behind one element's figure (for a subtree: behind the count)."""
    kind = ELEMENT_KINDS[code]
    q = in_period(kind, period)
    if code == "cba_quality_class":
        q &= Q(quality_class__in=classes, classed_year__lte=period.year)
    elif code == "cba_more_favourable":
        q &= Q(more_favourable=True)
    elif code == "disputes_with_union":
        q &= Q(union_took_part=True)
    return q


def records_behind(code: str, root: Unit, period: Period, classes=GOOD_CLASSES) -> QuerySet:
    """The records of the root's subtree behind an element's figure for the period (for the
    class of agreements, those of `classes`)."""
    return in_subtree(MODELS[ELEMENT_KINDS[code]].objects.all(), root).filter(element_q(code, period, classes))


def subtree_counts(root: Unit, period: Period) -> dict[str, int]:
    """The root's subtree's counts for the period, keyed by element code (cba_quality_class:
    the unions with an agreement of class A or B; `cba_class_X` per class), in four queries."""
    placed_agreements = in_subtree(CollectiveAgreement.objects.order_by(), root)
    in_force = in_period(AGREEMENTS, period)
    classed = Q(classed_year__lte=period.year)
    agreements = placed_agreements.aggregate(
        cba_signed=Count("counted_path", distinct=True, filter=in_force),
        cba_more_favourable=Count("counted_path", distinct=True, filter=in_force & Q(more_favourable=True)),
        cba_quality_class=Count("counted_path", distinct=True,
                                filter=in_force & classed & Q(quality_class__in=GOOD_CLASSES)),
        **{f"cba_class_{c}": Count("counted_path", distinct=True, filter=in_force & classed & Q(quality_class=c))
           for c in "ABCD"},
    )
    homes = in_subtree(UnionHome.objects.order_by(), root).aggregate(
        union_homes=Count("pk", filter=in_period(HOMES, period)))
    initiatives = in_subtree(Initiative.objects.order_by(), root).aggregate(
        initiatives=Count("pk", filter=in_period(INITIATIVES, period)))
    during = in_period(DISPUTES, period)
    disputes = in_subtree(LabourDispute.objects.order_by(), root).aggregate(
        labour_disputes=Count("pk", filter=during),
        disputes_with_union=Count("pk", filter=during & Q(union_took_part=True)))
    return {**agreements, **homes, **initiatives, **disputes}


@dataclass(frozen=True)
class Figure:
    """What the registry says one element of a unit's report should be. `kept`: the registry
    holds at least one record of this kind for the unit (any year); where it holds none, the
    registry is not kept there and says nothing (no prefill, no finding)."""

    code: str
    value: object
    kept: bool
    records: int  # the records behind the value


def unit_figures(unit: Unit, period: Period, codes) -> dict[str, Figure]:
    """The registry's values of the unit's own report for the period, for the element codes
    asked (those a registry counts; others are left out): one query for the agreements, one
    for the counted kinds together.

    Agreements are the unit's own (and those of the units it carries); the counts (houses,
    initiatives, disputes) are over its subtree: a grassroots union's is itself, an upper-level
    union's disputes are those of every enterprise below it."""
    codes = [code for code in codes if code in ELEMENT_KINDS]
    kinds = {ELEMENT_KINDS[code] for code in codes}
    agreements = list(at_unit(CollectiveAgreement.objects.all(), unit).values(*AGREEMENT_FIELDS)) \
        if AGREEMENTS in kinds else []
    counted = [(kind, MODELS[kind]) for kind in COUNTED_KINDS if kind in kinds]
    counts = _union_all([_count_of(model, kind, unit, period) for kind, model in counted])
    return _figures_from(codes, unit, period, agreements, {row["registry"]: row for row in counts})


def units_figures(units, period: Period, codes) -> dict[int, dict[str, Figure]]:
    """unit_figures() for many units (a spreadsheet's rows) in two queries for all the grassroots
    unions among them, whose subtree is their own place (records of the unions they carry
    included); any other unit in its own two."""
    codes = [code for code in codes if code in ELEMENT_KINDS]
    if not codes:
        return {unit.pk: {} for unit in units}
    kinds = {ELEMENT_KINDS[code] for code in codes}
    leaves = {unit.path: unit for unit in units if unit.is_grassroots}
    found = {unit.pk: unit_figures(unit, period, codes) for unit in units if not unit.is_grassroots}
    if not leaves:
        return found
    agreements: dict[str, list] = {}
    if AGREEMENTS in kinds:
        for row in placed(CollectiveAgreement.objects.all()).filter(counted_path__in=list(leaves)).values(
                "counted_path", *AGREEMENT_FIELDS):
            agreements.setdefault(row["counted_path"], []).append(row)
    counted = [(kind, MODELS[kind]) for kind in COUNTED_KINDS if kind in kinds]
    counts: dict[str, dict] = {}
    for row in _union_all([_counts_by_place(model, kind, list(leaves), period) for kind, model in counted]):
        counts.setdefault(row["counted_path"], {})[row["registry"]] = row
    for path, unit in leaves.items():
        found[unit.pk] = _figures_from(codes, unit, period, agreements.get(path, []), counts.get(path, {}))
    return found


def _figures_from(codes, unit: Unit, period: Period, agreements: list[dict], counts: dict) -> dict[str, Figure]:
    """The figures of the codes from the unit's agreement rows and its counted kinds' rows
    ({registry: row}; no row: no record of the kind at all)."""
    figures: dict[str, Figure] = {}
    if any(ELEMENT_KINDS[code] == AGREEMENTS for code in codes):
        figures |= _agreement_figures(agreements, unit, period)
    for kind in COUNTED_KINDS:
        row = counts.get(kind, {"total": 0, "n": 0, "with_union": 0})
        kept = row["total"] > 0
        for code in (c for c, k in ELEMENT_KINDS.items() if k == kind):
            value = row["with_union"] if code == "disputes_with_union" else row["n"]
            figures[code] = Figure(code, value, kept, value)
    return {code: figures[code] for code in codes}


def _counts_by_place(model, kind: str, paths: list[str], period: Period) -> QuerySet:
    """_count_of() for many grassroots unions at once: one row per place (counted_path)."""
    records = placed(model.objects.order_by()).filter(counted_path__in=paths)
    return _counted(records, kind, period, "counted_path")


def _count_of(model, kind: str, unit: Unit, period: Period) -> QuerySet:
    """One row (registry, total, n, with_union) of the kind's records in the unit's subtree: all of
    them (whether the registry is kept), those of the period, and of these the disputes the
    union took part in; no row when the kind has no record there."""
    return _counted(in_subtree(model.objects.order_by(), unit), kind, period)


def _counted(records: QuerySet, kind: str, period: Period, *by: str) -> QuerySet:
    during = in_period(kind, period)
    with_union = Count("pk", filter=during & Q(union_took_part=True)) if kind == DISPUTES else Value(0)
    return (records.annotate(registry=Value(kind)).values("registry", *by)
            .annotate(total=Count("pk"), n=Count("pk", filter=during), with_union=with_union))


def _union_all(querysets: list[QuerySet]) -> list[dict]:
    """The rows of every count in one query (the entry page and a submission ask for them)."""
    if not querysets:
        return []
    first, *others = querysets
    return list(first.union(*others, all=True)) if others else list(first)


def _agreement_figures(rows: list[dict], unit: Unit, period: Period) -> dict[str, Figure]:
    """The agreement figures from the unit's agreement rows (AGREEMENT_FIELDS)."""
    day = period.ends_on
    in_force = [r for r in rows if r["signed_on"] <= day and (r["expires_on"] is None or r["expires_on"] >= day)]
    # The unit's own agreement before one it took over with a merged union; the latest first.
    in_force.sort(key=lambda r: (r["unit_id"] != unit.pk, -r["signed_on"].toordinal()))
    current = in_force[0] if in_force else None
    kept = bool(rows)
    quality = current["quality_class"] if current and current["classed_year"] and \
        current["classed_year"] <= period.year else None
    return {
        "cba_signed": Figure("cba_signed", current is not None, kept, len(in_force)),
        "cba_quality_class": Figure("cba_quality_class", quality or None, kept, 1 if quality else 0),
        "cba_more_favourable": Figure("cba_more_favourable", bool(current and current["more_favourable"]), kept,
                                      1 if current and current["more_favourable"] else 0),
    }
