"""The factories build what the app itself would: a sound tree, users who log in, the period
do_open_period opens, values stored as the entry form stores them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from reporting.actions import do_open_period, values_of
from reporting.models import Period, Report
from tests.factories import (
    PASSWORD,
    ApproverFactory,
    DistrictFactory,
    GrassrootsFactory,
    PeriodFactory,
    ReportFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_units_go_into_the_tree_as_treebeard_puts_them():
    province = UnitFactory(code="ZZ", name="Liên đoàn Lao động tỉnh thử")
    district = DistrictFactory(parent=province)
    schools = [GrassrootsFactory(parent=district), GrassrootsFactory(parent=district)]

    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert province.numchild == 1 and district.numchild == 2
    assert [u.pk for u in Unit.objects.get_children(district)] == [s.pk for s in schools]
    assert district.kind == UnitKind.DISTRICT and district.code.startswith("ZZ.")
    assert {s.kind for s in schools} == {UnitKind.GRASSROOTS}
    assert len({s.code for s in schools}) == 2 and all(s.code.startswith(district.code + ".") for s in schools)
    assert Unit.objects.subtree(province).count() == 4


def test_users_have_their_role_and_the_test_password():
    province = UnitFactory()
    approver = ApproverFactory(unit=province)
    reporter = UserFactory(unit=GrassrootsFactory(parent=province))

    assert approver.role == Role.APPROVER and reporter.role == Role.REPORTER
    approver.refresh_from_db()
    assert approver.check_password(PASSWORD)
    assert reporter.unit.kind == UnitKind.GRASSROOTS


def test_a_user_is_written_once():
    """One INSERT, the password already hashed in it: no read-back, no update (nor the audit entry of one)."""
    unit = UnitFactory()
    with CaptureQueriesContext(connection) as captured:
        user = UserFactory(unit=unit)
    writes = [query["sql"].split('"')[1] for query in captured.captured_queries
              if query["sql"].startswith(("INSERT", "UPDATE"))]
    assert writes == ["accounts_user", "audit_auditentry"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_a_period_is_the_one_do_open_period_opens(world, program):
    built = PeriodFactory(year=2022)
    opened = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)

    assert (built.starts_on, built.ends_on, built.due_on) == (
        datetime.date(2022, 1, 1), datetime.date(2022, 12, 31), datetime.date(2023, 1, 15))
    assert (opened.starts_on, opened.ends_on) == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert built.status == Period.Status.OPEN


def test_a_report_holds_its_values_as_the_app_reads_them(world, program):
    period = PeriodFactory()
    report = ReportFactory(period=period, unit=world.school, status=Report.Status.SUBMITTED,
                           sent_on=datetime.date(2025, 1, 10),
                           values={"workers": 40, "resolution_disseminated": True, "cba_quality_class": "B"})

    assert values_of(report) == {"workers": 40, "resolution_disseminated": True, "cba_quality_class": "B"}
    assert report.submitted_at.date() == datetime.date(2025, 1, 10)
    assert ReportFactory(period=period, unit=world.factory).values.count() == 0
