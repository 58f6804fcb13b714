"""A batch moves today's tree in a few statements at its end (units.history.TreeMoves), not one
treebeard move per unit: the tree and the links it leaves are exactly those of the moves one
by one, on a scenario with a unit moved twice, a subtree moved, a merge and a dissolution."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.factories import DistrictFactory, GrassrootsFactory, UnitFactory
from units.models import LINK_STEP, Unit, UnitKind, UnitLink
from units.reorganisation import _Applier, load_batch

pytestmark = pytest.mark.django_db

BATCH = {
    "batch": {"code": "bulk", "title": "Thử"},
    "units": [{"code": "C1", "name": "Công đoàn phường 1", "kind": "commune", "parent": "P",
               "valid_from": "2025-07-01"}],
    "changes": [
        {"change": "move", "unit": "G1", "to": "D2", "on": "2025-03-01"},
        {"change": "move", "unit": "D3", "to": "D2", "on": "2025-05-01"},  # with its grassroots unions
        {"change": "merge", "units": ["D1"], "into": "C1", "on": "2025-07-01"},
        {"change": "move", "units": ["G1", "G5"], "to": "C1", "on": "2025-08-01"},  # G1 a second time
        {"change": "dissolve", "unit": "D2", "successor": "P", "on": "2025-09-01"},
        {"change": "move", "unit": "G2", "to": "D3", "on": "2025-10-01"},
    ],
}


class _Rollback(Exception):
    pass


def _state() -> tuple[dict, set]:
    code_of = dict(Unit.objects.values_list("pk", "code"))

    def codes(path: str) -> str:
        return "/".join(code_of[int(path[i:i + LINK_STEP])] for i in range(0, len(path), LINK_STEP))

    units = {code: (path, depth, numchild, valid_to) for code, path, depth, numchild, valid_to
             in Unit.objects.values_list("code", "path", "depth", "numchild", "valid_to")}
    links = {(code_of[u], code_of.get(p), codes(path), depth, start, end) for u, p, path, depth, start, end
             in UnitLink.objects.values_list("unit_id", "parent_id", "path", "depth", "valid_from", "valid_to")}
    return units, links


def _applied(in_bulk: bool, monkeypatch) -> tuple[dict, set]:
    monkeypatch.setattr(_Applier, "tree_in_bulk", in_bulk)
    try:
        with transaction.atomic():
            load_batch(BATCH)
            state = _state()
            raise _Rollback
    except _Rollback:
        return state


def test_the_bulk_tree_is_the_one_of_the_moves_one_by_one(monkeypatch):
    province = UnitFactory(code="P")
    d1, d2, d3 = (DistrictFactory(parent=province, code=code) for code in ("D1", "D2", "D3"))
    for code, parent in (("G1", d1), ("G2", d1), ("G3", d1), ("G4", d3), ("G5", d3), ("G6", d2)):
        GrassrootsFactory(parent=parent, code=code)
    one_by_one = _applied(False, monkeypatch)
    in_bulk = _applied(True, monkeypatch)
    assert in_bulk[0] == one_by_one[0]
    assert in_bulk[1] == one_by_one[1]
    units, _links = in_bulk
    assert units["G1"][0].startswith(units["C1"][0]) and units["G4"][0].startswith(units["D3"][0])
    assert units["D3"][0][:-Unit.steplen] == units["P"][0]  # D2's successor took D3 over
    assert Unit.objects.get(code="D2").kind == UnitKind.DISTRICT  # rolled back: nothing written
