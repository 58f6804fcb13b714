"""Migration units/0005 gives every existing unit its dated parent links, the recorded changes of
parent (UnitParentChange, before 0006 removed them) becoming the links' dates: a unit moved on
1 July 2024 stood under its former parent until 30 June, and a unit below it follows it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("units", "0004_history")]
AFTER = [("units", "0005_initial_links")]
MOVED_ON = datetime.date(2024, 7, 1)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def ids(*pks: int) -> str:
    return "".join(f"{pk:08d}" for pk in pks)


@pytest.mark.django_db(transaction=True)
def test_the_recorded_changes_of_parent_become_the_links_dates():
    try:
        old = migrate(BEFORE)
        Unit, UnitLink = old.get_model("units", "Unit"), old.get_model("units", "UnitLink")
        UnitParentChange = old.get_model("units", "UnitParentChange")
        UnitLink.objects.all().delete()

        def unit(code: str, path: str, kind: str, numchild: int = 0):
            return Unit.objects.create(code=code, name=code, kind=kind, path=path, depth=len(path) // 4,
                                       numchild=numchild, search_name=code.lower())

        province = unit("P", "0001", "province", 2)
        d1 = unit("D1", "00010001", "district")
        d2 = unit("D2", "00010002", "district", 1)
        # Today's tree (treebeard) has the school under D2 already: the move took its history along.
        school = unit("G", "000100020001", "grassroots", 1)
        team = unit("G.1", "0001000200010001", "grassroots")
        UnitParentChange.objects.create(unit=school, old_parent=d1, new_parent=d2, effective_on=MOVED_ON)

        new = migrate(AFTER)

        rows = new.get_model("units", "UnitLink").objects.order_by("unit_id", "valid_from")
        links = {(r.unit_id, r.valid_from, r.valid_to, r.path, r.parent_id, r.depth) for r in rows}
        p, a, b, g, t = province.pk, d1.pk, d2.pk, school.pk, team.pk
        assert links == {
            (p, None, None, ids(p), None, 1),
            (a, None, None, ids(p, a), p, 2),
            (b, None, None, ids(p, b), p, 2),
            (g, None, MOVED_ON - datetime.timedelta(days=1), ids(p, a, g), a, 3),
            (g, MOVED_ON, None, ids(p, b, g), b, 3),
            (t, None, MOVED_ON - datetime.timedelta(days=1), ids(p, a, g, t), g, 4),
            (t, MOVED_ON, None, ids(p, b, g, t), g, 4),
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
