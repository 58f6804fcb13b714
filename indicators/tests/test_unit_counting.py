"""The engine's expected units (the coverage's denominator) are counted from one grouped query
matched to each unit filter in Python (Engine._units). Here they are counted again by hand:
as numbers worked out on paper for a little tree with every case the rule of counting knows
(a unit that closed during a year, one a reorganisation closed, one that opened later, one that
moved, large enterprises), and as a plain recount over the units and their links for every
unit filter the program's targets use, total and per child, in both views.
"""

from __future__ import annotations

import datetime

import pytest

from indicators.engine import Engine
from programs.definition import UnitFilter
from reporting.actions import do_open_period
from tests.factories import UnitFactory
from units import placement
from units.actions import do_move_unit
from units.models import LINK_STEP, Ownership, Unit, UnitKind, UnitLink

pytestmark = pytest.mark.django_db

YEARS = (2022, 2023, 2024)
GRASSROOTS = UnitFilter.parse({"kind": ["grassroots"]})
LARGE = UnitFilter.parse({"kind": ["grassroots"], "large_enterprise": True})
ENTERPRISE = UnitFilter.parse({"kind": ["grassroots"], "enterprise": True})


def _unit(parent: Unit, code: str, name: str, kind: str, **attributes) -> Unit:
    return UnitFactory(parent=parent, code=code, name=name, kind=kind, **attributes)


@pytest.fixture
def tree(world, program):
    """The world's tree (province; Long Xuyên: school, factory; Châu Đốc: market; health sector:
    hospital) and four more grassroots unions; the factory moves to Châu Đốc on 1 July 2023."""
    for year in YEARS:
        do_open_period("year", year, 0, datetime.date(year + 1, 1, 15), by=world.admin)
    world.big_state = _unit(world.long_xuyen, "AG.883.00003", "Công đoàn Tổng công ty Nhà nước",
                            UnitKind.GRASSROOTS, ownership=Ownership.STATE, workers=2000, members=1500, officers=9)
    world.closed = _unit(world.chau_doc, "AG.884.00002", "Công đoàn Công ty đã giải thể", UnitKind.GRASSROOTS,
                         ownership=Ownership.NON_STATE, workers=50, members=40, officers=3)
    world.merged = _unit(world.chau_doc, "AG.884.00003", "Công đoàn Công ty đã sáp nhập", UnitKind.GRASSROOTS,
                         ownership=Ownership.STATE, workers=60, members=50, officers=3)
    world.opened = _unit(world.health, "AG.YT.00002", "Công đoàn Trạm Y tế mới", UnitKind.GRASSROOTS,
                         ownership=Ownership.PUBLIC_SECTOR, workers=20, members=20, officers=1)
    Unit.objects.filter(pk=world.closed.pk).update(valid_to=datetime.date(2023, 6, 30))
    Unit.objects.filter(pk=world.merged.pk).update(valid_to=datetime.date(2023, 6, 30), closed_in_reorganisation=True)
    Unit.objects.filter(pk=world.opened.pk).update(valid_from=datetime.date(2024, 3, 1))
    do_move_unit(Unit.objects.get(pk=world.factory.pk), Unit.objects.get(pk=world.chau_doc.pk),
                 datetime.date(2023, 7, 1), by=world.admin)
    return world


def counted(engine: Engine, root: Unit, filters: dict, by_child: bool):
    """{group: {year: {filter key: n}}} as the engine counts it."""
    plan = engine._make_plan(engine.targets)
    plan.unit_filters = dict(filters)
    plan.filters.update(filters)
    periods = {p.id: year for year, p in engine.periods.items()}
    rows = engine._units(plan, engine._roots(root), by_child)
    return {group: {periods[pid]: dict(counts) for pid, counts in by_period.items()}
            for group, by_period in rows.items()}


def test_the_expected_units_are_the_hand_count(tree, program):
    filters = {"grassroots": GRASSROOTS, "large": LARGE, "enterprise": ENTERPRISE}
    then = counted(Engine(program, view=placement.THEN), tree.province, filters, False)["total"]
    # 2022: the four of the world, the state corporation, the closed and the merged union (not
    # yet the new one). 2023: the merged union's year went to its successor; the closed one
    # still owes it. 2024: the new one, neither closed one.
    assert {y: then[y]["grassroots"] for y in YEARS} == {2022: 7, 2023: 6, 2024: 6}
    assert {y: then[y]["large"] for y in YEARS} == {2022: 2, 2023: 2, 2024: 2}  # factory, corporation
    assert {y: then[y]["enterprise"] for y in YEARS} == {2022: 4, 2023: 3, 2024: 2}

    children = counted(Engine(program, view=placement.THEN), tree.province, filters, True)
    by_code = {Unit.objects.get(pk=pk).code: {y: n["grassroots"] for y, n in years.items()}
               for pk, years in children.items()}
    assert by_code == {
        "AG.883": {2022: 3, 2023: 2, 2024: 2},  # the factory left on 1 July 2023
        "AG.884": {2022: 3, 2023: 3, 2024: 2},  # the factory came; the closed union's last year is 2023
        "AG.YT": {2022: 1, 2023: 1, 2024: 2},
    }

    # As it is now: the factory in Châu Đốc every year; the closed and merged unions, with no
    # successor, drop out.
    now = counted(Engine(program, view=placement.NOW), tree.province, filters, True)
    by_path = {Unit.objects.get(path=path).code: {y: n["grassroots"] for y, n in years.items()}
               for path, years in now.items()}
    assert by_path == {
        "AG.883": {2022: 2, 2023: 2, 2024: 2},
        "AG.884": {2022: 2, 2023: 2, 2024: 2},
        "AG.YT": {2022: 1, 2023: 1, 2024: 2},
    }


def _recount_then(root: Unit, period, unit_filter: UnitFilter, by_child: bool) -> dict:
    """Units of the root's subtree of the period's tree that count in the period, by their
    link of the period's last day (or of their own last day), read row by row."""
    root_day = min(period.ends_on, root.valid_to or period.ends_on)
    root_path = next(link.path for link in UnitLink.objects.filter(unit=root)
                     if (link.valid_from is None or link.valid_from <= root_day)
                     and (link.valid_to is None or link.valid_to >= root_day))
    found: dict = {}
    for unit in Unit.objects.all():
        if not unit_filter.matches(unit) or unit.valid_from > period.ends_on:
            continue
        if unit.valid_to is not None and unit.valid_to < period.starts_on:
            continue
        if unit.closed_in_reorganisation and unit.valid_to is not None and unit.valid_to < period.ends_on:
            continue
        day = min(period.ends_on, unit.valid_to or period.ends_on)
        for link in UnitLink.objects.filter(unit=unit):
            if (link.valid_from is None or link.valid_from <= day) and (link.valid_to is None or link.valid_to >= day):
                if not link.path.startswith(root_path) or (by_child and link.path == root_path):
                    continue
                group = int(link.path[len(root_path):len(root_path) + LINK_STEP]) if by_child else "total"
                found[group] = found.get(group, 0) + 1
    return found


def test_every_filter_of_the_program_is_a_recount(tree, program):
    engine = Engine(program)
    plan = engine._make_plan(engine.targets)
    assert len(plan.unit_filters) > 3
    for root in (tree.province, tree.chau_doc, tree.long_xuyen):
        for by_child in (False, True):
            rows = engine._units(plan, engine._roots(root), by_child)
            for year, period in engine.periods.items():
                if year not in YEARS:
                    continue
                for key, unit_filter in plan.unit_filters.items():
                    engine_counts = {group: by_period[period.id].get(key, 0)
                                     for group, by_period in rows.items() if by_period.get(period.id, {}).get(key)}
                    assert engine_counts == _recount_then(root, period, unit_filter, by_child), (
                        root.code, by_child, year, key)


def test_a_query_compiled_for_one_root_serves_another_of_its_shape(tree, program):
    """Engine._grouped_rows compiles each query once per shape of the root's paths and swaps
    the paths in later calls (units.compiled, kept for the process): a district computed after
    another, by a later engine, gives what the ORM's own query gives, and the compiled forms were
    reused, not rebuilt."""
    from units import compiled

    for view in placement.VIEWS:
        compiled._compiled.clear()
        warm = Engine(program, view=view)
        warm.series(tree.long_xuyen)
        warm.breakdowns(tree.long_xuyen, 2024)
        kept = dict(compiled._compiled)
        assert kept and all(c is not compiled.UNCACHED for c in kept.values())
        for district in (tree.chau_doc, tree.health):
            later = Engine(program, view=view)
            series, breakdowns = later.series(district), later.breakdowns(district, 2024)
            assert compiled._compiled == kept  # the same shape: nothing compiled again
            compiled._compiled.clear()  # the ORM's own queries, built afresh
            assert _figures(series) == _figures(Engine(program, view=view).series(district))
            compiled._compiled.clear()
            assert _rows(breakdowns) == _rows(Engine(program, view=view).breakdowns(district, 2024))
            compiled._compiled.update(kept)


def _figures(series):
    return {code: {year: result.as_dict() for year, result in years.items()} for code, years in series.items()}


def _rows(breakdowns):
    return {code: [(child.code, result.as_dict()) for child, result in rows] for code, rows in breakdowns.items()}
