"""Writes that change the hierarchy. Each runs in one transaction and leaves a record."""

from __future__ import annotations

import datetime

from django.db import models, transaction

from units.models import Unit, UnitParentChange, large_enterprise_q
from units.signals import units_changed


@transaction.atomic
def do_move_unit(unit: Unit, new_parent: Unit, effective_on: datetime.date, by=None) -> Unit:
    """Put `unit` (and its whole subtree) under `new_parent` from `effective_on`.

    treebeard rewrites the paths of the unit and its descendants in one UPDATE, and refuses
    a move under the unit's own subtree, so the tree can never grow a cycle.
    """
    old_parent = Unit.objects.get_parent(unit)
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    UnitParentChange.objects.create(
        unit=unit, old_parent=old_parent, new_parent=new_parent, effective_on=effective_on, recorded_by=by
    )
    units_changed.send(sender=None, parent_paths=None)  # every path below the unit changed
    return unit


@transaction.atomic
def do_sync_large_enterprises() -> int:
    """Make every unit's large_enterprise flag follow the rule (units.models.is_large_enterprise)
    again, after settings.LARGE_ENTERPRISE_WORKERS changed; the rolled-up values of the
    parents of the units that changed are recounted. Returns how many units changed."""
    rule = large_enterprise_q()
    wrong = Unit.objects.filter((rule & models.Q(large_enterprise=False)) | (~rule & models.Q(large_enterprise=True)))
    parents = set(wrong.values_list("path", "depth"))
    changed = 0
    for value, condition in ((True, rule), (False, ~rule)):
        changed += Unit.objects.filter(condition).exclude(large_enterprise=value).update(large_enterprise=value)
    if changed:
        units_changed.send(sender=None, parent_paths={path[: Unit.path_length(depth - 1)] for path, depth in parents})
    return changed
