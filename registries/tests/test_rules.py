"""A program's validation rule may compare a report's figure with the unit's registry count
(`union_homes <= registry.union_homes`): a finding when the figure breaks it, none otherwise, and
the counts read in the queries the registries' cross-check already makes (one set per report)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import login
from jobs.testing import run_jobs
from programs.definition import REGISTRY_COUNTS, check_program, parse_check
from programs.models import Program, ValidationRule
from programs.testing import VALID
from registries.counts import ELEMENT_KINDS
from registries.prefill import registry_values
from registries.testing import dispute, home, initiative
from reporting import actions
from reporting.elements import elements_for
from reporting.models import Report
from reporting.testing import (
    GOOD_GRASSROOTS,
    as_bytes,
    column_of,
    download,
    entry_url,
    fill,
    form_data,
    make_report,
    report_of,
    row_of,
    upload,
)
from units.loading import bulk_add_children
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
D = datetime.date
MESSAGE = "Số nhà Mái ấm báo cáo không được lớn hơn số nhà trong sổ theo dõi."
FACTORY = {**GOOD_GRASSROOTS, "workers": 1200, "members": 1000, "officers": 9, "cba_quality_class": "A",
           "employee_conference_held": True, "workplace_dialogue_held": True}


def add_rule(code: str, check: str, severity: str = "error", message: str = MESSAGE) -> None:
    """The rule in every program (a program file's `check`, as loaded)."""
    for program in Program.objects.all():
        ValidationRule.objects.create(program=program, code=code, severity=severity, message=message, rule=check,
                                      position=999)


@pytest.fixture
def rule(program):
    add_rule("homes_le_registry", "union_homes <= registry.union_homes")


@pytest.fixture
def houses(world, period, rule):
    """The factory's houses: two handed over in 2024, one in 2023 (not the period's); the
    school's one of 2024 is the school's, not the factory's. Counted by hand: 2 for the factory."""
    home(world.factory, D(2024, 3, 1), "Người Một")
    home(world.factory, D(2024, 11, 30), "Người Hai")
    home(world.factory, D(2023, 12, 31), "Người Trước")
    home(world.school, D(2024, 5, 5), "Người Trường")
    return period


def rule_findings(report):
    return [f for f in actions.findings_for(report, for_submission=False) if f.rule == "homes_le_registry"]


def test_the_definition_reads_a_registry_count():
    check = parse_check("union_homes <= registry.union_homes")
    assert (check.elements, check.registry_counts, check.shown_on) == (("union_homes",), ("union_homes",),
                                                                       "union_homes")
    flipped = parse_check("registry.initiatives >= creative_labour_medals")
    assert (flipped.elements, flipped.registry_counts, flipped.shown_on) == (
        ("creative_labour_medals",), ("initiatives",), "creative_labour_medals")
    with pytest.raises(ValueError, match="unknown registry count 'houses'"):
        parse_check("union_homes <= registry.houses")
    with pytest.raises(ValueError, match="one side must be a data element"):
        parse_check("registry.union_homes <= registry.initiatives")
    assert set(REGISTRY_COUNTS) == set(ELEMENT_KINDS)  # the program language names what the registries count


def test_a_program_file_may_write_the_rule(tmp_path):
    path = tmp_path / "program.yaml"
    path.write_text(VALID.replace('check: "members <= workers"', 'check: "members <= registry.union_homes"'))
    assert [str(p) for p in check_program(path)] == []
    path.write_text(VALID.replace('check: "members <= workers"', 'check: "members <= registry.homes"'))
    [problem] = [str(p) for p in check_program(path)]
    assert "validation rule members_le_workers.check: unknown registry count 'homes'" in problem


@pytest.mark.parametrize(("typed", "found"), [(3, 1), (2, 0), (1, 0)])
def test_a_figure_above_the_registry_count_is_a_finding(world, houses, typed, found):
    report = make_report(houses, world.factory, Report.Status.DRAFT, **{**FACTORY, "union_homes": typed})
    findings = rule_findings(Report.objects.get(pk=report.pk))
    assert [(f.element, f.message, f.severity) for f in findings] == [("union_homes", MESSAGE, "error")] * found


def test_a_unit_keeping_no_registry_is_not_checked(world, period, rule):
    initiative(world.school, 2024, "Của trường")  # the school keeps initiatives, no houses
    report = make_report(period, world.school, Report.Status.DRAFT, **{**GOOD_GRASSROOTS, "union_homes": 4})
    assert rule_findings(Report.objects.get(pk=report.pk)) == []
    home(world.school, D(2021, 6, 1))  # now it keeps them (a house of 2021): 0 houses in 2024
    assert len(rule_findings(Report.objects.get(pk=report.pk))) == 1


def test_a_rule_may_name_a_count_the_form_does_not_ask(world, period):
    """A grassroots union is not asked labour_disputes (an upper-level union's figure), yet a rule
    may compare with its registry count (a made-up rule: the mechanism only)."""
    add_rule("officers_ge_disputes", "officers >= registry.labour_disputes", "warning", "!")
    report = make_report(period, world.school, Report.Status.DRAFT, **GOOD_GRASSROOTS)  # 5 officers
    for n in range(6):  # counted by hand: 6 disputes started in 2024, one in 2023 not counted
        dispute(world.school, D(2024, 2 + n, 1), f"Công ty {n}")
    dispute(world.school, D(2023, 5, 1), "Công ty cũ")
    report = Report.objects.get(pk=report.pk)
    found = [f for f in actions.findings_for(report, for_submission=False) if f.rule == "officers_ge_disputes"]
    assert registry_values(report, elements_for(period, world.school))["labour_disputes"] == 6
    assert [f.element for f in found] == ["officers"]  # 5 < 6


def test_the_error_stops_the_submission(client, world, houses):
    login(client, world.approver)  # the factory has no officer: the district enters its report
    values = {**FACTORY, "union_homes": 3}
    response = client.post(entry_url(houses, world.factory.code), form_data(
        values, submit="1", union_homes__comment="Một căn chưa vào sổ"))
    assert response.status_code == 400
    fields = [f for f in response.context["fields"] if f["element"].code == "union_homes"][0]
    assert "homes_le_registry" in [f.rule for f in fields["findings"]]
    assert MESSAGE in response.content.decode()
    assert report_of(houses, world.factory).status == Report.Status.DRAFT
    response = client.post(entry_url(houses, world.factory.code), form_data(
        {**values, "union_homes": 2}, version=report_of(houses, world.factory).version, submit="1"))
    assert response.status_code == 302
    assert report_of(houses, world.factory).status == Report.Status.SUBMITTED


def test_a_spreadsheet_row_is_held_to_the_rule(client, world, houses):
    login(client, world.approver)
    workbook = download(client, houses)
    fill(workbook, world.factory.code, {**FACTORY, "union_homes": 3})
    response = upload(client, houses, as_bytes(workbook), submit=True)
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [(e.row, e.column, e.message) for e in errors if e.message == MESSAGE] == [
        (row_of(workbook, world.factory.code), column_of(workbook, "union_homes"), MESSAGE)]
    assert not Report.objects.filter(unit=world.factory).exists()
    fill(workbook, world.factory.code, {"union_homes": 2})  # the registry's 2 houses
    result = upload(client, houses, as_bytes(workbook), submit=True).context["result"]
    assert result.ok and result.submitted == [world.factory]


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_the_queries_stay_the_same_for_3_and_30_registry_records_and_units(client, world, houses):
    """The entry page, the submission and the target page with the registry rule: the same number
    of queries with 3 grassroots unions' records under the district as with 30."""
    period = houses
    login(client, world.approver)
    factory = make_report(period, world.factory, Report.Status.DRAFT, **{**FACTORY, "union_homes": 2})

    def costs() -> tuple[int, int, int]:
        entry = _queries(lambda: client.get(entry_url(period, world.factory.code)))
        report = Report.objects.get(pk=factory.pk)
        submission = _queries(lambda: actions.do_submit(report, world.approver, report.version))
        Report.objects.filter(pk=factory.pk).update(status=Report.Status.DRAFT)  # back, for the next round
        run_jobs()  # the recount it queued (a mark still waiting would spare the next one its job)
        target = _queries(lambda: client.get(reverse("dashboards:target", args=["T15"]),
                                             {"unit": world.long_xuyen.code, "year": 2024}))
        return entry, submission, target

    def add_unions(first: int, how_many: int) -> None:
        codes = [f"AG.883.{n:05d}" for n in range(first, first + how_many)]
        bulk_add_children(world.long_xuyen, [Unit(code=code, name=f"CĐCS {code}", kind=UnitKind.GRASSROOTS,
                                                   ownership="non_state", workers=50, members=40) for code in codes])
        for n, unit in enumerate(Unit.objects.filter(code__in=codes)):
            home(unit, D(2024, 1 + n % 12, 1), f"Người {n}")
            initiative(unit, 2024, f"Sáng kiến {n}")

    costs()  # a warm-up: the process's first request reads the content types (then cached)
    add_unions(100, 3)
    few = costs()
    add_unions(200, 27)
    many = costs()
    assert Unit.objects.filter(code__startswith="AG.883.00", kind=UnitKind.GRASSROOTS).count() == 32
    assert few == many, f"3 unions' records: {few} queries; 30: {many}"


def test_a_spreadsheet_row_that_differs_from_the_registry_waits_for_its_note(client, world, houses):
    """The registries' cross-check reaches the spreadsheet too (registries.prefill.sheet_checks,
    all rows' registries in one read): 1 house typed where the registry holds 2 (within the rule)
    is a warning, so the row is not sent until its note explains it."""
    login(client, world.approver)
    workbook = download(client, houses)
    fill(workbook, world.factory.code, {**FACTORY, "union_homes": 1})
    result = upload(client, houses, as_bytes(workbook), submit=True).context["result"]
    assert world.factory not in result.submitted
    assert not Report.objects.filter(unit=world.factory, status=Report.Status.SUBMITTED).exists()
    fill(workbook, world.factory.code, {"union_homes": 1}, note="Một nhà bàn giao đầu năm sau.")
    result = upload(client, houses, as_bytes(workbook), submit=True).context["result"]
    assert result.ok and result.submitted == [world.factory]
