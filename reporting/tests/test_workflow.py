"""A report's life through HTTP: draft, submit, approve or return, reopen, lock — and who may."""

import pytest
from django.urls import reverse

from accounts.testing import login
from reporting.actions import do_close_period
from reporting.models import Period, Report
from reporting.testing import GOOD_GRASSROOTS, entry_url, form_data, report_of, report_steps

pytestmark = pytest.mark.django_db











def submit_school(client, world, period, values=None):
    login(client, world.reporter)
    return client.post(entry_url(period, "AG.883.00001"), form_data(values or GOOD_GRASSROOTS, submit="1"))


def test_a_grassroots_officer_saves_a_draft_then_submits(client, world, period):
    login(client, world.reporter)
    response = client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40, "members": 38}, save="1"))
    assert response.status_code == 302
    report = report_of(period, world.school)
    assert report.status == Report.Status.DRAFT

    response = client.post(entry_url(period, "AG.883.00001"), form_data(GOOD_GRASSROOTS, version=1, submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.submitted_at is not None
    assert [e.event for e in report_steps(report)] == ["saved", "saved", "submitted"]


def test_the_district_approves_its_grassroots_report(client, world, period):
    submit_school(client, world, period)
    report = report_of(period, world.school)
    login(client, world.approver)
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert "Duyệt" in body

    response = client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report_steps(report).last().event == Report.Step.APPROVED
    assert report_steps(report).last().actor == world.approver


def test_returning_needs_a_comment_and_reopens_the_draft(client, world, period):
    submit_school(client, world, period)
    report = report_of(period, world.school)
    login(client, world.approver)
    client.post(reverse("reporting:return", args=[report.id]), {"version": report.version, "comment": ""})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED, "no comment, no return"

    client.post(reverse("reporting:return", args=[report.id]),
                {"version": report.version, "comment": "Số sáng kiến cần kiểm tra lại."})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    login(client, world.reporter)
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert "Số sáng kiến cần kiểm tra lại." in body
    assert 'name="submit"' in body


@pytest.mark.parametrize("username", ["reporter", "sibling_reporter", "viewer", "sector_viewer", "approver_cd"])
def test_only_the_parent_unit_or_the_province_approves(client, world, period, username):
    submit_school(client, world, period)
    report = report_of(period, world.school)
    login(client, getattr(world, username))
    response = client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_an_approver_does_not_approve_its_own_units_report(client, world, period):
    login(client, world.approver)
    client.post(entry_url(period, "AG.883"), form_data({"labour_disputes": 1, "disputes_with_union": 1,
                                                        "enterprises_20plus": 10, "enterprises_20plus_with_union": 9,
                                                        "resolution_disseminated": True,
                                                        "implementation_plan_built": True,
                                                        "authority_dialogue_proposed": True,
                                                        "creative_model_applied": True, "effective_model": True},
                                                       submit="1"))
    report = report_of(period, world.long_xuyen)
    assert report.status == Report.Status.SUBMITTED
    assert client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version}).status_code == 403
    login(client, world.admin)
    client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_a_grassroots_user_cannot_see_or_edit_a_siblings_report(client, world, period):
    login(client, world.sibling_reporter)
    assert client.get(entry_url(period, "AG.883.00001")).status_code == 404
    response = client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 1}, save="1"))
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_a_viewer_sees_but_cannot_save(client, world, period):
    submit_school(client, world, period)
    login(client, world.viewer)
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert 'name="save"' not in body and "Duyệt" not in body
    assert client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 1}, save="1")).status_code == 403


def test_an_error_blocks_submission_but_the_draft_is_kept(client, world, period):
    response = submit_school(client, world, period, {**GOOD_GRASSROOTS, "members": 41})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số đoàn viên không được lớn hơn số người lao động." in body
    report = report_of(period, world.school)
    assert report.status == Report.Status.DRAFT
    assert report.values.get(element__code="members").number == 41


def test_a_warning_needs_an_explanation_to_submit(client, world, period):
    response = submit_school(client, world, period, {**GOOD_GRASSROOTS, "initiatives": 45})
    assert response.status_code == 400
    assert "vui lòng ghi chú giải thích" in response.content.decode()
    report = report_of(period, world.school)
    data = form_data({**GOOD_GRASSROOTS, "initiatives": 45}, version=report.version, submit="1")
    data["initiatives__comment"] = "Mỗi giáo viên có 1 sáng kiến, cộng thêm sáng kiến của tổ."
    client.post(entry_url(period, "AG.883.00001"), data)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(element__code="initiatives").comment.startswith("Mỗi giáo viên")


def test_a_type_error_saves_nothing(client, world, period):
    login(client, world.reporter)
    response = client.post(entry_url(period, "AG.883.00001"), form_data({"workers": "bốn mươi", "members": 3},
                                                                         save="1"))
    assert response.status_code == 400
    assert not Report.objects.filter(period=period, unit=world.school).exclude(values=None).exists()


def test_the_second_of_two_editors_is_refused_and_told_who_changed_it(client, world, period, django_user_model):
    login(client, world.reporter)
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40}, save="1"))
    # Both the reporter and the district approver open the form at version 1.
    login(client, world.approver)
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 41}, version=1, save="1"))
    login(client, world.reporter)
    response = client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 42}, version=1, save="1"))

    assert response.status_code == 409
    body = response.content.decode()
    assert "approver đã thay đổi báo cáo này lúc" in body
    report = report_of(period, world.school)
    assert report.values.get(element__code="workers").number == 41


def test_saving_the_same_values_again_changes_nothing(client, world, period):
    login(client, world.reporter)
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40}, save="1"))
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40}, version=1, save="1"))
    report = report_of(period, world.school)
    assert report.version == 1
    assert report_steps(report).count() == 1


def test_the_province_reopens_an_approved_report_for_a_late_fix(client, world, period):
    submit_school(client, world, period)
    report = report_of(period, world.school)
    login(client, world.approver)
    client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    report.refresh_from_db()
    do_close_period(period, world.admin)
    report.refresh_from_db()
    assert report.status == Report.Status.LOCKED

    login(client, world.approver)
    assert client.post(reverse("reporting:reopen", args=[report.id]),
                       {"version": report.version, "comment": "x"}).status_code == 403
    login(client, world.admin)
    client.post(reverse("reporting:reopen", args=[report.id]),
                {"version": report.version, "comment": "Sửa số đoàn viên theo danh sách mới."})
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.is_editable, "editable although the period is closed"

    login(client, world.reporter)
    client.post(entry_url(period, "AG.883.00001"),
                form_data({**GOOD_GRASSROOTS, "members": 39}, version=report.version, submit="1"))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    correction = report_steps(report).filter(additional_data__event="saved").last()
    assert correction.changes == {"members": [38, 39]}
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert "<del>38</del> → <ins>39</ins>" in body
    assert "Sửa số đoàn viên theo danh sách mới." in body


def test_a_closed_period_takes_no_more_drafts(client, world, period):
    login(client, world.reporter)
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40}, save="1"))
    do_close_period(period, world.admin)
    response = client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 41}, version=1, save="1"))
    assert response.status_code == 302
    assert report_of(period, world.school).values.get(element__code="workers").number == 40


def test_last_periods_value_is_shown_beside_the_field(client, world, period, last_period):
    login(client, world.reporter)
    client.post(entry_url(last_period, "AG.883.00001"), form_data({"workers": 1234}, save="1"))
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert "năm 2023:" in body.lower()
    assert "1.234" in body


def test_the_province_opens_and_closes_periods_others_cannot(client, world, program):
    login(client, world.approver)
    assert client.post(reverse("reporting:periods"), {"kind": "year", "year": 2025, "half": 0,
                                                      "due_on": "2026-01-15"}).status_code == 403
    login(client, world.admin)
    client.post(reverse("reporting:periods"), {"kind": "year", "year": 2025, "half": 0, "due_on": "2026-01-15"})
    period = Period.objects.get(year=2025)
    assert period.is_open and (period.starts_on.isoformat(), period.ends_on.isoformat()) == ("2025-01-01",
                                                                                             "2025-12-31")
    client.post(reverse("reporting:period_close", args=[period.id]))
    period.refresh_from_db()
    assert not period.is_open
