"""`make run` loads units, demo data and accounts; running it again must change nothing; and
with DEBUG off (a production server) the demo commands refuse to run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role, User
from exports.models import Narrative
from programs.models import ProgramRevision, Target
from reporting.models import Report
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def development_machine(settings):
    """The demo runs only with DEBUG on (accounts/demo.py); pytest-django turns it off."""
    settings.DEBUG = True


def snapshot() -> dict:
    return {
        "units": sorted(Unit.objects.values_list("code", "path", "name", "workers", "members")),
        "users": sorted(User.objects.values_list("username", "unit__code", "role")),
        "targets": sorted(Target.objects.values_list("program__code", "code", "value")),
        "program_revisions": ProgramRevision.objects.count(),
        "reports": sorted(Report.objects.values_list("period__year", "unit__code", "status")),
        "narratives": sorted(Narrative.objects.values_list("unit__code", "kind", "year")),
    }


@pytest.mark.parametrize("command", ["setup_demo", "demo_accounts"])
def test_the_demo_commands_refuse_to_run_with_debug_off(world, command):
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command(command, stdout=StringIO())
    assert not User.objects.filter(username__in=["tinh", "cdcs"]).exists()


def test_setup_demo_is_idempotent(development_machine):
    first_output = StringIO()
    call_command("setup_demo", grassroots=120, seed=7, stdout=first_output)
    first = snapshot()
    second_output = StringIO()
    call_command("setup_demo", grassroots=120, seed=7, stdout=second_output)

    assert snapshot() == first
    assert "grassroots unions: 0 created" in second_output.getvalue()
    assert "units: 0 created, 0 updated, 0 moved" in second_output.getvalue()
    assert "program an-giang-xi-2020-2025: unchanged (22 targets, 39 tasks)" in second_output.getvalue()
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert len(first["narratives"]) == 5 and len(first["reports"]) > 120


def test_setup_demo_loads_an_giang_and_the_demo_logins(development_machine):
    call_command("setup_demo", grassroots=120, seed=7, stdout=StringIO())

    province = Unit.objects.get(code="AG")
    assert province.name == "Liên đoàn Lao động tỉnh An Giang"
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 11
    assert set(Unit.objects.exclude(kind__in=[UnitKind.DISTRICT, UnitKind.GRASSROOTS, UnitKind.PROVINCE])
               .values_list("kind", flat=True)) == {UnitKind.SECTOR, UnitKind.INDUSTRIAL_ZONE}
    direct = Unit.objects.get_children(province).filter(kind=UnitKind.GRASSROOTS)
    assert direct.exists(), "grassroots unions directly under the province"
    assert Unit.objects.grassroots().count() == 120 + direct.filter(code__startswith="AG.TT.").count()
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {"tinh": Role.PROVINCE_ADMIN, "thuongvu": Role.VIEWER, "longxuyen": Role.APPROVER,
                     "cdcs": Role.REPORTER}
    reporter = User.objects.get(username="cdcs")
    assert reporter.unit.kind == UnitKind.GRASSROOTS
    assert Unit.objects.get_parent(reporter.unit).code == "AG.883"
