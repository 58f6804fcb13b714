"""Records of units the 2025 reorganisation moved, merged or dissolved: each keeps counting once,
under the unit that carries its figures today; a successor's report is prefilled with them."""

import datetime

import pytest

from registries.counts import records_behind, subtree_counts, unit_figures
from registries.testing import agreement, dispute, home
from tests.factories import DistrictFactory, GrassrootsFactory, PeriodFactory, ProvinceAdminFactory, UnitFactory
from units.models import Ownership, Unit, UnitKind
from units.reorganisation import do_apply_reorganisation, do_undo_reorganisation

D = datetime.date


@pytest.fixture
def reorganised(db):
    """Before: the province P, district D1 with G1, G2 and G3 (enterprises), district D2. On
    1/7/2025 the ward union W opens; D1 is dissolved onto W; G1 moves under W; G2 merges into G3
    (which moves under W too)."""
    province = UnitFactory(code="P")
    d1 = DistrictFactory(parent=province, code="D1")
    DistrictFactory(parent=province, code="D2")
    g1 = GrassrootsFactory(parent=d1, code="G1", ownership=Ownership.NON_STATE, workers=200)
    g2 = GrassrootsFactory(parent=d1, code="G2", ownership=Ownership.NON_STATE, workers=300)
    g3 = GrassrootsFactory(parent=d1, code="G3", ownership=Ownership.NON_STATE, workers=400)
    home(g1, D(2025, 3, 1), "Nhà G1")
    home(g2, D(2025, 4, 1), "Nhà G2")
    home(g3, D(2025, 9, 1), "Nhà G3")
    agreement(g2, D(2023, 1, 1), quality_class="B", classed_year=2024)
    dispute(d1, D(2025, 2, 1), "Công ty ở D1", union_took_part=True)
    batch = {
        "batch": {"code": "2025", "title": "Sắp xếp 2025"},
        "units": [{"code": "W", "name": "Công đoàn phường W", "kind": UnitKind.COMMUNE, "parent": "P",
                   "valid_from": "2025-07-01"}],
        "changes": [
            {"change": "move", "units": ["G1", "G3"], "to": "W", "on": "2025-07-01"},
            {"change": "merge", "units": ["G2"], "into": "G3", "on": "2025-07-01"},
            {"change": "dissolve", "unit": "D1", "successor": "W", "on": "2025-07-01"},
        ],
    }
    applied = do_apply_reorganisation(batch, by=ProvinceAdminFactory())
    return {code: Unit.objects.get(code=code) for code in ("P", "D1", "D2", "G1", "G2", "G3", "W")}, applied


def test_a_record_moved_with_its_unit_counts_once(reorganised):
    units, _applied = reorganised
    period = PeriodFactory(year=2025)
    # by hand: three houses in 2025 in the whole province, all now under W (G1 moved, G2 merged into G3, G3 moved)
    assert subtree_counts(units["P"], period)["union_homes"] == 3
    assert subtree_counts(units["W"], period)["union_homes"] == 3
    assert subtree_counts(units["D1"], period)["union_homes"] == 0  # closed: nothing counts twice under it
    assert subtree_counts(units["D2"], period)["union_homes"] == 0
    assert records_behind("union_homes", units["G1"], period).get().beneficiary == "Nhà G1"
    # the dissolved district's own dispute counts at its successor's place
    assert subtree_counts(units["W"], period)["labour_disputes"] == 1
    assert subtree_counts(units["P"], period)["labour_disputes"] == 1


def test_a_merged_unions_records_go_to_its_successors_report(reorganised):
    units, _applied = reorganised
    period = PeriodFactory(year=2025)
    g3 = unit_figures(units["G3"], period, ["union_homes", "cba_signed", "cba_quality_class"])
    # by hand: G3's own house and G2's; G2's agreement (class B) is G3's now
    assert g3["union_homes"].value == 2
    assert (g3["cba_signed"].value, g3["cba_quality_class"].value) == (True, "B")
    assert subtree_counts(units["P"], period)["cba_signed"] == 1


def test_undoing_the_batch_puts_the_records_back(reorganised):
    units, applied = reorganised
    period = PeriodFactory(year=2025)
    do_undo_reorganisation(applied, by=ProvinceAdminFactory())
    d1 = Unit.objects.get(code="D1")
    counts = subtree_counts(d1, period)
    assert (counts["union_homes"], counts["labour_disputes"]) == (3, 1)
    assert unit_figures(Unit.objects.get(code="G3"), period, ["union_homes"])["union_homes"].value == 1


def test_a_merged_union_keeps_none_of_the_records_its_successor_carries(reorganised):
    """A closed union's place today is its successor's: its own records are counted there, once,
    and at its own (old) path no longer (registries.counts.at_unit, placement.placed_at)."""
    units, _applied = reorganised
    period = PeriodFactory(year=2025)
    g2 = unit_figures(units["G2"], period, ["union_homes", "cba_signed"])
    assert (g2["union_homes"].value, g2["cba_signed"].value) == (0, False)
    assert unit_figures(units["G3"], period, ["union_homes"])["union_homes"].value == 2
