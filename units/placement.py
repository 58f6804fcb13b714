"""Where a unit's figures of a period stand, in the two views of a changing hierarchy.

* THEN, "as it was" (the default): each period over the tree valid on its last day. A unit
  counts in a period if it existed during it, unless a reorganisation closed it before the
  period's last day (merged, split, dissolved: its successor reports for what it took over).
  It stands where it stood on the period's last day, or on its own last day if it closed
  during the period for any other reason (a company that shut down still owes that year).
  Its path there is its dated link's (UnitLink.path: ids, LINK_STEP digits each).
* NOW, "as it is now": the same units, each carried onto today's tree: a unit still open
  stands where it is today (Unit.path, treebeard); a closed unit stands at its primary
  successor's place (Unit.carried_onto, chains followed); one closed without a successor drops
  out.

The functions give Q objects and expressions over a relation `prefix` ("", "unit__",
"report__unit__"), so that the engine, the rollups and completeness ask one rule in SQL,
whatever the number of units.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from units.models import LINK_STEP, Unit, UnitLink

THEN = "then"
NOW = "now"
VIEWS = (THEN, NOW)


def _value(day):
    return Value(day) if isinstance(day, datetime.date) else day


def counts_in(prefix: str, starts, ends) -> Q:
    """The unit counts in the period [starts, ends] (dates, or F() of the row's period)."""
    return (
        Q(**{f"{prefix}valid_from__lte": ends})
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": starts}))
        & (Q(**{f"{prefix}closed_in_reorganisation": False}) | Q(**{f"{prefix}valid_to__isnull": True})
           | Q(**{f"{prefix}valid_to__gte": ends}))
    )


def then_day(prefix: str, ends):
    """The day whose tree places the unit in the period: the period's last, or the unit's own
    last day if it closed earlier."""
    ends = _value(ends)
    return Least(ends, Coalesce(F(f"{prefix}valid_to"), ends))


def link_valid_on(link_prefix: str, day) -> Q:
    return (Q(**{f"{link_prefix}valid_from__isnull": True}) | Q(**{f"{link_prefix}valid_from__lte": day})) & (
        Q(**{f"{link_prefix}valid_to__isnull": True}) | Q(**{f"{link_prefix}valid_to__gte": day}))


def then_link(unit_prefix: str, starts, ends) -> Q:
    """The unit counts in the period and its link (`{unit_prefix}links__`) is the one that places
    it: one filter() call must hold this Q and every other condition on that link."""
    return counts_in(unit_prefix, starts, ends) & link_valid_on(f"{unit_prefix}links__", then_day(unit_prefix, ends))


def now_path(prefix: str = ""):
    """SQL: the unit's path in today's tree as the "now" view places it (NULL: dropped)."""
    return Case(
        When(_open_today(prefix), then=F(f"{prefix}path")),
        default=F(f"{prefix}carried_onto__path"),
        output_field=CharField(),
    )


def _open_today(prefix: str = "") -> Q:
    """The unit stands at its own path today: it has not closed before today."""
    return Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": timezone.localdate()})


def _carried_onto(place: Q) -> Q:
    """The units carried onto a unit at `place`, by the successors' ids: an OR across a join to
    the successor (carried_onto__path) let PostgreSQL only scan every unit twice."""
    return Q(carried_onto__in=Unit.objects.filter(place).values("pk"))


def now_candidates(path: str, depth: int | None = None):
    """The ids of the units whose place today (now_path) may be `path` itself (depth None) or a
    place of that depth under it (a child's, in a breakdown): now_path is a unit's own path or
    the path of the unit it was carried onto, so one of the two lies there. A condition beside
    the exact one on now_path that the paths' index serves: SQLite cannot use an index for
    now_path, a CASE of two tables, and computed it for every report of the periods."""
    place = Q(path=path) if depth is None else Q(path__under=path, depth=depth)
    return Unit.objects.filter(place | _carried_onto(place)).values("pk")


def placed_at(path: str):
    """The ids of the units whose place today (now_path) is `path`, exactly: the open unit at
    that path, and the closed units carried onto it. Two conditions on the units alone, which
    their indexes serve (now_path, a CASE over the unit and its successor, none does)."""
    place, is_open = Q(path=path), _open_today()
    return Unit.objects.filter((is_open & place) | (~is_open & _carried_onto(place))).values("pk")


def step(view: str) -> int:
    """The length of one level of a path in the view's encoding."""
    return LINK_STEP if view == THEN else Unit.steplen


def root_paths(view: str, root: Unit, periods) -> dict[int, str]:
    """{period id: the root's path in that period's tree of the view}: THEN reads the root's
    links (one query) and takes the one of the period's last day (or of the root's own last day,
    if it closed earlier); NOW is the root's path today."""
    if view == NOW:
        return {p.id: root.path for p in periods}
    links = list(UnitLink.objects.filter(unit=root).values_list("valid_from", "valid_to", "path"))
    paths = {}
    for period in periods:
        day = min(period.ends_on, root.valid_to or period.ends_on)
        for valid_from, valid_to, path in links:
            if (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day):
                paths[period.id] = path
    return paths


def child_id(view: str, prefix: str) -> int | str:
    """What a child's path prefix names: a unit id in THEN (its last LINK_STEP digits), today's
    path in NOW."""
    return int(prefix[-LINK_STEP:]) if view == THEN else prefix
