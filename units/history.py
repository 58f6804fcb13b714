"""The hierarchy over time: dated parent links (UnitLink) and where closed units' figures go.

The treebeard tree (Unit.path) is the tree of today. The links carry the past: one row per unit
and interval, with the unit's path in the tree of those days (its ancestors' ids, LINK_STEP
digits each). Every unit gets its first link when it is created (a post_save receiver, and
`open_first_links` for bulk inserts); a move closes the links of the moved subtree the day
before it takes effect and opens new ones, so no closed year changes.

`carry_onto_today` keeps Unit.carried_onto: where a closed unit's figures stand in the "as it
is now" view (its primary successor, chains followed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from units.models import LINK_STEP, Succession, Unit, UnitLink, link_path

ONE_DAY = datetime.timedelta(days=1)
# Ids per IN (…): SQLite takes up to 32,766 parameters in one statement.
CHUNK = 5000


def chunks(items: list) -> Iterable[list]:
    """`items` CHUNK at a time, for statements with a list of ids each."""
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def open_first_links(units: Iterable[Unit]) -> None:
    """The first link of units just inserted (parents before children, as they are added):
    under their treebeard parent, from always."""
    units = [u for u in units if u.pk]
    if not units:
        return
    parent_paths = {u.path[: Unit.path_length(u.depth - 1)] for u in units if u.depth > 1}
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "id")) if parent_paths else {}
    current = dict(UnitLink.objects.current().filter(unit_id__in=list(parents.values()))
                   .values_list("unit_id", "path")) if parents else {}
    links = []
    for unit in units:
        parent_id = parents.get(unit.path[: Unit.path_length(unit.depth - 1)]) if unit.depth > 1 else None
        parent_link = current.get(parent_id, "") if parent_id else ""
        path = link_path(parent_link, unit.pk)
        current[unit.pk] = path
        links.append(UnitLink(unit_id=unit.pk, parent_id=parent_id, path=path, depth=len(path) // LINK_STEP))
    UnitLink.objects.bulk_create(links, batch_size=5000)


def on_unit_saved(sender, instance: Unit, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        open_first_links([instance])


def on_children_added(sender, parent, children, **kwargs) -> None:
    open_first_links(children)


def link_on(unit: Unit, day: datetime.date) -> UnitLink | None:
    return UnitLink.objects.on(day).filter(unit=unit).first()


def move(unit: Unit, new_parent: Unit, on: datetime.date, change=None, by=None,
         before: dict | None = None, tree: TreeMoves | None = None) -> list[int]:
    """Put `unit` and its subtree under `new_parent` from `on` (the first day of the new state)
    in the links and in today's tree. Returns the ids of the links it created; `before`, when
    given, receives each link it changed as it was ({id: {parent_id, path, valid_to}}), so that
    the undo of a batch restores them exactly. With `tree`, today's tree is not moved now: the
    move is added to it, and TreeMoves.write() moves every unit of a batch at once."""
    if on > timezone.localdate():
        raise ValidationError(_("A change takes effect on or before the day it is recorded."))
    if UnitLink.objects.filter(unit=unit, valid_from__gt=on).exists():
        raise ValidationError(_("%(unit)s already moved after %(day)s: record the earlier move first.")
                              % {"unit": unit.code, "day": on.strftime("%d/%m/%Y")})
    if UnitLink.objects.filter(unit=new_parent, valid_from__gt=on).exists():
        raise ValidationError(_("%(unit)s moved after %(day)s: record the earlier move first.")
                              % {"unit": new_parent.code, "day": on.strftime("%d/%m/%Y")})
    old = link_on(unit, on)
    target = link_on(new_parent, on)
    if old is None or target is None or not unit.is_valid_on(on) or not new_parent.is_valid_on(on):
        raise ValidationError(_("Both units must exist on %(day)s.") % {"day": on.strftime("%d/%m/%Y")})
    if target.path.startswith(old.path):
        raise InvalidMoveToDescendant(_("A unit cannot move under itself or a unit below it."))
    created = _repath(old.path, link_path(target.path, unit.pk), on, unit, new_parent, change, by,
                      {} if before is None else before)
    if tree is not None:
        tree.add(unit.pk, new_parent.pk)
    else:
        _move_in_todays_tree(unit, new_parent)
    return created


def _repath(old_prefix: str, new_prefix: str, on: datetime.date, unit: Unit, new_parent: Unit, change, by,
            before: dict) -> list[int]:
    """Links under old_prefix that hold on `on` or later: those that began before `on` are
    closed the day before and continued from `on` with the new prefix; later ones are rewritten."""
    affected = UnitLink.objects.filter(path__under=old_prefix).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    for pk, parent_id, path, valid_to in affected.values_list("pk", "parent_id", "path", "valid_to"):
        before.setdefault(pk, {"parent_id": parent_id, "path": path,
                               "valid_to": valid_to.isoformat() if valid_to else None})
    earlier = list(affected.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=on)))
    cut = len(old_prefix)
    own = [link for link in earlier if link.unit_id == unit.pk]
    later = affected.filter(valid_from__gte=on)
    later.filter(unit=unit).update(parent=new_parent)
    later.update(path=Concat(Value(new_prefix), Substr("path", cut + 1)),
                 depth=F("depth") + (len(new_prefix) - cut) // LINK_STEP)
    UnitLink.objects.filter(pk__in=[link.pk for link in earlier]).update(valid_to=on - ONE_DAY)
    continued = [
        UnitLink(unit_id=link.unit_id, parent_id=new_parent.pk if link.unit_id == unit.pk else link.parent_id,
                 path=new_prefix + link.path[cut:], depth=len(new_prefix + link.path[cut:]) // LINK_STEP,
                 valid_from=on, valid_to=link.valid_to, change=change,
                 recorded_by=by)
        for link in earlier if link.unit_id != unit.pk
    ]
    created = [link.pk for link in UnitLink.objects.bulk_create(continued, batch_size=5000)]
    for link in own:  # the moved unit's own new link one by one: the audit trail follows its save()
        created.append(UnitLink.objects.create(
            unit_id=unit.pk, parent_id=new_parent.pk, path=new_prefix, valid_from=on, valid_to=link.valid_to,
            change=change, recorded_by=by).pk)
    return created


def _move_in_todays_tree(unit: Unit, new_parent: Unit) -> None:
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if Unit.objects.get_parent(unit) != new_parent:
        Unit.objects.move(unit, new_parent, pos="last-child")
        unit.refresh_from_db()
        new_parent.refresh_from_db()


class TreeMoves:
    """The moves of today's tree (treebeard's paths) of a batch, written at its end in a few
    statements instead of one treebeard move per unit. The moves are played in order on the
    tree held in memory exactly as treebeard's move(..., pos="last-child") does them (a unit
    goes after its new parent's last child, or becomes its first child; a unit already under
    that parent stays where it is; its subtree follows; the parents' child counts change), so
    the tree written is the one the moves one by one would give."""

    def __init__(self):
        self.moves: list[tuple[int, int]] = []

    def add(self, unit_id: int, parent_id: int) -> None:
        self.moves.append((unit_id, parent_id))

    def write(self, rows: list[tuple[int, str, int]] | None = None) -> int:
        """Write the paths, depths and child counts that changed; returns how many units moved.
        `rows`: every unit's (pk, path, numchild) as the database holds them now, when the
        caller has read them already."""
        if not self.moves:
            return 0
        step = Unit.steplen
        rows = rows if rows is not None else list(Unit.objects.order_by().values_list("pk", "path", "numchild"))
        path_of = {pk: path for pk, path, _ in rows}
        numchild = {pk: n for pk, _, n in rows}
        pk_of = {path: pk for pk, path, _ in rows}
        children: dict[str, set[str]] = {}
        for path in pk_of:
            children.setdefault(path[:-step], set()).add(path)
        start = {pk: (path_of[pk], numchild[pk]) for pk in path_of}
        moved = 0
        for unit_id, parent_id in self.moves:
            old, parent_path = path_of[unit_id], path_of[parent_id]
            if old[:-step] == parent_path:
                continue  # already under it: treebeard's move is not made (_move_in_todays_tree)
            new = (Unit(path=max(children[parent_path]))._inc_path() if numchild[parent_id]
                   else Unit._get_path(parent_path, len(parent_path) // step + 1, 1))
            subtree = [old] + (sorted(p for p in pk_of if p.startswith(old) and p != old) if numchild[unit_id]
                               else [])
            numchild[pk_of[old[:-step]]] -= 1
            numchild[parent_id] += 1
            pks = [pk_of.pop(path) for path in subtree]
            for path, pk in zip(subtree, pks, strict=True):
                moved_to = new + path[len(old):]
                children[path[:-step]].discard(path)
                children.setdefault(moved_to[:-step], set()).add(moved_to)
                path_of[pk], pk_of[moved_to] = moved_to, pk
            moved += 1
        self._save(path_of, numchild, start)
        return moved

    @staticmethod
    def _save(path_of: dict[int, str], numchild: dict[int, int], start: dict[int, tuple[str, int]]) -> None:
        changed = [pk for pk, path in path_of.items() if path != start[pk][0]]
        if changed:
            # Through temporary paths first: a final path may be one another moved unit holds now
            # (the path column is unique, checked row by row).
            update_rows(Unit, ["path"], [(f"~{pk}", pk) for pk in changed])
            update_rows(Unit, ["path", "depth"], [(path_of[pk], len(path_of[pk]) // Unit.steplen, pk)
                                                  for pk in changed])
        counts = [pk for pk, n in numchild.items() if n != start[pk][1]]
        if counts:
            update_rows(Unit, ["numchild"], [(numchild[pk], pk) for pk in counts])


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE each row's `fields` (the row's values, then its pk): one statement executed for
    every row (executemany) instead of bulk_update's CASE over every pk, whose building in Python
    took seconds for a few thousand rows. Values go to the driver as they are (text, numbers,
    dates, None)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def sync_todays_tree(unit_ids: Iterable[int]) -> None:
    """Make today's tree follow, for these units, the link valid today (else their latest), after
    an undo: the moves played on the tree held in memory and written at once (TreeMoves), the
    shallowest units first, in a number of queries that does not grow with the units."""
    today = timezone.localdate()
    unit_ids = sorted(set(unit_ids))
    wanted: dict[int, tuple] = {}  # unit id -> (holds today, starts, parent id) of its best link
    depth: dict[int, int] = {}
    for chunk in chunks(unit_ids):
        depth.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "depth"))
        for unit_id, parent_id, valid_from, valid_to in UnitLink.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "parent_id", "valid_from", "valid_to"):
            holds = (valid_from is None or valid_from <= today) and (valid_to is None or valid_to >= today)
            key = (holds, valid_from is not None, valid_from or datetime.date.min, parent_id)
            if unit_id not in wanted or key[:3] > wanted[unit_id][:3]:
                wanted[unit_id] = key
    tree = TreeMoves()
    for unit_id in sorted(wanted, key=lambda pk: (depth.get(pk, 0), pk)):
        if wanted[unit_id][3] is not None:
            tree.add(unit_id, wanted[unit_id][3])
    tree.write()


def carry_onto_today() -> int:
    """Recompute Unit.closed_in_reorganisation and Unit.carried_onto for every unit that has
    succession records (a few thousand at most, in a handful of queries)."""
    today = timezone.localdate()
    successions = list(Succession.objects.order_by("-primary", "effective_on", "id")
                       .values_list("predecessor_id", "successor_id", "primary"))
    primary: dict[int, int | None] = {}
    for predecessor, successor, _primary in successions:  # the primary successor comes first
        primary.setdefault(predecessor, successor)
    closed = set(Unit.objects.filter(valid_to__lt=today, pk__in=[*primary, *filter(None, primary.values())])
                 .values_list("pk", flat=True))

    def final(unit_id: int | None, seen: frozenset = frozenset()) -> int | None:
        if unit_id is None or unit_id in seen:
            return None
        if unit_id not in closed:
            return unit_id
        return final(primary.get(unit_id), seen | {unit_id})

    wanted = {unit_id: final(primary[unit_id]) if unit_id in closed else None for unit_id in primary}
    changed = Unit.objects.filter(closed_in_reorganisation=True).exclude(pk__in=list(primary)).update(
        closed_in_reorganisation=False, carried_onto=None)
    rows = Unit.objects.filter(pk__in=list(primary)).values_list("pk", "carried_onto_id", "closed_in_reorganisation")
    update_rows(Unit, ["carried_onto", "closed_in_reorganisation"],
                [(wanted[pk], True, pk) for pk, onto, closed in rows if (onto, closed) != (wanted[pk], True)])
    return changed + len(primary)


def parent_history(unit: Unit) -> list[tuple[datetime.date, int | None, int | None]]:
    """The unit's changes of parent, latest first: (first day, former parent id, new parent id)."""
    links = list(UnitLink.objects.filter(unit=unit).order_by(F("valid_from").asc(nulls_first=True))
                 .values_list("valid_from", "parent_id"))
    return [(links[i][0], links[i - 1][1], links[i][1]) for i in range(len(links) - 1, 0, -1)
            if links[i][1] != links[i - 1][1]]


__all__ = ["LINK_STEP", "TreeMoves", "carry_onto_today", "link_on", "move", "open_first_links", "parent_history",
           "sync_todays_tree"]
