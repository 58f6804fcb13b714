"""Every entry names who acted — a person, or a command and the operating-system user who
ran it — and the trail page speaks Vietnamese: field labels, values, dates, kinds of record."""

import datetime
import getpass
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command, get_commands
from django.urls import reverse
from django.utils import timezone, translation

from accounts.testing import login
from audit import trail
from audit.commands import RecordedCommand
from audit.forms import KINDS, kind_choices
from audit.models import RUNNING_COMMAND, AuditEntry
from audit.registration import FOLLOWED
from programs.models import Program, TaskProgress

pytestmark = pytest.mark.django_db
URL = reverse("audit:trail")
# Commands of this project that only read (or write files): the rest change data and must
# name themselves in the trail.
# program_schema writes the JSON Schema file beside the program files, no database row.
READ_ONLY_COMMANDS = {"backup", "check_program", "show_program", "indicators", "make_report", "import_program",
                      "program_schema"}


def row_of(response, instance) -> dict:
    return next(row for row in response.context["rows"]
                if row["entry"].object_pk == str(instance.pk)
                and row["entry"].content_type.model == instance._meta.model_name)


def test_a_task_note_written_on_the_web_names_its_author_with_vietnamese_labels_and_local_time(
        client, world, program):
    login(client, world.admin)
    client.post(reverse("programs:task_progress", args=[program.code, "task_II_2_5_02"]),
                {"status": "in_progress", "on_date": "15/03/2024", "note": "Đã thành lập 12 CĐCS mới."})
    note = TaskProgress.objects.get()
    entry = AuditEntry.objects.get(content_type__model="taskprogress", object_pk=str(note.pk))
    assert entry.actor == world.admin and entry.actor_name == "admin"

    response = client.get(URL, {"kind": "programs.taskprogress"})
    row = row_of(response, note)
    assert row["who"] == "admin"
    assert row["kind"] == "Ghi nhận tiến độ nhiệm vụ"
    changes = {change.field: change.after for change in row["changes"]}
    local = timezone.localtime(note.recorded_at)
    assert local.utcoffset() == datetime.timedelta(hours=7)
    assert changes["ghi nhận lúc"] == local.strftime("%d/%m/%Y %H:%M")
    assert changes["ngày"] == "15/03/2024"
    assert changes["tình trạng"] == "đang thực hiện"
    assert changes["nhiệm vụ"] == "task_II_2_5_02"
    assert changes["người ghi nhận"] == "admin"
    assert changes["mã số"] == note.pk
    body = response.content.decode()
    assert "hệ thống" not in body and "recorded at" not in body


def test_a_person_with_a_name_is_shown_by_name_and_username(client, world):
    world.admin.first_name, world.admin.last_name = "Lan", "Nguyễn Thị"
    world.admin.save()
    trail.record(world.school, {"phone": ["", "0296 3852 123"]}, actor=world.admin)
    login(client, world.admin)
    assert row_of(client.get(URL), world.school)["who"] == "Lan Nguyễn Thị (admin)"


def test_every_label_the_trail_can_show_is_vietnamese():
    """Each field auditlog records, and each kind of record in the filter, reads differently
    in Vietnamese than its English source string: no verbose name left untranslated (or
    left out, so that Django made one of the field's English name)."""
    untranslated = []
    for label in KINDS:
        model = apps.get_model(label)
        excluded = set(FOLLOWED.get(label, {}).get("exclude_fields", []))
        names = [model._meta.verbose_name] + [
            field.verbose_name for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in excluded]
        for name in names:
            with translation.override(None):  # the source string (English)
                english = str(name)
            with translation.override("vi"):
                if str(name) == english:
                    untranslated.append(f"{label}: {english}")
    assert untranslated == []
    with translation.override("vi"):
        kinds = dict(kind_choices())
    assert kinds["plans.implementationplan"] == "Kế hoạch thực hiện"
    assert kinds["programs.target"] == "Chỉ tiêu"


def test_a_command_names_itself_and_the_operating_system_user(world, no_program):
    call_command("load_program", stdout=open("/dev/null", "w"))  # noqa: SIM115
    program = Program.objects.get()
    entry = AuditEntry.objects.get(content_type__model="program", object_pk=str(program.pk))
    assert entry.actor is None
    assert entry.actor_name == f"manage.py load_program ({getpass.getuser()})"
    assert RUNNING_COMMAND.get() == ""  # and forgets it once done


def test_a_change_that_names_its_person_keeps_the_person_inside_a_command(world):
    token = RUNNING_COMMAND.set("manage.py demo_reports (root)")
    try:
        by_person = trail.record(world.school, {"phone": ["", "1"]}, actor=world.approver)
        by_nobody = trail.record(world.school, {"phone": ["1", "2"]})
    finally:
        RUNNING_COMMAND.reset(token)
    assert by_person.actor_name == "approver"
    assert by_nobody.actor_name == "manage.py demo_reports (root)"


def test_bulk_written_history_is_named_too(world):
    entry = trail.unsaved(world.school, {"phone": ["", "1"]}, at=timezone.now(), actor=world.reporter)
    AuditEntry.objects.bulk_create([entry])
    assert AuditEntry.objects.latest("id").actor_name == "reporter"


def project_commands() -> dict[str, type]:
    root = Path(__file__).resolve().parents[2]
    commands = {}
    for name, app in get_commands().items():
        module_path = Path(importlib.import_module(app).__file__).parent if app != "django.core" else None
        if module_path is None or root not in module_path.parents or ".venv" in module_path.parts:
            continue
        commands[name] = importlib.import_module(f"{app}.management.commands.{name}").Command
    return commands


def test_every_command_that_changes_data_names_itself():
    commands = project_commands()
    assert {"load_program", "setup_demo", "restore", "backup"} <= set(commands)
    assert set(commands) >= READ_ONLY_COMMANDS
    unnamed = sorted(name for name, command in commands.items()
                     if name not in READ_ONLY_COMMANDS and not issubclass(command, RecordedCommand))
    assert unnamed == []


def test_the_list_of_command_modules_is_what_django_sees():
    """No command file hides from the check above (e.g. an app missing from INSTALLED_APPS)."""
    root = Path(__file__).resolve().parents[2]
    on_disk = {info.name for folder in root.glob("*/management/commands") for info in pkgutil.iter_modules([folder])}
    assert on_disk == set(project_commands())
