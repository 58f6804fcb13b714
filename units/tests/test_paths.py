"""Tree path arithmetic lives on Unit and its queryset; every module outside units/ calls it.
The expressions must give the same SQL as the hand-written lookups they replaced (the engine's
queries are measured)."""

import pytest
from django.db.models import Count
from django.db.models.functions import Substr

from reporting.models import Report
from units.lookups import next_prefix
from units.models import Unit, UnitLink

pytestmark = pytest.mark.django_db


def test_path_lengths_follow_the_depth(world):
    assert Unit.path_length(1) == len(world.province.path)
    assert world.long_xuyen.child_path_length == len(world.school.path)
    assert world.school.parent_path == world.long_xuyen.path
    assert world.province.parent_path == ""


def test_the_child_path_expression_groups_a_subtree_by_child(world):
    rows = (Unit.objects.subtree(world.province).filter(depth__gt=1)
            .annotate(child=world.province.child_path_expression()).order_by()
            .values("child").annotate(n=Count("id")))
    by_child = {Unit.objects.get(path=row["child"]).code: row["n"] for row in rows}
    assert by_child == {"AG.883": 3, "AG.884": 2, "AG.YT": 2}


def test_the_parent_path_expression_reads_the_parent_off_path_and_depth(world):
    shown = dict(Unit.objects.annotate(parent=Unit.parent_path_expression()).values_list("code", "parent"))
    assert shown == {unit.code: unit.parent_path for unit in Unit.objects.all()}


def test_the_expressions_write_the_sql_they_replaced(world):
    root = world.long_xuyen
    assert str(Unit.objects.subtree(root).query) == str(Unit.objects.filter(path__under=root.path).query)
    assert str(Report.objects.filter(**Unit.objects.subtree_lookup(root, "unit__path"), status="approved").query) \
        == str(Report.objects.filter(status="approved", unit__path__under=root.path).query)
    ours = Unit.objects.annotate(child=root.child_path_expression())
    theirs = Unit.objects.annotate(child=Substr("path", 1, (root.depth + 1) * Unit.steplen))
    assert str(ours.query) == str(theirs.query)


def test_under_finds_what_startswith_finds_for_every_prefix(world):
    """`__under` (units.lookups) is `__startswith` written as a range on SQLite: the same rows
    for every unit's path, for a prefix of a path (half a step) and for the empty prefix."""
    prefixes = {u.path for u in Unit.objects.all()} | {u.path[:-1] for u in Unit.objects.all()} | {"", "Z"}
    for prefix in prefixes:
        under = set(Unit.objects.filter(path__under=prefix).values_list("pk", flat=True))
        starts = {u.pk for u in Unit.objects.all() if u.path.startswith(prefix)}
        assert under == starts, prefix
    links = UnitLink.objects.filter(unit=world.school).values_list("path", flat=True)
    for path in links:
        assert set(UnitLink.objects.filter(path__under=path).values_list("pk", flat=True)) == {
            link.pk for link in UnitLink.objects.all() if link.path.startswith(path)}


def test_under_is_a_range_the_sqlite_index_serves(world):
    from django.db import connection

    queryset = Unit.objects.filter(path__under=world.long_xuyen.path)
    if connection.vendor != "sqlite":
        assert "LIKE" in str(queryset.query)
        return
    sql, params = queryset.query.sql_with_params()
    assert "LIKE" not in sql and params[:2] == (world.long_xuyen.path, next_prefix(world.long_xuyen.path))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH units_unit USING INDEX" in plan and "(path>? AND path<?)" in plan, plan
