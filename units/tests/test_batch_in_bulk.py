"""A batch is played in memory and written in a few statements (units.reorganisation._Applier:
bulk.LinkBook for the links, history.TreeMoves for today's tree, the new units, closings,
successions and audit entries in bulk). It leaves exactly what the batch written one unit at a
time leaves (_OneByOne: history.move, treebeard's add_child and move, one save per unit): the
tree, the links, the units, the successions, the changes and the audit trail, on a scenario
with a unit moved twice, a subtree moved, units created under a unit created in the same batch,
a merge, a split, a rename and dissolutions with and without a successor; and its undo puts
everything back."""

from __future__ import annotations

import contextlib
import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from tests.factories import DistrictFactory, GrassrootsFactory, UnitFactory
from units import reorganisation
from units.models import LINK_STEP, ReorganisationChange, Succession, Unit, UnitKind, UnitLink, UnitName
from units.reorganisation import Reorganisation, do_undo_reorganisation, load_batch

pytestmark = pytest.mark.django_db

BATCH = {
    "batch": {"code": "bulk", "title": "Thử"},
    "units": [
        {"code": "C1", "name": "Công đoàn phường 1", "kind": "commune", "parent": "P", "valid_from": "2025-07-01"},
        {"code": "C2", "name": "Công đoàn xã 2", "kind": "commune", "parent": "P", "valid_from": "2025-07-01"},
        {"code": "C1.N", "name": "Công đoàn cơ sở mới", "kind": "grassroots", "parent": "C1",
         "valid_from": "2025-07-01", "ownership": "non_state", "workers": 1200, "members": 900},
    ],
    "changes": [
        {"change": "move", "unit": "G1", "to": "D2", "on": "2025-03-01"},
        {"change": "move", "unit": "D3", "to": "D2", "on": "2025-05-01"},  # with its grassroots unions
        {"change": "merge", "units": ["D1"], "into": "C1", "on": "2025-07-01"},
        {"change": "move", "units": ["G1", "G5"], "to": "C1", "on": "2025-08-01"},  # G1 a second time
        {"change": "split", "unit": "G7", "into": ["G8", "C1.N"], "shares": [0.75, 0.25], "on": "2025-08-15"},
        {"change": "dissolve", "unit": "D2", "successor": "P", "on": "2025-09-01"},
        {"change": "move", "unit": "G2", "to": "D3", "on": "2025-10-01"},
        {"change": "rename", "unit": "G3", "name": "Công đoàn cơ sở đổi tên", "short_name": "CĐ đổi tên",
         "on": "2025-10-01"},
        {"change": "dissolve", "unit": "G6", "on": "2025-10-01"},
        {"change": "rename", "unit": "G3", "name": "Công đoàn cơ sở đổi tên lần hai", "on": "2025-11-01"},
    ],
}


class _Rollback(Exception):
    pass


def _about(entry: AuditEntry) -> str:
    """What an entry is about, without ids (PostgreSQL does not hand a rolled-back id out again)."""
    if entry.content_type.model == "unitlink":
        return " ↑ ".join(str(entry.changes.get(name, [None, None])[1]) for name in ("unit", "parent", "valid_from"))
    return entry.object_repr


def _state() -> dict:
    code_of = dict(Unit.objects.values_list("pk", "code"))

    def codes(path: str) -> str:
        return "/".join(code_of[int(path[i:i + LINK_STEP])] for i in range(0, len(path), LINK_STEP))

    change_of = {pk: (kind, position) for pk, kind, position
                 in ReorganisationChange.objects.values_list("pk", "kind", "position")}
    return {
        "units": {code: rest for code, *rest in Unit.objects.values_list(
            "code", "path", "depth", "numchild", "valid_from", "valid_to", "name", "short_name", "search_name",
            "large_enterprise", "closed_in_reorganisation", "carried_onto__code")},
        "links": sorted((code_of[u], code_of.get(p), codes(path), depth, str(start), str(end), change_of.get(c), by)
                        for u, p, path, depth, start, end, c, by in UnitLink.objects.values_list(
                            "unit_id", "parent_id", "path", "depth", "valid_from", "valid_to", "change_id",
                            "recorded_by_id")),
        "successions": [(s.predecessor.code, s.successor.code if s.successor else None, s.kind, s.effective_on,
                         s.share, s.primary, change_of[s.change_id]) for s in Succession.objects.order_by("pk")],
        "changes": sorted(change_of.values()),
        "names": sorted((n.unit.code, n.name, n.short_name, str(n.valid_from), n.valid_to, change_of[n.change_id])
                        for n in UnitName.objects.all()),
        # the trail: what each entry is about and the fields it names (a link's id and moment differ;
        # one unit at a time, an entry's unit path is where the unit stood at that moment)
        "trail": sorted((e.content_type.model, e.action, _about(e), sorted(e.changes or {}), e.actor_name)
                        for e in AuditEntry.objects.exclude(content_type__model="reorganisation")),
    }


def _applied(one_by_one: bool, undo: bool = False) -> tuple[dict, int]:
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                load_batch(BATCH, one_by_one=one_by_one)
            if undo:
                do_undo_reorganisation(Reorganisation.objects.get(code="bulk"))
            state = _state()
            raise _Rollback
    except _Rollback:
        return state, len(queries)


@pytest.fixture
def tree():
    province = UnitFactory(code="P")
    d1, d2, d3 = (DistrictFactory(parent=province, code=code) for code in ("D1", "D2", "D3"))
    for code, parent in (("G1", d1), ("G2", d1), ("G3", d1), ("G4", d3), ("G5", d3), ("G6", d2), ("G7", d2),
                         ("G8", d2)):
        GrassrootsFactory(parent=parent, code=code)
    return province


def test_the_bulk_batch_leaves_what_the_batch_one_unit_at_a_time_leaves(tree):
    one_by_one, queries_one_by_one = _applied(one_by_one=True)
    in_bulk, queries_in_bulk = _applied(one_by_one=False)
    for part in ("units", "links", "successions", "changes", "names", "trail"):
        assert in_bulk[part] == one_by_one[part], part
    units = in_bulk["units"]
    assert units["G1"][0].startswith(units["C1"][0]) and units["G4"][0].startswith(units["D3"][0])
    assert units["D3"][0][:-Unit.steplen] == units["P"][0]  # D2's successor took D3 over
    assert units["C1.N"][0][:-Unit.steplen] == units["C1"][0] and units["C1.N"][2] == 0
    assert units["G7"][-1] == "G8"  # a split's figures follow its primary successor
    assert Unit.objects.get(code="D2").kind == UnitKind.DISTRICT  # rolled back: nothing written
    assert queries_in_bulk < 60 < queries_one_by_one
    assert [row[1:5] for row in in_bulk["names"]] == [  # G3's two former names, each with its days
        ("Công đoàn Trường thử G3", "", "None", datetime.date(2025, 9, 30)),
        ("Công đoàn cơ sở đổi tên", "CĐ đổi tên", "2025-10-01", datetime.date(2025, 10, 31))]


def test_the_bulk_entries_name_each_unit_where_the_batch_leaves_it(tree):
    load_batch(BATCH)
    g1 = Unit.objects.get(code="G1")
    entries = AuditEntry.objects.filter(content_type__model="unitlink", changes__unit__1=g1.name)
    assert entries.count() == 2 and {e.unit_path for e in entries} == {g1.path}
    closed = AuditEntry.objects.get(content_type__model="unit", action=AuditEntry.Action.UPDATE,
                                    object_pk=str(Unit.objects.get(code="D2").pk))
    assert closed.changes == {"valid_to": [None, "2025-08-31"]}
    created = AuditEntry.objects.get(content_type__model="unit", object_pk=str(Unit.objects.get(code="C1.N").pk))
    assert created.changes["workers"] == [None, 1200] and created.changes["large_enterprise"] == [None, True]


def _parents(units: dict) -> dict:
    """Each unit's parent in today's tree and its other fields (an undo puts a unit back under its
    parent, as its last child: its path may differ)."""
    code_at = {row[0]: code for code, row in units.items()}
    return {code: (code_at.get(row[0][:-Unit.steplen]), *row[3:]) for code, row in units.items()}


def test_undoing_a_bulk_batch_puts_everything_back(tree):
    before = _state()
    undone, _ = _applied(one_by_one=False, undo=True)
    assert _parents(undone["units"]) == _parents(before["units"])
    for part in ("links", "successions", "names"):
        assert undone[part] == before[part], part


def test_the_bulk_batch_and_its_undo_write_as_many_statements_for_one_unit_as_for_many(tree):
    """Moving 3 or 30 grassroots unions (and dissolving their district) costs the same queries,
    and so does undoing it, which puts each union back under its district."""
    def queries(n: int) -> tuple[int, int]:
        district = DistrictFactory(parent=tree, code=f"X{n}")
        for i in range(n):
            GrassrootsFactory(parent=district, code=f"X{n}.{i}")
        batch = {"batch": {"code": f"n{n}", "title": "Thử"},
                 "units": [{"code": f"X{n}.C", "name": "Công đoàn phường", "kind": "commune", "parent": "P",
                            "valid_from": "2025-07-01"}],
                 "changes": [{"change": "dissolve", "unit": f"X{n}", "successor": f"X{n}.C", "on": "2025-07-01"}]}
        with CaptureQueriesContext(connection) as applying:
            load_batch(batch)
        with CaptureQueriesContext(connection) as undoing:
            do_undo_reorganisation(Reorganisation.objects.get(code=f"n{n}"))
        district.refresh_from_db()
        assert district.valid_to is None and not Unit.objects.filter(code=f"X{n}.C").exists()
        assert {Unit.objects.get_parent(u).code for u in Unit.objects.filter(code__startswith=f"X{n}.")} == {f"X{n}"}
        return len(applying), len(undoing)

    queries(2)  # warms the caches (content types) both runs then find warm
    assert queries(3) == queries(30)


def _deleted_entries() -> list[tuple]:
    return sorted((e.content_type.model, e.object_repr, e.unit_path, json.dumps(e.changes, sort_keys=True))
                  for e in AuditEntry.objects.filter(action=AuditEntry.Action.DELETE))


def test_the_undo_writes_the_entries_auditlog_writes_for_each_row_it_deletes(tree, monkeypatch):
    """The undo deletes in bulk out of auditlog's sight and writes the trail itself: the same
    entries auditlog writes when it sees each row deleted (the same undo with auditlog left on and
    the bulk entries off, rolled back)."""
    load_batch(BATCH)
    batch = Reorganisation.objects.get(code="bulk")
    try:
        with transaction.atomic(), monkeypatch.context() as patched:
            patched.setattr(reorganisation, "disable_auditlog", contextlib.nullcontext)
            patched.setattr(reorganisation.recorded_in_bulk, "send", lambda **kwargs: [])
            do_undo_reorganisation(batch)
            by_auditlog = _deleted_entries()
            raise _Rollback
    except _Rollback:
        pass
    with CaptureQueriesContext(connection) as undoing:
        do_undo_reorganisation(batch)
    assert len(by_auditlog) == 24 and {e[0] for e in by_auditlog} == {"unit", "unitlink", "succession"}
    assert _deleted_entries() == by_auditlog
    # One INSERT for every row deleted, one for the batch's own "undone at" (auditlog's).
    assert sum("audit_auditentry" in q["sql"] and q["sql"].startswith("INSERT") for q in undoing) == 2
