"""reporting 0006 folds the report events into the audit trail: every event the trail does not
hold is copied there (the lockings at closing, which had no entry of their own), none it holds
is copied twice, and the report's history then shows them all."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry

BEFORE = [("reporting", "0005_verbose_names")]
AFTER = [("reporting", "0006_report_steps_in_the_audit_trail")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2024, 12, day, hour, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_the_events_the_trail_lacks_are_copied_into_it_once(world, program_loaded):
    from reporting.models import Report

    try:
        old_apps = migrate(BEFORE)
        OldPeriod = old_apps.get_model("reporting", "Period")
        OldReport = old_apps.get_model("reporting", "Report")
        OldEvent = old_apps.get_model("reporting", "ReportEvent")
        period = OldPeriod.objects.create(program_id=program_loaded.pk, year=2024, starts_on=datetime.date(2024, 1, 1),
                                          ends_on=datetime.date(2024, 12, 31), due_on=datetime.date(2025, 1, 15),
                                          status="closed")
        report = OldReport.objects.create(period=period, unit_id=world.school.pk, status="locked", version=5)
        report_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="report")

        def event(action, by, day, **fields):
            made = OldEvent.objects.create(report=report, action=action, by_id=by.pk, **fields)
            OldEvent.objects.filter(pk=made.pk).update(at=at(day))  # `at` is auto_now_add

        def entry(action, by, day):
            AuditEntry.objects.create(content_type=report_type, object_pk=str(report.pk), object_id=report.pk,
                                      object_repr="x", action=AuditEntry.Action.UPDATE, actor=by, timestamp=at(day),
                                      additional_data={"event": action}, changes={})

        # Two saves, the trail holds one of them; a submission and an approval it holds; the
        # locking at closing it never held (one entry for the whole period then).
        event("saved", world.reporter, 1, from_status="draft", to_status="draft",
              changes=[{"element": "workers", "before": None, "after": 40}])
        entry("saved", world.reporter, 1)
        event("saved", world.reporter, 2, from_status="draft", to_status="draft",
              changes=[{"element": "members", "before": 38, "after": 39}], on_behalf=False)
        event("submitted", world.approver, 3, from_status="draft", to_status="submitted", on_behalf=True)
        entry("submitted", world.approver, 3)
        event("approved", world.admin, 4, from_status="submitted", to_status="approved", comment="Đạt.")
        entry("approved", world.admin, 4)
        event("locked", world.admin, 5, from_status="approved", to_status="locked")

        migrate(AFTER)

        from reporting.history import entries_of, history

        copied = AuditEntry.objects.filter(additional_data__copied_from_report_events=True).order_by("timestamp")
        assert [(e.additional_data["event"], e.actor_id, e.timestamp) for e in copied] == [
            ("saved", world.reporter.pk, at(2)), ("locked", world.admin.pk, at(5))]
        assert copied[0].changes == {"members": [38, 39]} and copied[1].changes == {"status": ["approved", "locked"]}
        assert copied[1].unit_path == world.school.path and copied[1].actor_name == "admin"
        assert "Mỹ Bình" in copied[1].object_repr and "2024" in copied[1].object_repr

        migrated = Report.objects.get(pk=report.pk)
        assert [e.additional_data["event"] for e in entries_of(migrated)] == [
            "locked", "approved", "submitted", "saved", "saved"]
        assert [step.step for step in history(migrated, {}, limit=30)][:2] == ["locked", "approved"]
        assert migrated.was_entered_by(world.reporter) and migrated.was_entered_by(world.approver)
        assert not migrated.was_entered_by(world.admin)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
