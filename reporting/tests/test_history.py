"""One trail per fact: every step of a report is one audit entry, and the report's history (its
page, the second-person rule of approval, the message refusing a stale write) reads those
entries. Nothing else records a step.

The helpers here read the audit table directly (not reporting.history), so that these tests
say the same thing about any version of the code.
"""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from accounts.permissions import can_approve_report
from accounts.testing import login
from audit import trail
from audit.models import AuditEntry
from reporting.actions import (
    do_approve,
    do_close_period,
    do_reopen,
    do_return,
    do_save_values,
    do_submit,
    get_or_create_report,
)
from reporting.history import was_entered_by
from reporting.models import DataValue, Report
from reporting.spreadsheets import build_template, import_spreadsheet
from reporting.testing import GOOD_GRASSROOTS, SCHOOL, as_bytes, entry_url, fill, make_report

pytestmark = pytest.mark.django_db
RETURN_COMMENT = "Đề nghị ghi rõ số đoàn viên kết nạp mới."


def trail_of(report: Report):
    """The audit entries about the report, oldest first."""
    return AuditEntry.objects.filter(content_type__app_label="reporting", content_type__model="report",
                                     object_id=report.pk).order_by("timestamp", "id")


def row_counts() -> dict[str, int]:
    """Rows of every table that could record a step: all models but the values themselves and
    the figures rolled up from them (recomputed on every change)."""
    skipped = {DataValue, *apps.get_app_config("indicators").get_models()}
    counts = {model._meta.label: model.objects.count() for model in apps.get_models() if model not in skipped}
    # The rolled-up values' recount queued for the job worker is no record of the step either.
    counts["django_tasks_database.DBTaskResult"] = DBTaskResult.objects.exclude(
        task_path="indicators.rollups.refresh_marked").count()
    return counts


def rows_added(before: dict[str, int]) -> dict[str, int]:
    after = row_counts()
    return {label: after[label] - count for label, count in before.items() if after[label] != count}


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def saved(world, period, by=None) -> Report:
    report = get_or_create_report(period, world.school)
    do_save_values(report, GOOD_GRASSROOTS, {}, by=by or world.reporter, expected_version=0)
    return fresh(report)


def submitted(world, period, by=None) -> Report:
    report = saved(world, period, by)
    do_submit(report, by or world.reporter, report.version)
    return fresh(report)


def approved(world, period) -> Report:
    report = submitted(world, period)
    do_approve(report, world.approver, report.version)
    return fresh(report)


def imported_by_the_district(world, period) -> Report:
    book = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    fill(book, "AG.883.00001", SCHOOL)
    result = import_spreadsheet(as_bytes(book), period, world.approver, root=world.long_xuyen)
    assert result.ok, result.errors
    return Report.objects.get(period=period, unit=world.school)


# step: (the report before it, the step, the event it records, who)
STEPS = {
    "typing": (lambda w, p: get_or_create_report(p, w.school),
               lambda w, r: do_save_values(r, {"workers": 40}, {}, by=w.reporter, expected_version=r.version),
               "saved", "reporter"),
    "typing on behalf": (lambda w, p: get_or_create_report(p, w.school),
                         lambda w, r: do_save_values(r, {"workers": 40}, {}, by=w.approver,
                                                     expected_version=r.version),
                         "saved", "approver"),
    "submission": (saved, lambda w, r: do_submit(r, w.reporter, r.version), "submitted", "reporter"),
    "return": (submitted, lambda w, r: do_return(r, w.approver, r.version, RETURN_COMMENT), "returned", "approver"),
    "approval": (submitted, lambda w, r: do_approve(r, w.approver, r.version), "approved", "approver"),
    "reopening": (approved, lambda w, r: do_reopen(r, w.admin, r.version, "Sửa số đoàn viên."), "reopened",
                  "admin"),
}


@pytest.mark.parametrize("name", STEPS)
def test_a_step_leaves_exactly_one_row(world, period, name):
    before_step, step, event, who = STEPS[name]
    report = before_step(world, period)
    entries_before, counts = trail_of(report).count(), row_counts()
    step(world, fresh(report))
    assert rows_added(counts) == {"audit.AuditEntry": 1}, "one record of the step, and no second one"
    entry = trail_of(report).last()
    assert trail_of(report).count() == entries_before + 1
    assert (entry.additional_data["event"], entry.actor) == (event, getattr(world, who))


def test_an_imported_row_leaves_exactly_one_row(world, period):
    counts = row_counts()
    report = imported_by_the_district(world, period)
    assert rows_added(counts) == {"reporting.Report": 1, "audit.AuditEntry": 1}
    entry = trail_of(report).get()
    assert entry.additional_data["event"] == "imported" and entry.actor == world.approver
    assert entry.additional_data["on_behalf"] is True and entry.changes["workers"] == [None, 40]


def test_closing_leaves_one_row_per_locked_report_and_one_for_the_period(world, period):
    first = approved(world, period)
    second = make_report(period, world.factory, Report.Status.APPROVED, workers=1200, members=1000)
    draft = make_report(period, world.market, Report.Status.DRAFT, workers=25)
    counts = row_counts()

    assert do_close_period(period, world.admin) == 2

    assert rows_added(counts) == {"audit.AuditEntry": 3}
    for report in (first, second):
        locking = trail_of(report).last()
        assert locking.additional_data["event"] == "locked" and locking.actor == world.admin
        assert locking.changes == {"status": ["approved", "locked"]}
        assert locking.unit_path == report.unit.path, "found by the trail's filter by unit"
    assert not trail_of(draft).exists()


def test_a_locking_entry_says_what_a_single_steps_entry_says(client, world, period):
    """Closing from the periods page: each locked report's entry names the closer, the address
    and the report as the entry of a one-report step (an approval) does."""
    report = submitted(world, period)
    login(client, world.admin)
    client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    client.post(reverse("reporting:period_close", args=[period.id]))
    approval, locking = trail_of(report).order_by("-timestamp", "-id")[:2][::-1]
    assert locking.additional_data == {"event": "locked"}
    assert locking.remote_addr == approval.remote_addr == "127.0.0.1"
    for column in ("actor_id", "actor_name", "object_pk", "object_id", "object_repr", "unit_path", "content_type_id",
                   "action"):
        assert getattr(locking, column) == getattr(approval, column), column
    assert locking.timestamp > approval.timestamp


def history_labels(body: str) -> list[str]:
    section = body.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    return [label.lower() for label in re.findall(r"<strong>([^<]+)</strong>", section)]


def test_the_report_page_shows_the_steps_the_audit_trail_shows(client, world, period):
    report = submitted(world, period)
    do_return(report, world.approver, report.version, RETURN_COMMENT)
    report = fresh(report)
    do_save_values(report, {"members": 37}, {}, by=world.approver, expected_version=report.version)  # on behalf
    report = fresh(report)
    do_submit(report, world.reporter, report.version)
    report = fresh(report)
    do_approve(report, world.admin, report.version)
    do_close_period(period, world.admin)
    report = fresh(report)
    do_reopen(report, world.admin, report.version, "Sửa số đoàn viên theo danh sách mới.")

    login(client, world.admin)
    page = client.get(entry_url(period, "AG.883.00001")).content.decode()
    audit_page = client.get(reverse("audit:trail"), {"unit": "AG.883.00001", "kind": "reporting.report"})
    trail_labels = [str(row["action"]).lower() for row in audit_page.context["rows"]]

    expected = ["mở lại", "đã khóa", "đã duyệt", "đã nộp", "đã lưu", "trả lại", "đã nộp", "đã lưu"]
    assert history_labels(page) == expected
    assert trail_labels == expected
    assert "nhập thay cho đơn vị" in page and RETURN_COMMENT in page
    assert "<del>38</del> → <ins>37</ins>" in page


def test_a_returned_report_shows_the_return_comment_from_its_history(client, world, period):
    report = submitted(world, period)
    do_return(report, world.approver, report.version, RETURN_COMMENT)
    login(client, world.reporter)
    body = client.get(entry_url(period, "AG.883.00001")).content.decode()
    assert f"<strong>Bị trả lại để sửa:</strong> {RETURN_COMMENT}" in body


def page_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(entry_url(period, "AG.883.00001")).status_code == 200
    return len(queries)


def test_a_long_history_costs_no_more_queries_than_a_short_one(client, world, period):
    report = submitted(world, period)
    login(client, world.approver)
    page_queries(client, period)  # caches warmed (content types, the program)
    short = page_queries(client, period)
    for members in (37, 38, 37, 38, 37):
        report = fresh(report)
        do_return(report, world.approver, report.version, RETURN_COMMENT)
        report = fresh(report)
        do_save_values(report, {"members": members}, {}, by=world.reporter,
                       expected_version=report.version)
        report = fresh(report)
        do_submit(report, world.reporter, report.version)
    assert trail_of(report).count() == 17
    assert page_queries(client, period) == short


def test_the_history_is_one_query(world, period, django_assert_num_queries):
    from reporting.history import history

    report = submitted(world, period)
    history(report, {}, limit=30)  # the content type cached
    with django_assert_num_queries(1):
        steps = history(report, {"workers": "Số người lao động"}, limit=30)
    assert [step.step for step in steps] == ["submitted", "saved"]
    assert steps[1].changes[0].label == "Số người lao động"


# was_entered_by: the second-person rule of approval (accounts.permissions.can_approve_report)

def test_typing_makes_the_typist_an_entrant(world, period):
    report = saved(world, period)
    assert was_entered_by(report, world.reporter)
    assert not was_entered_by(report, world.approver) and not was_entered_by(report, world.admin)


def test_importing_makes_the_importer_an_entrant(world, period):
    report = imported_by_the_district(world, period)
    do_submit(report, world.reporter, report.version)
    report = fresh(report)
    assert was_entered_by(report, world.approver) and was_entered_by(report, world.reporter)
    assert not can_approve_report(world.approver, report) and can_approve_report(world.admin, report)


def test_entering_on_behalf_makes_the_approver_an_entrant(world, period):
    report = submitted(world, period, by=world.approver)
    assert was_entered_by(report, world.approver) and not was_entered_by(report, world.reporter)
    assert all(entry.additional_data.get("on_behalf") for entry in trail_of(report))
    assert not can_approve_report(world.approver, report) and can_approve_report(world.admin, report)


def test_reopening_does_not_enter_but_correcting_does(world, period):
    report = approved(world, period)
    do_close_period(period, world.admin)
    report = fresh(report)
    do_reopen(report, world.admin, report.version, "Sửa số đoàn viên.")
    report = fresh(report)
    assert not was_entered_by(report, world.admin), "reopening enters nothing"
    assert was_entered_by(report, world.reporter), "what was entered before the reopening still counts"
    do_save_values(report, {"members": 39}, {}, by=world.admin, expected_version=report.version)
    report = fresh(report)
    do_submit(report, world.admin, report.version)
    report = fresh(report)
    assert was_entered_by(report, world.admin)
    assert not can_approve_report(world.admin, report) and can_approve_report(world.approver, report)


@pytest.mark.parametrize(("event", "enters"), [
    ("saved", True), ("imported", True), ("submitted", True),
    ("reopened", False), ("returned", False), ("approved", False), ("locked", False),
])
def test_a_step_held_only_by_the_audit_trail_counts(world, period, event, enters):
    """A step as the migration copied it from the old report events: in the trail, nowhere else."""
    report = make_report(period, world.school, Report.Status.SUBMITTED, workers=40)
    trail.record(report, {"status": ["draft", "submitted"]}, actor=world.approver, event=event)
    assert was_entered_by(report, world.approver) is enters
    assert can_approve_report(world.approver, report) is not enters
    assert not was_entered_by(report, world.reporter)


def test_a_stale_write_names_the_latest_step_of_the_history(world, period):
    from reporting.actions import StaleReport, stale_message

    report = saved(world, period)
    trail.record(report, {"members": [38, 39]}, actor=world.approver, event="saved")
    with pytest.raises(StaleReport) as refused:
        do_save_values(report, {"workers": 41}, {}, by=world.reporter, expected_version=0)
    message = stale_message(refused.value.report, "")
    assert (world.approver.get_full_name() or world.approver.username) in message
