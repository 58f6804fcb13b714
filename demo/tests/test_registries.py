"""The demo registries agree with the demo reports: every registry figure equals the reported one."""

import datetime

from demo.registries import create_demo_registries, reported
from registries.counts import unit_figures
from registries.models import CollectiveAgreement, UnionHome
from tests.factories import DistrictFactory, GrassrootsFactory, PeriodFactory, ReportFactory, UnitFactory
from units.models import Ownership

YEARS = (2021, 2022, 2023, 2024)


def test_every_figure_agrees_with_the_report(program):
    province = UnitFactory(code="P")
    district = DistrictFactory(parent=province)
    union = GrassrootsFactory(parent=district, ownership=Ownership.NON_STATE, workers=400)
    school = GrassrootsFactory(parent=district)
    periods = {year: PeriodFactory(year=year) for year in YEARS}
    answers = {  # signed, class, more favourable, houses, initiatives
        2021: (True, "C", False, 1, 4), 2022: (True, "C", False, 0, 0), 2023: (True, "B", True, 2, 7),
        2024: (False, None, False, 0, 3)}
    for year, (signed, quality, favourable, homes, initiatives) in answers.items():
        ReportFactory(period=periods[year], unit=union, values={
            "cba_signed": signed, "cba_quality_class": quality, "cba_more_favourable": favourable,
            "union_homes": homes, "initiatives": initiatives})
        ReportFactory(period=periods[year], unit=school, values={"cba_signed": False, "union_homes": 0,
                                                                 "initiatives": 1})
        ReportFactory(period=periods[year], unit=district, values={"labour_disputes": year - 2021,
                                                                   "disputes_with_union": max(0, year - 2022)})
    made = create_demo_registries(seed=1, today=datetime.date(2026, 12, 2))
    assert made["agreements"] == 2  # 2021–2022 class C, 2023 class B more favourable; none in force at the end of 2024
    assert create_demo_registries(seed=1) == {}  # once
    codes = ["cba_signed", "cba_quality_class", "cba_more_favourable", "union_homes", "initiatives",
             "labour_disputes", "disputes_with_union"]
    values = reported()
    for unit in (union, school, district):
        for year in YEARS:
            figures = unit_figures(unit, periods[year], codes)
            for code, value in values[unit.pk][year].items():
                expected = bool(value) if code in ("cba_signed", "cba_more_favourable") else value
                assert (unit.code, year, code, figures[code].value) == (unit.code, year, code, expected)
    assert all(120_000_000 <= h.cost <= 180_000_000 and 50_000_000 <= h.union_support <= 60_000_000
               for h in UnionHome.objects.all())
    assert CollectiveAgreement.objects.get(classed_year=2023).expires_on == datetime.date(2023, 12, 31)
