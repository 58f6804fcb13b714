"""What a document says about the hierarchy's changes in its years (issue #14): read from the
units' dated records (units.models: Succession, UnitLink, the units' validity), never entered.

A unit is "under the root" on a day when its dated link of that day lies below the root's link
of that day: the tree as it was then, so a dissolved district still has its grassroots unions
on the day before it was dissolved.
"""

from __future__ import annotations

import datetime
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
    return Q(path__startswith=link) if link else Q(pk__in=[])


def _grassroots_on(root: Unit, day: datetime.date) -> tuple[int, int]:
    """(grassroots unions, their members) under the root in the tree of `day`."""
    units = Unit.objects.active(day).filter(kind=UnitKind.GRASSROOTS, pk__in=UnitLink.objects.on(day).filter(
        _under(root, day)).values("unit_id"))
    found = units.aggregate(members=Sum("members"))
    return units.count(), found["members"] or 0


def hierarchy_changes(root: Unit, first_day: datetime.date, last_day: datetime.date) -> HierarchyChanges:
    """The reorganisations between the two days (both included) in the root's subtree."""
    changes = HierarchyChanges(first_day, last_day)
    successions = (Succession.objects.filter(effective_on__range=(first_day, last_day))
                   .select_related("predecessor").order_by("effective_on", "predecessor__name"))
    seen: set[int] = set()
    for succession in successions:
        unit = succession.predecessor
        if unit.pk in seen:
            continue  # a split has a row per successor
        before = succession.effective_on - datetime.timedelta(days=1)
        if unit != root and not UnitLink.objects.on(before).filter(_under(root, before), unit=unit).exists():
            continue
        seen.add(unit.pk)
        if unit.kind in UPPER_UNION_KINDS:
            changes.closed_upper.setdefault(succession.effective_on, []).append(unit)
        elif unit.kind == UnitKind.GRASSROOTS:
            if succession.successor_id is None:
                changes.grassroots_dissolved += 1
            else:
                changes.grassroots_merged += 1
    for unit in Unit.objects.filter(kind__in=UPPER_UNION_KINDS, valid_from__range=(first_day, last_day)).order_by(
            "valid_from", "name"):
        if UnitLink.objects.on(unit.valid_from).filter(_under(root, unit.valid_from), unit=unit).exists():
            changes.formed.append(unit)
    root_links = list(UnitLink.objects.filter(unit=root).values_list("path", "valid_from", "valid_to"))
    moves = UnitLink.objects.filter(unit__kind=UnitKind.GRASSROOTS, change__isnull=False,
                                    valid_from__range=(first_day, last_day)).values_list("path", "valid_from")
    changes.grassroots_moved = sum(1 for path, day in moves if _was_under(root_links, path, day))
    if changes.any:
        start = changes.first_change or first_day
        changes.grassroots_before, changes.members_before = _grassroots_on(root, start - datetime.timedelta(days=1))
        changes.grassroots_after, changes.members_after = _grassroots_on(root, last_day)
    return changes


def _was_under(root_links: list[tuple], path: str, day: datetime.date) -> bool:
    """Whether a link path of `day` lies below the root's link of that day (its few links in memory)."""
    return any((starts is None or starts <= day) and (ends is None or day <= ends) and path.startswith(link)
               for link, starts, ends in root_links)
