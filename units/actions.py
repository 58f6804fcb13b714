"""Writes that change the hierarchy. Each runs in one transaction and leaves a record."""

from __future__ import annotations

import datetime

from django.db import transaction

from units.models import Unit, UnitParentChange
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
