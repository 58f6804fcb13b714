"""do_record_task_progress: one transaction with its audit entry; the permission stays in the view."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import PASSWORD, login
from audit.models import AuditEntry, AuditEntryManager
from programs.actions import do_record_task_progress
from programs.models import Department, Task, TaskProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    user = User(username="bantochuc", unit=world.province, role=Role.REPORTER, department=Department.ORGANISATION)
    user.set_password(PASSWORD)
    user.save()
    return user


def entries_for(model) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)))


def test_a_progress_note_is_recorded_with_its_audit_entry(client, program, staff):
    task = Task.objects.filter(program=program).first()
    login(client, staff)
    response = client.post(reverse("programs:task_progress", args=[program.code, task.code]),
                           {"status": "in_progress", "on_date": "2022-03-01", "note": "Đã họp"})
    assert response.status_code == 302
    note = TaskProgress.objects.get()
    assert note.department == Department.ORGANISATION and note.recorded_by == staff and note.note == "Đã họp"
    [entry] = entries_for(TaskProgress)
    assert entry.object_id == note.pk and entry.actor == staff and entry.action == AuditEntry.Action.CREATE


def test_no_note_without_its_audit_entry(program, staff, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(AuditEntryManager, "log_create", refuse)
    task = Task.objects.filter(program=program).first()
    with pytest.raises(RuntimeError):
        do_record_task_progress(task, TaskProgress.Status.DONE, datetime.date(2022, 3, 1), "", staff)
    assert not TaskProgress.objects.exists()


def test_the_view_refuses_who_does_not_follow_tasks(client, world, program):
    task = Task.objects.filter(program=program).first()
    login(client, world.reporter)
    response = client.post(reverse("programs:task_progress", args=[program.code, task.code]),
                           {"status": "done", "on_date": "2022-03-01", "note": ""})
    assert response.status_code == 403 and not TaskProgress.objects.exists() and not entries_for(TaskProgress)
