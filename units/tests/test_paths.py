"""Tree path arithmetic lives on Unit and its queryset; every module outside units/ calls it.
The expressions must give the same SQL as the hand-written lookups they replaced (the engine's
queries are measured)."""

import pytest
from django.db.models import Count
from django.db.models.functions import Substr

from reporting.models import Report
from units.models import Unit

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
    assert str(Unit.objects.subtree(root).query) == str(Unit.objects.filter(path__startswith=root.path).query)
    assert str(Report.objects.filter(**Unit.objects.subtree_lookup(root, "unit__path"), status="approved").query) \
        == str(Report.objects.filter(status="approved", unit__path__startswith=root.path).query)
    ours = Unit.objects.annotate(child=root.child_path_expression())
    theirs = Unit.objects.annotate(child=Substr("path", 1, (root.depth + 1) * Unit.steplen))
    assert str(ours.query) == str(theirs.query)
