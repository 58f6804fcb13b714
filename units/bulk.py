"""A batch's links in memory: the dated parent links (UnitLink) read once, moved as
units.history.move moves them, and written at the end in a few statements.

history.move writes each move as it goes: about a dozen queries per moved unit, 41,156 for the
demo's 2025 batch. `LinkBook` plays the same moves on the links held in memory (the same
checks, the same links closed, rewritten and opened, in the same order), then writes what
changed: the closed links by one UPDATE per closing day, the rewritten ones by bulk updates, the
new ones by bulk inserts. units/tests/test_batch_in_bulk.py checks that it leaves the links the
moves one by one leave.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from units.history import CHUNK, chunks, update_rows
from units.models import LINK_STEP, Unit, UnitLink, link_path

ONE_DAY = datetime.timedelta(days=1)


@dataclass(eq=False, slots=True)
class Link:
    """A UnitLink row held in memory (pk None until written)."""

    unit_id: int
    parent_id: int | None
    path: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    pk: int | None = None
    change_id: int | None = None
    recorded_by_id: int | None = None
    # As read from the database: (parent_id, path, valid_to), for the links that already existed.
    read: tuple | None = field(default=None)
    recorded_at: datetime.datetime | None = None  # set as a new link is written

    def holds_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def changed(self) -> bool:
        return self.read is not None and self.read != (self.parent_id, self.path, self.valid_to)


def _start(link: Link) -> tuple:
    """The order of UnitLink.Meta.ordering within a unit: valid_from, the first one (None) first."""
    return (link.valid_from is not None, link.valid_from or datetime.date.min, link.pk or 0)


class LinkBook:
    """Every unit's links, with an index by unit, by parent and by the parent part of the path."""

    def __init__(self):
        self.links: list[Link] = []
        self.of_unit: dict[int, list[Link]] = defaultdict(list)
        self.of_parent: dict[int | None, set[Link]] = defaultdict(set)
        self.below: dict[str, set[Link]] = defaultdict(set)  # parent part of the path -> links
        self.at: dict[str, set[Link]] = defaultdict(set)  # path -> links
        rows = UnitLink.objects.order_by().values_list(
            "pk", "unit_id", "parent_id", "path", "valid_from", "valid_to", "change_id", "recorded_by_id")
        for pk, unit_id, parent_id, path, valid_from, valid_to, change_id, recorded_by_id in rows.iterator(CHUNK):
            self._add(Link(unit_id, parent_id, path, valid_from, valid_to, pk, change_id, recorded_by_id,
                           read=(parent_id, path, valid_to)))

    def _add(self, link: Link) -> Link:
        self.links.append(link)
        self.of_unit[link.unit_id].append(link)
        self.of_parent[link.parent_id].add(link)
        self.below[link.path[:-LINK_STEP]].add(link)
        self.at[link.path].add(link)
        return link

    def _repoint(self, link: Link, parent_id: int | None = None, path: str | None = None) -> None:
        if parent_id is not None and parent_id != link.parent_id:
            self.of_parent[link.parent_id].discard(link)
            link.parent_id = parent_id
            self.of_parent[parent_id].add(link)
        if path is not None and path != link.path:
            self.below[link.path[:-LINK_STEP]].discard(link)
            self.at[link.path].discard(link)
            link.path = path
            self.below[path[:-LINK_STEP]].add(link)
            self.at[path].add(link)

    def on(self, unit_id: int, day: datetime.date) -> Link | None:
        """history.link_on: the unit's link that holds on that day."""
        holding = [link for link in self.of_unit.get(unit_id, ()) if link.holds_on(day)]
        return min(holding, key=_start) if holding else None

    def current_path(self, unit_id: int) -> str:
        """The path of the unit's link that runs on (open_first_links' parent link)."""
        running = [link for link in self.of_unit.get(unit_id, ()) if link.valid_to is None]
        return max(running, key=_start).path if running else ""

    def children_on(self, unit_id: int, day: datetime.date) -> set[int]:
        return {link.unit_id for link in self.of_parent.get(unit_id, ()) if link.holds_on(day)}

    def under(self, prefix: str) -> list[Link]:
        """Every link whose path starts with `prefix` (a whole path: its steps are complete)."""
        found, stack = [], [prefix]
        while stack:
            path = stack.pop()
            found += self.at.get(path, ())
            stack.extend({link.path for link in self.below.get(path, ())})
        return found

    def open_first(self, unit: Unit, parent_id: int | None, change_id: int | None) -> Link:
        """history.open_first_links for a unit the batch creates: under its parent, from always."""
        parent_path = self.current_path(parent_id) if parent_id else ""
        return self._add(Link(unit.pk, parent_id, link_path(parent_path, unit.pk), None, None, change_id=change_id))

    def move(self, unit: Unit, new_parent: Unit, on: datetime.date, change_id: int | None,
             by_id: int | None) -> list[Link]:
        """history.move on the links in memory (the same checks and messages); returns the links
        it opens, the moved unit's own last."""
        if on > timezone.localdate():
            raise ValidationError(_("A change takes effect on or before the day it is recorded."))
        if any(link.valid_from and link.valid_from > on for link in self.of_unit.get(unit.pk, ())):
            raise ValidationError(_("%(unit)s already moved after %(day)s: record the earlier move first.")
                                  % {"unit": unit.code, "day": on.strftime("%d/%m/%Y")})
        if any(link.valid_from and link.valid_from > on for link in self.of_unit.get(new_parent.pk, ())):
            raise ValidationError(_("%(unit)s moved after %(day)s: record the earlier move first.")
                                  % {"unit": new_parent.code, "day": on.strftime("%d/%m/%Y")})
        old, target = self.on(unit.pk, on), self.on(new_parent.pk, on)
        if old is None or target is None or not unit.is_valid_on(on) or not new_parent.is_valid_on(on):
            raise ValidationError(_("Both units must exist on %(day)s.") % {"day": on.strftime("%d/%m/%Y")})
        if target.path.startswith(old.path):
            raise InvalidMoveToDescendant(_("A unit cannot move under itself or a unit below it."))
        return self._repath(old.path, link_path(target.path, unit.pk), on, unit.pk, new_parent.pk, change_id, by_id)

    def _repath(self, old_prefix: str, new_prefix: str, on: datetime.date, unit_id: int, parent_id: int,
                change_id: int | None, by_id: int | None) -> list[Link]:
        """history._repath: the links under old_prefix that hold on `on` or later; those that began
        before `on` close the day before and continue from `on` under the new prefix, later ones
        are rewritten."""
        cut = len(old_prefix)
        affected = [link for link in self.under(old_prefix) if link.valid_to is None or link.valid_to >= on]
        earlier = [link for link in affected if link.valid_from is None or link.valid_from < on]
        later = [link for link in affected if link.valid_from is not None and link.valid_from >= on]
        for link in later:
            self._repoint(link, parent_id=parent_id if link.unit_id == unit_id else None,
                          path=new_prefix + link.path[cut:])
        others, own = [], []
        for link in earlier:
            ends, link.valid_to = link.valid_to, on - ONE_DAY
            moved = link.unit_id == unit_id
            (own if moved else others).append(Link(
                link.unit_id, parent_id if moved else link.parent_id, new_prefix + link.path[cut:], on, ends,
                change_id=change_id, recorded_by_id=by_id))
        return [self._add(link) for link in others + own]

    def write(self) -> tuple[list[Link], dict[int, dict]]:
        """Write what changed: returns the links created (their pks set) and, for each link that
        existed and changed, its fields as they were (for the undo)."""
        changed = [link for link in self.links if link.pk is not None and link.changed]
        before = {link.pk: {"parent_id": link.read[0], "path": link.read[1],
                            "valid_to": link.read[2].isoformat() if link.read[2] else None} for link in changed}
        closing: dict[datetime.date | None, list[int]] = defaultdict(list)
        rewritten = []
        for link in changed:
            if (link.parent_id, link.path) == link.read[:2]:
                closing[link.valid_to].append(link.pk)
            else:
                rewritten.append(link)
        for day, pks in closing.items():  # one UPDATE per closing day
            for chunk in chunks(pks):
                UnitLink.objects.filter(pk__in=chunk).update(valid_to=day)
        update_rows(UnitLink, ["parent", "path", "depth", "valid_to"],
                    [(link.parent_id, link.path, len(link.path) // LINK_STEP, link.valid_to, link.pk)
                     for link in rewritten])
        new = [link for link in self.links if link.pk is None]
        rows = UnitLink.objects.bulk_create(
            [UnitLink(unit_id=link.unit_id, parent_id=link.parent_id, path=link.path,
                      depth=len(link.path) // LINK_STEP, valid_from=link.valid_from, valid_to=link.valid_to,
                      change_id=link.change_id, recorded_by_id=link.recorded_by_id) for link in new],
            batch_size=CHUNK)
        for link, row in zip(new, rows, strict=True):
            link.pk, link.recorded_at = row.pk, row.recorded_at
        return new, before
