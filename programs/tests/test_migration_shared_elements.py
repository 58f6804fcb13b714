"""programs 0005 turns each element of the one program there was into a catalogue element and
that program's use of it (who it asks, where it stands), and reporting 0007 frees periods of
their program: going back and forth keeps every element's use and every period."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programs", "0004_verbose_names"), ("reporting", "0006_report_steps_in_the_audit_trail")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def _uses(rows) -> dict:
    return {code: (reported_by, asked_of, position) for code, reported_by, asked_of, position in rows}


@pytest.mark.django_db(transaction=True)
def test_each_element_becomes_its_program_s_use_and_periods_keep_their_year(program_loaded):
    from programs.models import ProgramElement
    from reporting.models import Period

    uses = _uses(program_loaded.element_uses.values_list("element__code", "reported_by", "asked_of", "position"))
    assert len(uses) == 24
    try:
        old = migrate(BEFORE)
        OldElement = old.get_model("programs", "DataElement")
        assert _uses(OldElement.objects.filter(program_id=program_loaded.pk).values_list(
            "code", "reported_by", "asked_of", "position")) == uses
        old.get_model("reporting", "Period").objects.create(
            program_id=program_loaded.pk, kind="year", year=2024, half=0, starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2024, 12, 31), due_on=datetime.date(2025, 1, 15))
    finally:
        migrate()
    assert _uses(ProgramElement.objects.filter(program=program_loaded).values_list(
        "element__code", "reported_by", "asked_of", "position")) == uses
    assert Period.objects.get(year=2024).kind == "year"
