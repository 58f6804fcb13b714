"""do_save_narrative: one transaction with its audit entry, and a save based on an older copy
refused (the last save no longer silently wins); the permission stays in the view."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.testing import login
from audit.models import AuditEntry, AuditEntryManager
from exports.actions import StaleNarrative, do_save_narrative
from exports.models import Kind, Narrative

pytestmark = pytest.mark.django_db
URL = reverse("exports:narratives", args=["AG.883", "yearly_review", 2024])


def form(achievements: str, version) -> dict:
    return {"achievements": achievements, "shortcomings": "", "causes": "", "directions": "", "number": "",
            "issued_on": "", "signer_on_behalf": "TM. BAN THƯỜNG VỤ", "signer_title": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn B", "recipients": "Lưu: VT", "version": version}


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Narrative)))


def test_a_save_based_on_an_older_copy_is_refused(client, world, reported):
    login(client, world.approver)
    assert client.post(URL, form("Bản đầu tiên.", 0)).status_code == 302
    read = Narrative.objects.get().version  # two people open the page now
    assert client.post(URL, form("Bản của người thứ nhất.", read)).status_code == 302

    second = client.post(URL, form("Bản của người thứ hai.", read))
    assert second.status_code == 400
    page = second.content.decode()
    assert "đã lưu phần nhận định này lúc" in page and "Nội dung của bạn chưa được lưu" in page
    assert "Bản của người thứ hai." in page  # their text is still in the form
    assert f'name="version" value="{read + 1}"' in page  # saving again is a deliberate overwrite
    saved = Narrative.objects.get()
    assert saved.achievements == "Bản của người thứ nhất." and saved.version == read + 1
    assert len(entries()) == 2  # the first save and the second, not the refused one


def test_two_first_saves_of_the_same_document_let_one_through(world, reported, program):
    def fresh(text):
        return Narrative(program=program, unit=world.long_xuyen, kind=Kind.YEARLY_REVIEW, year=2024, achievements=text)

    do_save_narrative(fresh("Người thứ nhất."), None, world.approver)
    with pytest.raises(StaleNarrative) as refused:
        do_save_narrative(fresh("Người thứ hai."), None, world.admin)
    assert refused.value.current.updated_by == world.approver
    assert Narrative.objects.get().achievements == "Người thứ nhất."


def test_no_narrative_without_its_audit_entry(world, reported, program, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(AuditEntryManager, "log_create", refuse)
    narrative = Narrative(program=program, unit=world.long_xuyen, kind=Kind.YEARLY_REVIEW, year=2024, achievements="x")
    with pytest.raises(RuntimeError):
        do_save_narrative(narrative, None, world.approver)
    assert not Narrative.objects.exists()


def test_the_view_refuses_who_may_not_write(client, world, reported):
    login(client, world.viewer)
    assert client.post(URL, form("Không được phép.", 0)).status_code == 403
    assert not Narrative.objects.exists() and not entries()
