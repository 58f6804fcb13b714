"""`make run` loads units, demo data and accounts; running it again must change nothing; and
with DEBUG off (a production server) the demo commands refuse to run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Role, User
from exports.models import Narrative
from programs.models import ProgramRevision, Target, TaskProgress
from reporting.models import Report
from tests.scoped_data import kept_for_the_scope
from units.models import Reorganisation, Succession, Unit, UnitKind, UnitLink

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (five loads took most of the suite's time on
    PostgreSQL), rolled back after its last test (tests/scoped_data.py); each test reads it in a
    savepoint of its own. The demo runs only with DEBUG on (accounts/demo.py), which pytest-django
    turns off."""
    with kept_for_the_scope(django_db_blocker), override_settings(DEBUG=True):
        output = StringIO()
        call_command("setup_demo", grassroots=120, seed=7, stdout=output)
        yield output.getvalue()


@pytest.fixture
def development_machine(db, demo_output, settings):
    settings.DEBUG = True
    return demo_output


def snapshot() -> dict:
    return {
        "units": sorted(Unit.objects.values_list("code", "path", "name", "workers", "members", "valid_to")),
        "links": sorted(UnitLink.objects.values_list("unit__code", "parent__code", "valid_from", "valid_to")),
        "successions": Succession.objects.count(),
        "batches": sorted(Reorganisation.objects.values_list("code", flat=True)),
        "users": sorted(User.objects.values_list("username", "unit__code", "role")),
        "targets": sorted(Target.objects.values_list("program__code", "code", "value")),
        "program_revisions": ProgramRevision.objects.count(),
        "reports": sorted(Report.objects.values_list("period__year", "unit__code", "status")),
        "narratives": sorted(Narrative.objects.values_list("unit__code", "kind", "year")),
        "task_notes": sorted(TaskProgress.objects.values_list("task__code", "status", "on_date", "note")),
    }


def test_setup_demo_is_idempotent(development_machine):
    first_output = development_machine
    first = snapshot()
    second_output = StringIO()
    call_command("setup_demo", grassroots=120, seed=7, stdout=second_output)

    assert snapshot() == first
    assert "batch 2025-07-hop-nhat: 102 units created" in first_output
    assert "hierarchy: batch 2025-07-hop-nhat applied on" in second_output.getvalue()
    assert "units: " not in second_output.getvalue() and "grassroots unions:" not in second_output.getvalue()
    assert first["batches"] == ["2025-07-hop-nhat"]
    assert "program an-giang-xi-2020-2025: unchanged (22 targets, 39 tasks)" in second_output.getvalue()
    assert "program an-giang-2025-2030: unchanged" in second_output.getvalue()
    assert "program an-giang-xi-2020-2025: closed on 31/03/2026" in first_output
    assert "closed on" not in second_output.getvalue()
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert len(first["narratives"]) == 5 and len(first["reports"]) > 120
    assert len(first["task_notes"]) > 39
    assert "demo task notes, an-giang-2025-2030: 0 written" in second_output.getvalue()


def test_setup_demo_loads_both_provinces_the_2025_batch_and_the_demo_logins(development_machine):

    province = Unit.objects.get(code="AG")
    assert province.name == "Liên đoàn Lao động tỉnh An Giang"
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT)
    assert districts.count() == 11 + 15 and not districts.filter(valid_to__isnull=True).exists()
    assert Unit.objects.get(code="KG").valid_to.isoformat() == "2025-06-30"
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).count() == 102
    open_kinds = set(Unit.objects.filter(valid_to__isnull=True).values_list("kind", flat=True))
    assert open_kinds == {UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.INDUSTRIAL_ZONE, UnitKind.GRASSROOTS}
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {"tinh": Role.PROVINCE_ADMIN, "thuongvu": Role.VIEWER, "longxuyen": Role.APPROVER,
                     "phuonglx": Role.APPROVER, "cdcs": Role.REPORTER}
    assert User.objects.get(username="longxuyen").unit.valid_to is not None  # read-only from 1 July 2025
    reporter = User.objects.get(username="cdcs")
    assert reporter.unit.kind == UnitKind.GRASSROOTS and reporter.unit.valid_to is None
    assert Unit.objects.get_parent(reporter.unit).code == "AG.CX.30307"
    assert User.objects.get(username="phuonglx").unit.code == "AG.CX.30307"


def test_the_2025_reports_follow_todays_tree(development_machine):
    """2025's reports are made by the units that count in 2025 (the view rule): the commune
    unions and the grassroots unions open at its end, none by a closed district federation;
    2024's by the old tree."""

    reporters_2025 = Report.objects.filter(period__year=2025).values_list("unit__kind", flat=True)
    assert UnitKind.COMMUNE in set(reporters_2025) and UnitKind.DISTRICT not in set(reporters_2025)
    assert not Report.objects.filter(period__year=2025, unit__valid_to__lt="2025-12-31").exists()
    assert Report.objects.filter(period__year=2024, unit__kind=UnitKind.DISTRICT).exists()
    assert not Report.objects.filter(period__year=2024, unit__kind=UnitKind.COMMUNE).exists()


def test_the_ward_union_login_sees_its_grassroots_unions_2025_reports_and_their_history(development_machine,
                                                                                        client):
    """The issue's done condition: logged in as the ward union (phuonglx), the grassroots unions
    it took over are on its completeness page for 2025, and their reports of before the move
    (2021–2024, made under Long Xuyên's district federation) open for it."""
    from django.urls import reverse

    from accounts.permissions import is_read_only
    from reporting.models import Period

    ward = Unit.objects.get(code="AG.CX.30307")
    taken_over = list(Unit.objects.get_children(ward).grassroots())
    assert taken_over
    client.force_login(User.objects.get(username="phuonglx"))
    periods = {p.year: p for p in Period.objects.all()}

    page = client.get(reverse("reporting:completeness", args=[periods[2025].pk, ward.code]))
    assert page.status_code == 200
    assert all(unit.name in page.content.decode() for unit in taken_over)
    history = Report.objects.filter(unit__in=taken_over, period__year__lt=2025).select_related("unit", "period")
    assert {report.period.year for report in history} == {2021, 2022, 2023, 2024}
    for report in history:
        entry = client.get(reverse("reporting:entry", args=[report.period_id, report.unit.code]))
        assert entry.status_code == 200, (report.period.year, report.unit.code)
    assert ward.phone.startswith("0296 ") and ward.contact_name  # whom the form says to call
    assert is_read_only(User.objects.get(username="longxuyen"))
    assert not is_read_only(User.objects.get(username="phuonglx"))


def test_the_2020_2025_program_is_closed_and_the_2025_2030_one_reports_2026_on_the_new_tree(
        development_machine, client):
    """Issue #15's done condition: the old program closed (its periods closed, its reports
    locked, its 5-year review written), the new one in force with 2026 in progress on today's
    hierarchy (drafts, reports waiting at the ward union, one returned to the demo officer), and
    both programs' dashboards open."""
    from django.urls import reverse

    from programs.choice import in_force_for
    from programs.models import Program
    from reporting.models import Period

    old, new = Program.objects.get(code="an-giang-xi-2020-2025"), Program.objects.get(code="an-giang-2025-2030")
    assert (old.status, new.status, new.predecessor_id) == ("closed", "in_force", old.pk)
    assert old.closed_on.isoformat() == "2026-03-31"
    periods = {p.year: p for p in Period.objects.all()}
    assert sorted(periods) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert all(not periods[year].is_open for year in range(2021, 2026)) and periods[2026].is_open
    assert periods[2026].due_on.isoformat() == "2027-01-15"
    assert not Report.objects.filter(period__year__lte=2025, status__in=["submitted", "approved"]).exists()
    assert Narrative.objects.filter(program=old, kind="term_review", year=2025).exists()

    reports_2026 = Report.objects.filter(period__year=2026)
    assert not reports_2026.filter(unit__valid_to__isnull=False).exists()
    assert not reports_2026.filter(unit__kind=UnitKind.DISTRICT).exists()
    statuses = list(reports_2026.values_list("status", flat=True))
    assert statuses.count("draft") > statuses.count("submitted") > 0
    expected = Unit.objects.filter(valid_to__isnull=True).count()
    assert len(statuses) < expected / 2  # most units have not started yet
    cdcs, phuonglx = User.objects.get(username="cdcs"), User.objects.get(username="phuonglx")
    assert reports_2026.get(unit=cdcs.unit).status == "returned"
    # The ward union's other grassroots unions wait for its approval (none with 120 grassroots
    # unions in all: the full demo has several).
    from demo.management.commands.setup_demo import waiting_at_the_ward
    waiting = waiting_at_the_ward(cdcs.unit)
    assert reports_2026.filter(unit__code__in=waiting, status="submitted").count() == len(waiting)
    # The new program's own elements are filled in.
    from reporting.models import DataValue
    assert DataValue.objects.filter(report__period__year=2026, element__code="members_admitted").exists()

    assert in_force_for(cdcs.unit) == new
    client.force_login(phuonglx)
    for program in (new, old):
        page = client.get(reverse("dashboards:dashboard"), {"program": program.code})
        assert page.status_code == 200, program.code
        assert program.title in page.content.decode() or program.code in page.content.decode()
    assert "2021" in client.get(reverse("dashboards:dashboard"), {"program": old.code}).content.decode()
