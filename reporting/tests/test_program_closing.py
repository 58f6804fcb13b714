"""A program's life ends with a recorded closing (reporting.actions.do_close_program): refused
while a report waits for a decision; it closes the program's periods, so its approved reports
are locked and its figures no longer move; loading its file again does not reopen it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.testing import login
from audit.models import AuditEntry
from programs.loading import load_program
from programs.management.commands.load_program import DEFAULT_FILE
from programs.models import Program
from reporting.actions import (
    PendingReports,
    PeriodClosed,
    ProgramNotOpen,
    do_approve,
    do_close_program,
    do_save_values,
    do_submit,
    get_or_create_report,
)
from reporting.models import Period, Report
from reporting.testing import GOOD_GRASSROOTS

pytestmark = pytest.mark.django_db


def submitted(period, unit, by) -> Report:
    report = get_or_create_report(period, unit)
    do_save_values(report, GOOD_GRASSROOTS, {}, by=by, expected_version=report.version)
    return do_submit(report, by=by, expected_version=report.version)


def test_closing_is_refused_while_a_report_waits_then_closes_locks_and_is_recorded(world, program, period):
    pending = submitted(period, world.school, world.reporter)
    with pytest.raises(PendingReports):
        do_close_program(program, by=world.admin)
    program.refresh_from_db()
    period.refresh_from_db()
    assert program.status == Program.Status.IN_FORCE and period.is_open

    do_approve(pending, by=world.approver, expected_version=pending.version)
    closed = do_close_program(program, by=world.admin, on_date=datetime.date(2026, 1, 5))

    assert closed == {"periods": 1, "reports": 1}
    program.refresh_from_db()
    period.refresh_from_db()
    pending.refresh_from_db()
    assert (program.status, program.closed_on) == (Program.Status.CLOSED, datetime.date(2026, 1, 5))
    assert not period.is_open and pending.status == Report.Status.LOCKED
    entry = AuditEntry.objects.get(object_pk=str(program.pk), additional_data__event="closed",
                                   content_type__model="program")
    assert entry.changes["status"] == ["in_force", "closed"] and entry.actor == world.admin
    # Its figures are frozen: the locked report refuses a change.
    with pytest.raises(PeriodClosed):
        do_save_values(pending, {"members": 1}, {}, by=world.reporter, expected_version=pending.version)
    # A closed program is not closed twice, and reloading its file does not reopen it.
    with pytest.raises(ProgramNotOpen):
        do_close_program(program, by=world.admin)
    load_program(DEFAULT_FILE)
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED and program.closed_on == datetime.date(2026, 1, 5)


def test_a_period_another_open_program_asks_for_stays_open(world, program, period):
    """The period is not closed, but a report waiting in it would still move the closed
    program's figures: the closing waits for it all the same."""
    Program.objects.create(code="other", title="Other", issuer="X", term_start=2023, term_end=2027,
                           reporting_years=[2024, 2025])
    pending = submitted(period, world.school, world.reporter)
    with pytest.raises(PendingReports):
        do_close_program(program, by=world.admin)
    do_approve(pending, by=world.approver, expected_version=pending.version)
    assert do_close_program(program, by=world.admin) == {"periods": 0, "reports": 0}
    period.refresh_from_db()
    assert period.is_open


def test_the_close_program_command(world, program, period):
    submitted(period, world.school, world.reporter)
    with pytest.raises(CommandError, match="1 submitted report"):
        call_command("close_program", program.code, stdout=StringIO())
    Report.objects.filter(period=period).update(status=Report.Status.APPROVED)
    out = StringIO()
    call_command("close_program", program.code, stdout=out)
    assert "1 period(s) closed, 1 report(s) locked" in out.getvalue()
    assert Period.objects.get(pk=period.pk).status == Period.Status.CLOSED
    with pytest.raises(CommandError, match="no program"):
        call_command("close_program", "nope", stdout=StringIO())


def test_the_periods_page_ends_a_program_after_its_confirmation_and_says_why_when_it_cannot(client, world, program,
                                                                                            period):
    pending = submitted(period, world.school, world.reporter)
    login(client, world.admin)
    url = reverse("reporting:program_close", args=[program.code])
    page = client.get(reverse("reporting:periods")).content.decode()
    assert url in page and "Kết thúc chương trình" in page
    refused = client.post(url, follow=True).content.decode()
    assert "còn 1 báo cáo đã nộp" in refused
    program.refresh_from_db()
    assert program.status == Program.Status.IN_FORCE

    do_approve(pending, by=world.approver, expected_version=pending.version)
    done = client.post(url, follow=True).content.decode()
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED and "khóa 1 kỳ báo cáo và 1 báo cáo đã duyệt" in done
    assert url not in done  # a closed program offers no second closing
