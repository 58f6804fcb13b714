"""The counts derived from the registries equal the records counted by hand.

The little tree: a province, two districts; under the first, two enterprises' unions (G1, G2)
and a school's (S); under the second, one enterprise's union (G3). Each test writes its records
and states, counted by hand from what it wrote, what each figure must be."""

import datetime

import pytest

from registries.counts import records_behind, subtree_counts, unit_figures, units_figures
from registries.testing import agreement, dispute, home, initiative
from tests.factories import DistrictFactory, GrassrootsFactory, PeriodFactory, UnitFactory
from units.models import Ownership

D = datetime.date


@pytest.fixture
def tree(db):
    province = UnitFactory(code="P")
    d1 = DistrictFactory(parent=province, code="P.D1")
    d2 = DistrictFactory(parent=province, code="P.D2")
    g1 = GrassrootsFactory(parent=d1, code="P.D1.G1", ownership=Ownership.NON_STATE, workers=300)
    g2 = GrassrootsFactory(parent=d1, code="P.D1.G2", ownership=Ownership.STATE, workers=500)
    school = GrassrootsFactory(parent=d1, code="P.D1.S")
    g3 = GrassrootsFactory(parent=d2, code="P.D2.G3", ownership=Ownership.NON_STATE, workers=800)
    return province, d1, d2, g1, g2, school, g3


def test_agreements_in_force_at_the_end_of_the_year(tree):
    province, d1, d2, g1, g2, school, g3 = tree
    period = PeriodFactory(year=2024)
    # G1: an old agreement expired in 2023, a new one signed 2023 in force, class A (classed 2024)
    agreement(g1, D(2020, 3, 1), expires_on=D(2023, 2, 28), quality_class="C", classed_year=2021)
    agreement(g1, D(2023, 3, 1), quality_class="A", classed_year=2024, more_favourable=True,
              favourable_terms=["pay", "shift_meals"])
    # G2: signed in 2024, classed B only in 2025: in force at the end of 2024, not yet classed
    agreement(g2, D(2024, 6, 1), quality_class="B", classed_year=2025)
    # G3: expires on 31/12/2024, the period's last day: still in force; class B, more favourable
    agreement(g3, D(2022, 1, 1), expires_on=D(2024, 12, 31), quality_class="B", classed_year=2022,
              more_favourable=True)
    # S: signed in 2025, after the period
    agreement(school, D(2025, 1, 10), quality_class="A", classed_year=2025)

    counts = subtree_counts(province, period)
    # counted by hand: in force at 31/12/2024 — G1 (new), G2, G3 = 3; classed A/B by 2024 — G1 (A), G3 (B) = 2;
    # more favourable — G1, G3 = 2
    assert counts["cba_signed"] == 3
    assert counts["cba_quality_class"] == 2
    assert (counts["cba_class_A"], counts["cba_class_B"], counts["cba_class_C"]) == (1, 1, 0)
    assert counts["cba_more_favourable"] == 2
    d1_counts = subtree_counts(d1, period)
    assert (d1_counts["cba_signed"], d1_counts["cba_quality_class"], d1_counts["cba_more_favourable"]) == (2, 1, 1)
    assert {a.unit.code for a in records_behind("cba_quality_class", province, period)} == {"P.D1.G1", "P.D2.G3"}

    g2_figures = unit_figures(g2, period, ["cba_signed", "cba_quality_class", "cba_more_favourable", "workers"])
    assert set(g2_figures) == {"cba_signed", "cba_quality_class", "cba_more_favourable"}
    assert (g2_figures["cba_signed"].value, g2_figures["cba_quality_class"].value) == (True, None)
    g1_figures = unit_figures(g1, period, ["cba_signed", "cba_quality_class", "cba_more_favourable"])
    assert (g1_figures["cba_signed"].value, g1_figures["cba_quality_class"].value,
            g1_figures["cba_more_favourable"].value) == (True, "A", True)
    # the 2025 figures: G3's agreement expired, the school's is in force (class A classed 2025), G2 now class B
    counts_2025 = subtree_counts(province, PeriodFactory(year=2025))
    assert (counts_2025["cba_signed"], counts_2025["cba_quality_class"]) == (3, 3)


def test_homes_initiatives_and_disputes_of_the_period(tree):
    province, d1, d2, g1, g2, school, g3 = tree
    period = PeriodFactory(year=2024)
    home(g1, D(2024, 1, 1), "Lê Văn Một")
    home(g1, D(2024, 12, 31), "Lê Văn Hai", work="repaired", cost=60_000_000, union_support=30_000_000)
    home(g1, D(2023, 12, 31), "Lê Văn Ba")          # the year before
    home(g3, D(2024, 8, 19), "Phạm Thị Bốn")
    initiative(school, 2024, "Sổ điểm điện tử")
    initiative(school, 2024, "Thư viện số")
    initiative(g2, 2024, "Máy cắt cải tiến")
    initiative(g2, 2025, "Băng tải tự động")        # the year after
    dispute(d1, D(2024, 3, 4), "Công ty May Một", union_took_part=True, union_role="Đối thoại với chủ")
    dispute(g1, D(2024, 11, 2), "Công ty Giày Hai")
    dispute(d2, D(2024, 5, 5), "Công ty Thủy sản Ba", union_took_part=True)
    dispute(d2, D(2025, 1, 2), "Công ty Thủy sản Ba", union_took_part=True)  # next year

    counts = subtree_counts(province, period)
    # by hand: houses 2 (G1) + 1 (G3) = 3; initiatives 2 (school) + 1 (G2) = 3; disputes 3, the union in 2
    assert (counts["union_homes"], counts["initiatives"]) == (3, 3)
    assert (counts["labour_disputes"], counts["disputes_with_union"]) == (3, 2)
    d1_counts = subtree_counts(d1, period)
    assert (d1_counts["union_homes"], d1_counts["initiatives"], d1_counts["labour_disputes"],
            d1_counts["disputes_with_union"]) == (2, 3, 2, 1)
    # a district's report: the disputes of its whole subtree; a grassroots union's: its own houses
    d1_figures = unit_figures(d1, period, ["labour_disputes", "disputes_with_union"])
    assert (d1_figures["labour_disputes"].value, d1_figures["disputes_with_union"].value) == (2, 1)
    g1_figures = unit_figures(g1, period, ["union_homes", "initiatives"])
    assert g1_figures["union_homes"].value == 2 and g1_figures["union_homes"].kept
    assert g1_figures["initiatives"].value == 0 and not g1_figures["initiatives"].kept  # G1 keeps no initiatives
    assert sorted(h.beneficiary for h in records_behind("union_homes", d1, period)) == ["Lê Văn Hai", "Lê Văn Một"]
    # a six-month period: the houses and disputes of its days; initiatives carry a year, not a day
    half = PeriodFactory(kind="half", year=2024, half=1)
    half_counts = subtree_counts(province, half)
    assert (half_counts["union_homes"], half_counts["labour_disputes"], half_counts["initiatives"]) == (1, 2, 0)


def test_counts_take_one_query_per_kind_whatever_the_units(tree, django_assert_num_queries):
    province, d1, d2, g1, g2, school, g3 = tree
    period = PeriodFactory(year=2024)
    for n in range(5):
        unit = GrassrootsFactory(parent=d2)
        home(unit, D(2024, 2, 1 + n))
        agreement(unit, D(2021, 1, 1))
    with django_assert_num_queries(4):
        counts = subtree_counts(province, period)
    assert (counts["union_homes"], counts["cba_signed"]) == (5, 5)


def test_a_spreadsheet_s_units_read_at_once_get_each_unit_s_own_figures(tree, django_assert_max_num_queries):
    """units_figures (a spreadsheet's rows) equals unit_figures unit by unit, grassroots unions
    read in two queries whatever their number, an upper-level union in its own."""
    province, d1, d2, g1, g2, school, g3 = tree
    period = PeriodFactory(year=2024)
    agreement(g1, D(2023, 5, 1), quality_class="A", classed_year=2024)
    agreement(g2, D(2020, 1, 1), expires_on=D(2023, 12, 31))  # expired before the year's end
    home(g1, D(2024, 6, 1), "Lê Văn Một")
    home(g1, D(2023, 6, 1), "Lê Văn Trước")
    initiative(school, 2024, "Sổ điểm điện tử")
    dispute(g3, D(2024, 3, 4), "Công ty May Ba", union_took_part=True, union_role="Đối thoại")
    codes = ["cba_signed", "cba_quality_class", "cba_more_favourable", "union_homes", "initiatives",
             "labour_disputes", "disputes_with_union"]
    units = [g1, g2, school, g3, d1]
    with django_assert_max_num_queries(2 + 2):  # the grassroots unions together, the district alone
        together = units_figures(units, period, codes)
    for unit in units:
        assert together[unit.pk] == unit_figures(unit, period, codes), unit.code
    assert together[g1.pk]["union_homes"].value == 1 and together[g1.pk]["cba_quality_class"].value == "A"
    assert together[g2.pk]["cba_signed"].value is False and together[g2.pk]["cba_signed"].kept
    assert together[g3.pk]["disputes_with_union"].value == 1 and not together[school.pk]["union_homes"].kept
