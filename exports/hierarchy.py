"""What a document says about the hierarchy's changes in its years (issue #14): read from the
units' dated records (units.models: Succession, UnitLink, the units' validity), never entered.

A unit is "under the root" on a day when its dated link of that day lies below the root's link
of that day: the tree as it was then, so a dissolved district still has its grassroots unions
on the day before it was dissolved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from units.models import UPPER_UNION_KINDS, Succession, Unit, UnitKind, UnitLink


@dataclass
class HierarchyChanges:
    first_day: datetime.date
    last_day: datetime.date
    # Upper-level unions closed by a reorganisation (dissolved or merged), by effective date.
    closed_upper: dict[datetime.date, list[Unit]] = field(default_factory=dict)
    formed: list[Unit] = field(default_factory=list)  # upper-level unions that opened in the years
    grassroots_moved: int = 0  # grassroots unions placed under another parent by a reorganisation
    grassroots_dissolved: int = 0  # closed by a reorganisation without a successor
    grassroots_merged: int = 0  # closed into a successor (merge, split, takeover, dissolve with successor)
    members_before: int = 0  # members of the grassroots unions under the root the day before the first change
    members_after: int = 0  # … on the last day the document reads
    grassroots_before: int = 0
    grassroots_after: int = 0

    @property
    def first_change(self) -> datetime.date | None:
        dates = list(self.closed_upper)
        return min(dates) if dates else None

    @property
    def any(self) -> bool:
        return bool(self.closed_upper or self.formed or self.grassroots_moved or self.grassroots_dissolved
                    or self.grassroots_merged)


def _under(root: Unit, day: datetime.date) -> Q:
    """Links of `day` below (or at) the root's link of `day`; nothing if the root had none."""
    link = UnitLink.objects.on(day).filter(unit=root).values_list("path", flat=True).first()
    return Q(path__under=link) if link else Q(pk__in=[])


def _grassroots_on(root: Unit, day: datetime.date) -> tuple[int, int]:
    """(grassroots unions, their members) under the root in the tree of `day`."""
    units = Unit.objects.active(day).filter(kind=UnitKind.GRASSROOTS, pk__in=UnitLink.objects.on(day).filter(
        _under(root, day)).values("unit_id"))
    found = units.aggregate(members=Sum("members"))
    return units.count(), found["members"] or 0


def hierarchy_changes(root: Unit, first_day: datetime.date, last_day: datetime.date) -> HierarchyChanges:
    """The reorganisations between the two days (both included) in the root's subtree. A handful
    of queries whatever the number of changes: the units' links are read at once and placed in
    memory."""
    changes = HierarchyChanges(first_day, last_day)
    successions = list(Succession.objects.filter(effective_on__range=(first_day, last_day))
                       .select_related("predecessor").order_by("effective_on", "predecessor__name"))
    formed = list(Unit.objects.filter(kind__in=UPPER_UNION_KINDS, valid_from__range=(first_day, last_day))
                  .order_by("valid_from", "name"))
    root_links = list(UnitLink.objects.filter(unit=root).values_list("path", "valid_from", "valid_to"))
    links: dict[int, list[tuple]] = defaultdict(list)
    for unit_id, *link in UnitLink.objects.filter(
            unit__in={s.predecessor_id for s in successions} | {u.pk for u in formed}).values_list(
            "unit_id", "path", "valid_from", "valid_to"):
        links[unit_id].append(tuple(link))

    def under_on(unit: Unit, day: datetime.date) -> bool:
        return unit == root or any(_valid(starts, ends, day) and _was_under(root_links, path, day)
                                   for path, starts, ends in links[unit.pk])

    seen: set[int] = set()
    for succession in successions:
        unit = succession.predecessor
        if unit.pk in seen or not under_on(unit, succession.effective_on - datetime.timedelta(days=1)):
            continue  # a split has a row per successor
        seen.add(unit.pk)
        if unit.kind in UPPER_UNION_KINDS:
            changes.closed_upper.setdefault(succession.effective_on, []).append(unit)
        elif unit.kind == UnitKind.GRASSROOTS:
            if succession.successor_id is None:
                changes.grassroots_dissolved += 1
            else:
                changes.grassroots_merged += 1
    changes.formed = [unit for unit in formed if unit != root and under_on(unit, unit.valid_from)]
    moves = UnitLink.objects.filter(unit__kind=UnitKind.GRASSROOTS, change__isnull=False,
                                    valid_from__range=(first_day, last_day)).values_list("path", "valid_from")
    changes.grassroots_moved = sum(1 for path, day in moves if _was_under(root_links, path, day))
    if changes.any:
        start = changes.first_change or first_day
        changes.grassroots_before, changes.members_before = _grassroots_on(root, start - datetime.timedelta(days=1))
        changes.grassroots_after, changes.members_after = _grassroots_on(root, last_day)
    return changes


def _valid(starts, ends, day) -> bool:
    return (starts is None or starts <= day) and (ends is None or day <= ends)


def _was_under(root_links: list[tuple], path: str, day: datetime.date) -> bool:
    """Whether a link path of `day` lies below the root's link of that day (its few links in memory)."""
    return any(_valid(starts, ends, day) and path.startswith(link) for link, starts, ends in root_links)
