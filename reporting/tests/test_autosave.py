"""The report form's autosave: a personal draft kept as the officer types, laid over the form
when they come back, dropped when the report moved on, deleted when the report is saved."""

import pytest
from django.urls import reverse

from accounts.testing import login
from reporting.models import Report, ReportDraft
from reporting.testing import entry_url, form_data, report_of

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"


def autosave_url(period):
    return reverse("reporting:autosave", args=[period.id, SCHOOL])


def test_typed_values_are_kept_and_shown_again_without_touching_the_report(client, world, period):
    login(client, world.reporter)
    response = client.post(autosave_url(period), form_data({"workers": 41, "members__comment": "mới"}))
    assert response.status_code == 200 and response.json()["saved_at"]
    draft = ReportDraft.objects.get(period=period, unit=world.school, user=world.reporter)
    assert draft.data == {"workers": "41", "members__comment": "mới"} and draft.base_version == 0
    assert not Report.objects.filter(period=period, unit=world.school).exists()  # no report, no version, no step

    body = client.get(entry_url(period, SCHOOL)).content.decode()
    assert 'name="workers" value="41"' in body
    assert "Đã khôi phục bản nháp tự động" in body and "Đã lưu nháp lúc" in body


def test_saving_the_report_deletes_the_draft_and_a_draft_over_an_older_version_is_dropped(client, world, period):
    login(client, world.reporter)
    client.post(autosave_url(period), form_data({"workers": 41}))
    client.post(entry_url(period, SCHOOL), form_data({"workers": 40}, save="1"))
    assert report_of(period, world.school).values.get(element__code="workers").number == 40
    assert not ReportDraft.objects.exists()

    client.post(autosave_url(period), form_data({"workers": 42}, version=1))
    Report.objects.filter(period=period, unit=world.school).update(version=2)  # someone saved since
    body = client.get(entry_url(period, SCHOOL)).content.decode()
    assert 'name="workers" value="40"' in body and "bản nháp tự động" not in body
    assert not ReportDraft.objects.exists()
    assert client.post(autosave_url(period), form_data({"workers": 42}, version=1)).status_code == 409


def test_a_sent_report_and_a_viewer_keep_no_draft(client, world, period):
    login(client, world.reporter)
    client.post(entry_url(period, SCHOOL), form_data({"workers": 40}, save="1"))
    Report.objects.filter(period=period, unit=world.school).update(status=Report.Status.SUBMITTED)
    assert client.post(autosave_url(period), form_data({"workers": 1}, version=1)).status_code == 409
    login(client, world.viewer)
    assert client.post(autosave_url(period), form_data({"workers": 1}, version=1)).status_code in (403, 404)
    assert not ReportDraft.objects.exists()
