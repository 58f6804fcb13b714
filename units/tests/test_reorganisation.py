"""Reorganisation batches: the file and its errors, the dry run, the command and its trail."""

from __future__ import annotations

import datetime
import getpass
import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from reporting.actions import do_open_period
from units.models import Reorganisation, Succession, Unit, UnitLink
from units.reorganisation import BatchFileError, load_batch, read_batch_file

pytestmark = pytest.mark.django_db

GOOD = """\
batch:
  code: "2025-07-test"
  title: "Sắp xếp thử"
  reason: "Bỏ cấp huyện"
  document: {number: "12/QĐ-LĐLĐ", date: 2025-06-30}
units:
  - {code: AG.CX.30280, name: "Công đoàn phường Long Xuyên", kind: commune, parent: AG, valid_from: 2025-07-01}
changes:
  - {change: dissolve, unit: AG.883, on: 2025-07-01, successor: AG.CX.30280}
  - {change: rename, unit: AG.884, on: 2025-07-01, name: "Liên đoàn Lao động Châu Đốc (cũ)"}
"""


def write(tmp_path, text: str):
    path = tmp_path / "batch.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_problem_of_a_file_names_its_line_and_field(world, tmp_path):
    path = write(tmp_path, """\
        batch:
          code: "bad"
          title: "Sai"
        changes:
          - {change: move, unit: AG.883.00001, on: 2025-07-01}
          - {change: split, unit: AG.883, on: 2025-07-01, into: [AG.884, AG.YT], shares: [0.5, 0.2]}
          - {change: merge, units: [AG.NOPE], on: 2025-07-01, into: AG.884}
          - {change: vanish, unit: AG.883, on: 2025-07-01}
        """)
    with pytest.raises(BatchFileError) as caught:
        read_batch_file(path)
    lines = [str(p) for p in caught.value.problems]
    assert f"{path}:5: changes[0].to: Field required" in lines
    assert f"{path}:6: changes[1]: shares must be positive and add up to 1" in lines
    assert any(line.startswith(f"{path}:8: changes[3]") for line in lines)


def test_unknown_codes_and_a_batch_loaded_twice_are_refused_with_their_lines(world, tmp_path):
    path = write(tmp_path, GOOD.replace("successor: AG.CX.30280", "successor: AG.NOPE"))
    with pytest.raises(BatchFileError, match=r"batch.yaml:9: changes\[0\]: unknown unit AG.NOPE"):
        read_batch_file(path)
    load_batch(read_batch_file(write(tmp_path, GOOD)))
    with pytest.raises(BatchFileError, match=r"batch.yaml:2: batch.code: a batch 2025-07-test was loaded already"):
        read_batch_file(write(tmp_path, GOOD))


def test_the_dry_run_prints_the_consequences_and_writes_nothing(world, program, tmp_path):
    do_open_period("year", 2025, 0, datetime.date(2026, 1, 15), by=world.admin)
    reporter_of_long_xuyen = world.approver.username  # the approver of AG.883
    links = list(UnitLink.objects.values_list("pk", "path", "valid_to"))
    out = io.StringIO()
    call_command("load_reorganisation", str(write(tmp_path, GOOD)), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "1 units created, 1 closed, 2 moved, 1 renamed" in text
    assert "move   AG.883.00001: AG.883 -> AG.CX.30280 from 01/07/2025" in text
    assert "close  AG.883 after 30/06/2025, succeeded by AG.CX.30280" in text
    assert reporter_of_long_xuyen in text  # its account becomes read-only
    # 2025 open: the district closed by the dissolution is no longer expected, the ward union is
    assert "expected reporters" in text and "dry run: nothing was written" in text
    assert not Reorganisation.objects.exists() and not Unit.objects.filter(code="AG.CX.30280").exists()
    assert list(UnitLink.objects.values_list("pk", "path", "valid_to")) == links
    assert Unit.objects.get(code="AG.883").valid_to is None


def test_the_command_applies_a_batch_in_the_trail_and_undoes_it(world, tmp_path):
    out = io.StringIO()
    call_command("load_reorganisation", str(write(tmp_path, GOOD)), stdout=out)
    assert "applied" in out.getvalue()
    batch = Reorganisation.objects.get(code="2025-07-test")
    assert (batch.document_number, batch.document_date) == ("12/QĐ-LĐLĐ", datetime.date(2025, 6, 30))
    assert [c.kind for c in batch.changes.all()] == ["create", "dissolve", "rename"]
    ward = Unit.objects.get(code="AG.CX.30280")
    assert Succession.objects.get().successor == ward
    assert Unit.objects.get(code="AG.883.00001").parent_path == ward.path  # today's tree follows
    entries = AuditEntry.objects.filter(content_type__model="unit", object_pk=str(Unit.objects.get(code="AG.883").pk))
    closed = next(e for e in entries if "valid_to" in (e.changes or {}))
    assert closed.actor_name == f"manage.py load_reorganisation ({getpass.getuser()})"
    call_command("load_reorganisation", "--undo", "2025-07-test", stdout=io.StringIO())
    assert not Unit.objects.filter(code="AG.CX.30280").exists()
    assert Unit.objects.get(code="AG.883").valid_to is None
    assert Unit.objects.get(code="AG.883.00001").parent_path == Unit.objects.get(code="AG.883").path
    with pytest.raises(CommandError, match="not applied"):
        call_command("load_reorganisation", "--undo", "2025-07-test", stdout=io.StringIO())


def test_a_change_dated_in_the_future_is_refused(world, tmp_path):
    path = write(tmp_path, GOOD.replace("on: 2025-07-01, successor", "on: 2099-07-01, successor"))
    with pytest.raises(BatchFileError, match="on or before today"):
        read_batch_file(path)


def test_the_tree_of_a_day(world, tmp_path):
    load_batch(read_batch_file(write(tmp_path, GOOD)))
    before = {u.code: u.then_parent_id for u in Unit.objects.tree_on(datetime.date(2025, 6, 30))}
    after = {u.code: u.then_parent_id for u in Unit.objects.tree_on(datetime.date(2025, 7, 1))}
    long_xuyen, ward = Unit.objects.get(code="AG.883"), Unit.objects.get(code="AG.CX.30280")
    assert before["AG.883.00001"] == long_xuyen.pk and "AG.CX.30280" not in before
    assert after["AG.883.00001"] == ward.pk and "AG.883" not in after
