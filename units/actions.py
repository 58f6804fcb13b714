"""Writes that change the hierarchy. Each runs in one transaction and leaves a record."""

from __future__ import annotations

import datetime

from django.db import models, transaction

from units import history
from units.models import Unit, large_enterprise_q
from units.signals import units_changed


@transaction.atomic
def do_move_unit(unit: Unit, new_parent: Unit, effective_on: datetime.date, by=None) -> Unit:
    """Put `unit` (and its whole subtree) under `new_parent` from `effective_on`.

    The dated links (units.history) keep where the subtree stood before: the years before
    the move still add up under the former parent "as it was". Today's tree moves too
    (treebeard rewrites the subtree's paths in one UPDATE); a move under the unit's own
    subtree is refused, so neither tree can grow a cycle. A move of several units decided
    together is a reorganisation batch (units.reorganisation).
    """
    history.move(unit, new_parent, effective_on, by=by)
    unit.refresh_from_db()
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
