"""do_upload_plan: the plan, its file and its audit entry exist together or not at all; the
permission is the view's (accounts.permissions.can_edit_unit_data)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.testing import login
from audit.models import AuditEntry, AuditEntryManager
from plans.actions import do_upload_plan
from plans.models import ImplementationPlan
from plans.testing import PDF_BYTES, upload
from reporting.testing import stored_files

pytestmark = pytest.mark.django_db


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ImplementationPlan)))


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES, content_type="application/pdf")


def test_an_upload_is_recorded_in_the_audit_trail(world, program, media):
    response = upload(login(Client(), world.reporter), program, world.school.code, "ke-hoach.pdf", PDF_BYTES)
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get()
    [entry] = entries()
    assert entry.object_id == plan.pk and entry.action == AuditEntry.Action.CREATE and entry.actor == world.reporter
    assert entry.unit_path == world.school.path  # found when the trail is filtered by the school's subtree
    page = login(Client(), world.admin).get(reverse("audit:trail"), {"kind": "plans.implementationplan"})
    assert page.status_code == 200 and "ke-hoach.pdf" in page.content.decode()
    assert "Kế hoạch thực hiện" in page.content.decode()  # the kind of record, in Vietnamese


def test_no_plan_and_no_file_without_its_audit_entry(world, program, media, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(AuditEntryManager, "log_create", refuse)
    with pytest.raises(RuntimeError):
        do_upload_plan(program, world.school, pdf(), datetime.date(2021, 8, 1), "5/KH", world.reporter)
    assert not ImplementationPlan.objects.exists() and stored_files(media) == []


def test_the_view_refuses_who_may_not_enter_the_units_data(world, program, media):
    response = upload(login(Client(), world.viewer), program, world.school.code, "ke-hoach.pdf", PDF_BYTES)
    assert response.status_code == 403
    assert not ImplementationPlan.objects.exists() and not entries() and stored_files(media) == []
