"""Time a spreadsheet upload of N rows (default 2,000) with "submit after import", on a database
of its own: a district of N grassroots unions and the An Giang program, built fresh by the script
(SQLite: var/bench-uploads.sqlite3, removed first; or the empty database DATABASE_URL names).

    .venv/bin/python bench/uploads.py [--rows 2000]
    DATABASE_URL=postgres://…/empty .venv/bin/python bench/uploads.py

Prints, each with its SQL statements: reading the file alone (openpyxl, every cell: the floor
any import pays), the plan (the preview: read and check every row, nothing written), the import
with submission (plan and save, what "Lưu và gửi" does), and the job worker's recount of the
rolled-up values that the submissions marked. The import runs in a transaction rolled back
afterwards (but for the last run, whose marks the worker then recounts), so every run starts from
the same state. Figures, not a test: nothing is asserted but that the import succeeded.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measuring import QueryCounter, RolledBack, record  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
SQLITE = ROOT / "var" / "bench-uploads.sqlite3"
if not os.environ.get("DATABASE_URL"):
    SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"




def measured(step, repeat: int, keep_last: bool = False) -> tuple[float, int, object]:
    """Median seconds of `step()` over `repeat` runs, each rolled back (the last one kept if
    `keep_last`), the statements of the first run, and what it returned."""
    from django.db import connection, transaction

    times, queries, result = [], None, None
    for attempt in range(repeat):
        try:
            with transaction.atomic():
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    outcome = step()
                times.append(time.perf_counter() - started)
                if queries is None:
                    queries, result = counter.count, outcome
                if not (keep_last and attempt == repeat - 1):
                    raise RolledBack
        except RolledBack:
            pass
    return statistics.median(times), queries, result


def build(rows: int):
    """The program, the shared little world, a district of `rows` grassroots unions (public
    sector, as the world's school) and the open 2024 period."""
    from django.core.management import call_command

    from accounts.testing import build_world
    from programs.loading import load_program
    from programs.management.commands.load_program import DEFAULT_FILE
    from reporting.actions import do_open_period
    from units.models import Ownership, Unit, UnitKind

    call_command("migrate", verbosity=0)
    load_program(DEFAULT_FILE)
    world = build_world()
    for i in range(rows - 2):  # the world's school and factory are two of them
        Unit.objects.add_child(world.long_xuyen, instance=Unit(
            code=f"AG.883.{10000 + i}", name=f"Công đoàn trường số {i + 1}", kind=UnitKind.GRASSROOTS,
            ownership=Ownership.PUBLIC_SECTOR, workers=40, members=40, officers=3))
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    return world, period


def filled_template(period, root) -> bytes:
    """The district's template with every row filled in: good values, the factory's own
    enterprise items too, and a note (explaining any warning)."""
    from openpyxl import load_workbook

    from reporting.spreadsheets import FIRST_ROW, SHEET, build_template
    from reporting.spreadsheets.layout import HEADER_ROW
    from reporting.testing import GOOD_GRASSROOTS

    workbook = load_workbook(io.BytesIO(build_template(period, root)))
    ws = workbook[SHEET]
    from reporting.spreadsheets.rows import sheet_elements

    labels = {cell.value: cell.column for cell in ws[HEADER_ROW] if cell.value}
    columns = {e.code: labels[e.label] for e in sheet_elements(period) if e.label in labels}
    note_column = ws.max_column
    factory = {**GOOD_GRASSROOTS, "employee_conference_held": True, "workplace_dialogue_held": True}
    for row in range(FIRST_ROW, ws.max_row + 1):
        code = ws.cell(row=row, column=1).value
        if not code:
            continue
        values = factory if code == "AG.883.00002" else GOOD_GRASSROOTS
        for element, value in values.items():
            if element in columns:
                ws.cell(row=row, column=columns[element], value=value)
        ws.cell(row=row, column=note_column, value="Số liệu kiểm tra tốc độ")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def one_write_per_table(period) -> int:
    """The floor of an import beyond reading its file: one statement per table it writes, over
    the rows it wrote (every value of the period's reports, the reports, one audit entry each)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from audit.models import AuditEntry
    from reporting.models import DataValue, Report

    reports = Report.objects.filter(period=period)
    DataValue.objects.filter(report__in=reports).update(number=F("number"), text=F("text"))
    count = reports.update(version=F("version"))
    kind = ContentType.objects.get_for_model(Report)
    AuditEntry.objects.bulk_create([
        AuditEntry(content_type=kind, object_pk=str(pk), object_id=pk, object_repr="", action=AuditEntry.Action.UPDATE,
                   changes={"status": ["draft", "submitted"]}) for pk in reports.values_list("pk", flat=True)])
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description="Time a spreadsheet upload with submission.")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from openpyxl import load_workbook

    from jobs.testing import run_jobs
    from reporting.spreadsheets import import_spreadsheet, plan_spreadsheet

    started = time.perf_counter()
    world, period = build(args.rows)
    content = filled_template(period, world.long_xuyen)
    print(f"{connection.vendor}: a district of {args.rows} grassroots unions built in "
          f"{time.perf_counter() - started:.1f} s; the file {len(content) / 1024:.0f} KB")

    def read_only():
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        cells = sum(1 for sheet in workbook for row in sheet.iter_rows(values_only=True) for _ in row)
        workbook.close()
        return cells

    def planned():
        result = plan_spreadsheet(content, period, world.approver, submit=True, root=world.long_xuyen)
        assert result.ok, result.errors[:3]
        return len(result.submitted)

    def imported():
        result = import_spreadsheet(content, period, world.approver, submit=True, root=world.long_xuyen)
        assert result.ok, result.errors[:3]
        return len(result.submitted)

    reading, queries, cells = measured(read_only, args.repeat)
    print(f"read the file (openpyxl, {cells} cells):  {reading:7.2f} s")
    seconds, queries, rows = measured(planned, args.repeat)
    print(f"plan (preview, {rows} rows to send):       {seconds:7.2f} s  {queries:5d} queries")
    seconds, queries, rows = measured(imported, args.repeat, keep_last=True)
    print(f"import and submit {rows} rows:              {seconds:7.2f} s  {queries:5d} queries "
          f"({queries / max(rows, 1):.2f} a row)")
    writing, _, _ = measured(lambda: one_write_per_table(period), args.repeat)
    print(f"one bulk write per table the import wrote: {writing:7.2f} s")
    record(f"spreadsheet upload with submit, {rows:,} rows", rows, seconds, queries=queries,
           baseline=reading + writing)
    seconds, queries, _ = measured(run_jobs, 1, keep_last=True)
    print(f"the worker's recount of what they marked:  {seconds:7.2f} s  {queries:5d} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
