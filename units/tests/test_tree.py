"""The hierarchy as a tree: subtrees in one query, moves, validity dates, bulk inserts."""

import datetime

import pytest
from treebeard.exceptions import InvalidMoveToDescendant

from units.actions import do_move_unit
from units.history import parent_history
from units.loading import bulk_add_children
from units.models import Unit, UnitKind, UnitLink

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_subtree_holds_the_unit_and_everything_below_it(world):
    assert codes(world.long_xuyen.subtree()) == {"AG.883", "AG.883.00001", "AG.883.00002"}
    assert codes(world.province.subtree()) == set(Unit.objects.values_list("code", flat=True))
    assert codes(world.school.subtree()) == {"AG.883.00001"}


def test_subtree_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(world.province.subtree().grassroots())


def test_a_moved_unit_leaves_its_old_subtree_and_joins_the_new_one(world):
    do_move_unit(world.factory, world.chau_doc, effective_on=datetime.date(2025, 7, 1))

    assert codes(world.long_xuyen.subtree()) == {"AG.883", "AG.883.00001"}
    assert codes(world.chau_doc.subtree()) == {"AG.884", "AG.884.00001", "AG.883.00002"}
    assert parent_history(world.factory) == [(datetime.date(2025, 7, 1), world.long_xuyen.pk, world.chau_doc.pk)]
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_moving_a_district_carries_its_grassroots_unions_along(world):
    do_move_unit(world.long_xuyen, world.health, effective_on=datetime.date(2025, 7, 1))

    assert codes(world.health.subtree().grassroots()) == {"AG.YT.00001", "AG.883.00001", "AG.883.00002"}
    school = Unit.objects.get(code="AG.883.00001")
    assert [a.code for a in Unit.objects.get_ancestors(school)] == ["AG", "AG.YT", "AG.883"]


def test_a_unit_cannot_move_below_itself(world):
    with pytest.raises(InvalidMoveToDescendant):
        do_move_unit(world.long_xuyen, world.school, effective_on=datetime.date(2025, 7, 1))
    assert not UnitLink.objects.filter(valid_to__isnull=False).exists()


def test_child_grassroots_counts_group_the_subtree_by_child(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        counts = world.province.child_grassroots_counts()
    assert counts == {world.long_xuyen.id: 2, world.chau_doc.id: 1, world.health.id: 1}


def test_valid_during_keeps_units_that_existed_on_some_day_of_the_period(world):
    Unit.objects.filter(pk=world.market.pk).update(valid_to=datetime.date(2023, 6, 30))
    Unit.objects.filter(pk=world.hospital.pk).update(valid_from=datetime.date(2024, 1, 1))
    year = {y: (datetime.date(y, 1, 1), datetime.date(y, 12, 31)) for y in (2022, 2023, 2024)}

    assert "AG.884.00001" in codes(Unit.objects.valid_during(*year[2023]))
    assert "AG.884.00001" not in codes(Unit.objects.valid_during(*year[2024]))
    assert "AG.YT.00001" not in codes(Unit.objects.valid_during(*year[2023]))
    assert "AG.YT.00001" in codes(Unit.objects.valid_during(*year[2024]))


def test_bulk_added_children_are_a_sound_tree(world):
    new = [Unit(code=f"AG.884.{n:05d}", name=f"Công đoàn số {n}", kind=UnitKind.GRASSROOTS) for n in range(2, 42)]
    assert bulk_add_children(world.chau_doc, new) == 40

    world.chau_doc.refresh_from_db()
    assert world.chau_doc.numchild == 41
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    # treebeard's own inserts still work after ours.
    later = Unit.objects.add_child(
        world.chau_doc, instance=Unit(code="AG.884.00099", name="Công đoàn sau cùng", kind=UnitKind.GRASSROOTS)
    )
    assert Unit.objects.get_parent(later) == world.chau_doc
    assert Unit.objects.get(code="AG.884.00017").search_name == "cong doan so 17 ag.884.00017"


def test_clean_refuses_inconsistent_attributes(world):
    from django.core.exceptions import ValidationError

    world.school.members = world.school.workers + 1
    world.school.valid_to = datetime.date(1999, 1, 1)
    with pytest.raises(ValidationError) as caught:
        world.school.clean()
    assert set(caught.value.message_dict) == {"members", "valid_to"}
