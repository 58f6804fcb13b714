"""The real 2025 batch with the demo's part, applied by the real loader (`load_batch`) on a small
demo world: the database ends as the plain-data play of units/tests/test_reorganisation_data.py
says it must — same open grassroots unions under the same parents, same units closed."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.reorganisation import NAMED_UNITS_FILES, demo_batch
from units.loading import load_units, read_units_file
from units.models import Unit, UnitKind
from units.reorganisation import load_batch
from units.tests.test_reorganisation_data import Tree, play

GRASSROOTS, SEED = 40, 7  # the smallest demo that still puts a grassroots union under most districts


def tree_of_database() -> Tree:
    tree = Tree()
    codes = dict(Unit.objects.values_list("path", "code"))
    for unit in Unit.objects.order_by("path"):
        tree.add(unit.code, codes.get(unit.path[:-Unit.steplen]), unit.kind, unit.members)
    return tree


@pytest.mark.django_db
def test_the_2025_batch_and_the_demo_part_load_and_end_as_the_plain_play_says():
    for path in NAMED_UNITS_FILES:
        load_units(read_units_file(path))
    call_command("demo_data", grassroots=GRASSROOTS, seed=SEED, stdout=StringIO())
    batch = demo_batch()
    expected = play(batch, tree_of_database())

    result = load_batch(batch)

    assert result.applied
    assert len(result.created) == 102
    open_grassroots = dict(Unit.objects.grassroots().filter(valid_to__isnull=True).values_list("path", "code"))
    codes = dict(Unit.objects.values_list("path", "code"))
    parents = {code: codes[path[:-Unit.steplen]] for path, code in open_grassroots.items()}
    assert parents == {code: expected.parent[code] for code in expected.open_grassroots()}
    closed = set(Unit.objects.filter(valid_to__isnull=False).values_list("code", flat=True))
    assert closed == set(expected.closed_on)
    assert Unit.objects.get(code="KG").valid_to.isoformat() == "2025-06-30"
    assert not Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to__isnull=True).exists()
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).count() == 102
    assert Unit.objects.find_problems() == ([], [], [], [], [])
