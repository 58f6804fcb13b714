"""The 2025 reorganisation as data, checked without its loader: the batch file, the
old-district-to-commune map, old Kiên Giang's units file and the demo's part of the batch.

The batch is played on plain dicts (`play`): each change closes, creates or re-parents units the
way REORG_FORMAT describes, and refuses a change that names a unit not there or already closed.
Counts after it are compared with the published ones (FACTS.md): 2,956 grassroots unions and
about 203,000 members in both old provinces before; 2,171 dissolved; 785 and 116,002 after.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

import pytest

from demo.names import AN_GIANG_PARENTS, KIEN_GIANG_PARENTS, KIEN_GIANG_SHARE, generate_grassroots
from demo.reorganisation import (
    NAMED_UNITS_FILES,
    DemoUnit,
    combined_batch,
    demo_changes,
    read_batch,
    read_district_communes,
)
from units.loading import read_units_file

JULY_1 = datetime.date(2025, 7, 1)
RACH_GIA_WARD = "AG.CX.30742"
DEMO_GRASSROOTS, DEMO_SEED = 1500, 2020  # setup_demo's defaults


# ---- the data, read once ---------------------------------------------------------------------

def named_units() -> list[dict]:
    return [row for path in NAMED_UNITS_FILES for row in read_units_file(path)]


def demo_profiles():
    """The demo grassroots unions demo_data makes with setup_demo's defaults."""
    yield from generate_grassroots(DEMO_GRASSROOTS, DEMO_SEED, AN_GIANG_PARENTS)
    yield from generate_grassroots(round(DEMO_GRASSROOTS * KIEN_GIANG_SHARE), DEMO_SEED + 1, KIEN_GIANG_PARENTS)


def demo_units() -> list[DemoUnit]:
    return [DemoUnit(p.code, p.name, p.ownership, p.parent_code) for p in demo_profiles()]


@pytest.fixture(scope="module")
def batch() -> dict:
    return read_batch()


@pytest.fixture(scope="module")
def mapping():
    return read_district_communes()


@pytest.fixture(scope="module")
def demo_batch(batch, mapping) -> dict:
    return combined_batch(batch, demo_changes(demo_units(), mapping))


def district_codes() -> set[str]:
    return {row["code"] for row in named_units() if row["kind"] == "district"}


# ---- playing a batch on plain data -----------------------------------------------------------

@dataclass
class Tree:
    parent: dict[str, str | None] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    closed_on: dict[str, datetime.date] = field(default_factory=dict)  # `on` of the closing change
    opened_on: dict[str, datetime.date] = field(default_factory=dict)  # units the batch creates
    moved_on: dict[str, datetime.date] = field(default_factory=dict)  # a unit's latest new parent

    def add(self, code, parent, kind, members=0, valid_from=None):
        assert code not in self.parent, f"{code} twice"
        self.parent[code], self.kind[code], self.members[code] = parent, kind, members or 0
        if valid_from:
            self.opened_on[code] = valid_from

    def open_children(self, code):
        return [c for c, p in self.parent.items() if p == code and c not in self.closed_on]

    def require_open(self, code, change, on=None):
        assert code in self.parent, f"{change}: {code} is in no units file nor in the batch"
        assert code not in self.closed_on, f"{change}: {code} was closed on {self.closed_on.get(code)}"
        assert on is None or on >= self.opened_on.get(code, on), f"{change}: {code} does not exist yet"

    def close(self, code, on, heir, change):
        self.require_open(code, change)
        # Closed on the day it got a new parent: its link to that parent would last no day at all.
        assert self.moved_on.get(code) != on, f"{change}: {code} was handed on and closed on the same day"
        children = self.open_children(code)
        assert heir or not children, f"{change}: {code} has {len(children)} open children and no successor"
        for child in children:
            self.reparent(child, heir, on)
        self.closed_on[code] = on

    def reparent(self, code, parent, on):
        self.parent[code], self.moved_on[code] = parent, on

    def open_grassroots(self):
        return [c for c, k in self.kind.items() if k == "grassroots" and c not in self.closed_on]


def before(with_demo: bool) -> Tree:
    tree = Tree()
    for row in named_units():
        tree.add(row["code"], row.get("parent"), row["kind"], row.get("members"))
    if with_demo:
        for profile in demo_profiles():
            tree.add(profile.code, profile.parent_code, "grassroots", profile.members)
    return tree


def play(batch: dict, tree: Tree) -> Tree:
    for row in batch["units"]:
        tree.require_open(row["parent"], row["code"])
        tree.add(row["code"], row["parent"], row["kind"], valid_from=row["valid_from"])
    # In order of `on`, then in file order (sorted() is stable).
    for change in sorted(batch["changes"], key=lambda c: c["on"]):
        kind, on = change["change"], change["on"]
        if kind == "dissolve":
            if change["successor"]:
                tree.require_open(change["successor"], change, on)
            tree.close(change["unit"], on, change["successor"], change)
        elif kind == "merge":
            tree.require_open(change["into"], change, on)
            for code in change["units"]:
                tree.close(code, on, change["into"], change)
        elif kind == "move":
            tree.require_open(change["to"], change, on)
            for code in change.get("units") or [change["unit"]]:
                tree.require_open(code, change)
                tree.reparent(code, change["to"], on)
        else:
            raise AssertionError(f"the 2025 batch has no {kind} change: {change}")
    return tree


# ---- the files -------------------------------------------------------------------------------

def test_the_batch_creates_the_102_commune_ward_and_special_zone_unions(batch):
    units = batch["units"]
    kinds = Counter(next(k for k in ("xã", "phường", "đặc khu") if row["name"].startswith(f"Công đoàn {k} "))
                    for row in units)
    assert len(units) == 102
    assert kinds == {"xã": 85, "phường": 14, "đặc khu": 3}
    for row in units:
        assert row["code"] == f"AG.CX.{row['admin_code']}" and len(row["admin_code"]) == 5
        assert (row["kind"], row["parent"], row["valid_from"]) == ("commune", "AG", JULY_1)
        assert row["short_name"] == row["name"].replace("Công đoàn ", "CĐ ", 1)
    assert len({row["code"] for row in units}) == 102
    assert {row["name"] for row in units} >= {"Công đoàn phường Rạch Giá", "Công đoàn phường Long Xuyên",
                                              "Công đoàn đặc khu Phú Quốc"}


def test_every_code_a_change_names_is_in_a_units_file_or_the_batch(demo_batch):
    known = {row["code"] for row in named_units()} | {row["code"] for row in demo_batch["units"]}
    known |= {unit.code for unit in demo_units()}
    named = Counter()
    for change in demo_batch["changes"]:
        for key in ("unit", "into", "to", "successor"):
            if isinstance(change.get(key), str):
                named[change[key]] += 1
        for key in ("units", "into"):
            if isinstance(change.get(key), list):
                named.update(change[key])
    assert set(named) - known == set()


def test_dates_are_in_order_and_within_2025(batch, mapping):
    ons = [change["on"] for change in batch["changes"]]
    assert ons == sorted(ons)
    assert all(on.year == 2025 for on in ons)
    assert batch["batch"]["document"]["date"] <= min(ons)
    takeovers = mapping.takeover_on
    assert set(takeovers) == {row["code"] for row in batch["units"]}
    assert all(JULY_1 <= day <= datetime.date(2025, 9, 30) for day in takeovers.values())
    assert takeovers[RACH_GIA_WARD] == datetime.date(2025, 8, 27)  # Decision 83 of the province


def test_every_district_federation_of_both_provinces_is_dissolved_on_1_july(batch):
    dissolved = {c["unit"]: c for c in batch["changes"] if c["change"] == "dissolve"}
    assert len(district_codes()) == 26  # 11 of old An Giang, 15 of old Kiên Giang
    for code in district_codes():
        assert (dissolved[code]["on"], dissolved[code]["successor"]) == (JULY_1, "AG"), code
    assert {"KG.VC", "KG.YT", "KG.GD"} <= set(dissolved)  # Kiên Giang's three sector unions
    merges = [c for c in batch["changes"] if c["change"] == "merge" and c["units"] == ["KG"]]
    assert [(m["into"], m["on"]) for m in merges] == [("AG", JULY_1)]


def test_each_old_district_hands_its_unions_to_communes_of_its_own(batch, mapping):
    listed = [code for communes in mapping.districts.values() for code in communes]
    assert sorted(listed) == sorted(row["code"] for row in batch["units"])  # each commune once
    assert set(mapping.districts) == district_codes()
    assert Counter(code[:2] for code in mapping.districts) == {"AG": 11, "KG": 15}
    assert sum(len(c) for d, c in mapping.districts.items() if d.startswith("KG")) == 48
    assert RACH_GIA_WARD in mapping.districts["KG.899"]


def test_kien_giang_has_its_federation_15_districts_3_sector_unions_and_direct_unions():
    rows = read_units_file(NAMED_UNITS_FILES[1])
    by_kind = Counter((row["kind"], row["parent"]) for row in rows)
    assert by_kind[("province", None)] == 1
    assert by_kind[("district", "KG")] == 15 and by_kind[("sector", "KG")] == 3
    assert by_kind[("grassroots", "KG")] >= 5
    root = rows[0]
    # Open here: the batch closes it (a unit must be open when a change closes it).
    assert (root["code"], root["valid_to"], root["admin_code"]) == ("KG", None, "91")
    assert {row["admin_code"] for row in rows if row["kind"] == "district"} == {
        "899", "900", *(str(code) for code in range(902, 915))}


# ---- the batch played ------------------------------------------------------------------------

def test_the_named_units_alone_come_through_the_batch_in_one_tree(batch):
    tree = play(batch, before(with_demo=False))

    assert tree.closed_on["KG"] == JULY_1
    assert all(tree.closed_on[code] == JULY_1 for code in district_codes())
    for code in tree.open_grassroots():
        assert tree.parent[code] not in tree.closed_on, code
    assert tree.parent["KG.TT.004"] == "AG" and tree.parent["KG.YT.001"] == "AG"


def test_no_grassroots_union_is_moved_or_handed_on_after_it_was_dissolved(demo_batch):
    tree = play(demo_batch, before(with_demo=True))  # `play` refuses any change to a closed unit

    moved = [c for c in demo_batch["changes"] if c["change"] == "move"]
    assert moved and all(c["on"] > JULY_1 for c in moved)
    for code in tree.open_grassroots():
        assert tree.parent[code] not in tree.closed_on, code


def test_counts_after_the_reorganisation_are_plausible(demo_batch):
    """Both old provinces before: 2,956 grassroots unions, ~203,000 members (FACTS.md); the
    demo has exactly 2,956 (1,500 + 17 named in An Giang, 1,425 + 14 in Kiên Giang). Dissolved:
    2,171; after: 785 grassroots unions, 116,002 members (57% of before). The demo's members are
    allowed 50–75% after: its enterprises, which all continue, are a larger share than the real ones."""
    start = before(with_demo=True)
    grassroots_before = start.open_grassroots()
    members_before = sum(start.members[c] for c in grassroots_before)
    tree = play(demo_batch, start)
    after = tree.open_grassroots()
    members_after = sum(tree.members[c] for c in after)
    dissolved = [c for c in demo_batch["changes"] if c["change"] == "dissolve" and c["successor"] is None]

    assert len(grassroots_before) == 2956
    assert 180_000 <= members_before <= 215_000
    assert 2_050 <= len(dissolved) <= 2_300
    assert 700 <= len(after) <= 870
    assert 0.50 <= members_after / members_before <= 0.75
    under = Counter(tree.kind[tree.parent[c]] for c in after)
    assert set(under) == {"province", "commune", "industrial_zone"}
    communes_holding = {tree.parent[c] for c in after if tree.kind[tree.parent[c]] == "commune"}
    assert len(communes_holding) >= 95  # of 102
    rach_gia = [c for c in demo_batch["changes"] if c["change"] == "move" and c["to"] == RACH_GIA_WARD]
    assert [c["on"] for c in rach_gia] == [datetime.date(2025, 8, 27)]


# ---- old Kiên Giang's file in the database, with today's loader ------------------------------

@pytest.mark.django_db
def test_kien_giang_loads_beside_an_giang_as_a_second_root_with_todays_loader():
    from units.loading import load_units
    from units.models import Unit, UnitKind

    for path in NAMED_UNITS_FILES:
        load_units(read_units_file(path))
    again = load_units(read_units_file(NAMED_UNITS_FILES[1]))

    kien_giang = Unit.objects.get(code="KG")
    assert (kien_giang.depth, kien_giang.valid_to) == (1, None)
    assert list(Unit.objects.filter(depth=1).order_by("path").values_list("code", flat=True)) == ["AG", "KG"]
    below = Counter(kien_giang.subtree().exclude(pk=kien_giang.pk).values_list("kind", flat=True))
    assert below == {UnitKind.DISTRICT: 15, UnitKind.SECTOR: 3, UnitKind.GRASSROOTS: 14}
    assert Unit.objects.get(code="KG.899").name == "Liên đoàn Lao động thành phố Rạch Giá"
    assert Unit.objects.get(code="KG.YT.001").large_enterprise is False
    assert (again.created, again.updated, again.moved) == ([], [], [])
    assert Unit.objects.find_problems() == ([], [], [], [], [])


# ---- the real loader on a small demo world ---------------------------------------------------

LOADER_GRASSROOTS, LOADER_SEED = 40, 7  # the smallest demo that still puts a grassroots union under most districts


def tree_of_database() -> Tree:
    from units.models import Unit

    tree = Tree()
    codes = dict(Unit.objects.values_list("path", "code"))
    for unit in Unit.objects.order_by("path"):
        tree.add(unit.code, codes.get(unit.path[:-Unit.steplen]), unit.kind, unit.members)
    return tree


@pytest.mark.django_db
def test_the_2025_batch_and_the_demo_part_load_and_end_as_the_plain_play_says():
    """The real batch with the demo's part, applied by the real loader (`load_batch`) on a small
    demo world: the database ends as `play` says — the same open grassroots unions under the
    same parents, the same units closed."""
    from io import StringIO

    from django.core.management import call_command

    from demo.reorganisation import demo_batch
    from units.loading import load_units
    from units.models import Unit, UnitKind
    from units.reorganisation import load_batch

    for path in NAMED_UNITS_FILES:
        load_units(read_units_file(path))
    call_command("demo_data", grassroots=LOADER_GRASSROOTS, seed=LOADER_SEED, stdout=StringIO())
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
