"""The plans app took ImplementationPlan from reporting with its table: migrating an existing
database keeps every plan row, touches no table, and the audit trail's entries about plans
follow the model (its content type is renamed, never replaced)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry
from plans.models import ImplementationPlan

BEFORE = [("reporting", "0003_report_event_on_behalf"), ("plans", None)]
AFTER = [("reporting", "0004_implementation_plan_to_plans"), ("plans", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def test_the_model_keeps_its_table():
    assert ImplementationPlan._meta.db_table == "reporting_implementationplan"
    assert ImplementationPlan._meta.app_label == "plans"


def test_the_migration_pair_changes_only_the_state():
    """No operation of the pair touches a table: state operations, and the content type's rename."""
    from django.db import migrations

    for module in ("reporting.migrations.0004_implementation_plan_to_plans", "plans.migrations.0001_initial"):
        for operation in importlib.import_module(module).Migration.operations:
            if isinstance(operation, migrations.SeparateDatabaseAndState):
                assert operation.database_operations == [], module
            else:
                assert isinstance(operation, migrations.RunPython), (module, operation)


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_database_keeps_the_plans_and_their_trail(world, program_loaded):
    try:
        old_apps = migrate(BEFORE)
        OldPlan = old_apps.get_model("reporting", "ImplementationPlan")
        kept = OldPlan.objects.create(
            program_id=program_loaded.pk, unit_id=world.school.pk, file="plans/x.pdf", original_name="kh.pdf",
            size=10, content_type="application/pdf", document_number="5/KH", issued_on=datetime.date(2021, 8, 1),
            uploaded_by_id=world.reporter.pk,
        )
        # As an old database has it (the reverse of plans 0001 renames it back, too).
        old_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="implementationplan")
        entry = AuditEntry.objects.create(content_type=old_type, object_pk=str(kept.pk), object_id=kept.pk,
                                          object_repr="kh.pdf", action=AuditEntry.Action.CREATE, changes={})

        migrate(AFTER)

        plan = ImplementationPlan.objects.get(pk=kept.pk)
        assert (plan.original_name, plan.document_number, plan.unit_id) == ("kh.pdf", "5/KH", world.school.pk)
        new_type = ContentType.objects.get_for_model(ImplementationPlan)
        assert new_type.pk == old_type.pk and new_type.app_label == "plans"
        assert not ContentType.objects.filter(app_label="reporting", model="implementationplan").exists()
        assert AuditEntry.objects.get(pk=entry.pk).content_type.model_class() is ImplementationPlan
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
