"""Time the official documents on the database DATABASE_URL names, and keep what they say.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/documents.py --header
    DATABASE_URL=... .venv/bin/python bench/documents.py --snapshot var/docs-before
    DATABASE_URL=... .venv/bin/python bench/documents.py --snapshot var/docs-after --compare var/docs-before

Timing: the province's yearly .pdf / .docx / .xlsx, the same for one district federation, and
the preview (the HTML the documents page shows) of both — each built from the data, as the job
worker builds it. Median of `--repeat` runs after a warm-up; the queries of one run.

Snapshot: for the province and one district, each kind (yearly_review of --year, term_review)
and each format, the text extracted from the file (python-docx, openpyxl, pdftotext) written to
DIR, so that an optimisation can be checked to keep every figure the same (`--compare`: the
lines of the earlier snapshot that are gone, and those that are new, file by file).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

FORMATS = ("pdf", "docx", "xlsx")
# Seconds before issue #17's changes (commit 49d372b), by database and size (thousands of
# grassroots unions, rounded): province pdf, docx, xlsx, preview, then the same for a district.
# SQLite 1,517: measured with this script on 02/12/2026 with the 2-core machine at load 12
# (so every figure is slow; compare ratios on the same run); 15,017: the issue's own figures
# (a quiet machine; the district's files were not measured there).
BASELINE = {
    ("sqlite", 2): (65.92, 34.53, 29.91, 11.64, 103.73, 40.95, 37.24, 25.78),
    ("sqlite", 15): (32.0, 19.0, 11.0, 9.3, None, None, None, 11.7),
}


def _units():
    from units.models import Unit, UnitKind

    province = Unit.objects.get(depth=1)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to__isnull=True).order_by("code").first() or \
        Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code").first()
    return province, district


def _program():
    from programs.models import Program

    return Program.objects.current()


def _build(program, unit, kind, year, view="then"):
    from exports.builder import build_document

    try:
        return build_document(program, unit, kind, year, view=view)
    except TypeError:  # a builder without views (the baseline)
        return build_document(program, unit, kind, year)


def _preview(program, unit, year):
    from django.template.loader import render_to_string

    document = _build(program, unit, "yearly_review", year)
    return render_to_string("exports/_document.html", {"document": document})


def _file(program, unit, year, fmt):
    from exports.writers import WRITERS

    return WRITERS[fmt].write(_build(program, unit, "yearly_review", year))


def bench(year: int, repeat: int, header: bool) -> str:
    from django.db import connection

    from bench.measuring import record, timed
    from units.models import Unit

    program = _program()
    province, district = _units()
    grassroots = Unit.objects.grassroots().count()
    measured = []
    for unit in (province, district):
        which = "province" if unit is province else "district"
        for fmt in FORMATS:
            measured.append(timed(lambda unit=unit, fmt=fmt: _file(program, unit, year, fmt), repeat))
            record(f"yearly review .{fmt}, {which}", grassroots, *measured[-1][:1], queries=measured[-1][1])
        measured.append(timed(lambda unit=unit: _preview(program, unit, year), repeat))
        record(f"documents preview, {which}", grassroots, measured[-1][0], queries=measured[-1][1])
    line = f"{connection.vendor:<10} {grassroots:>10,} " + " ".join(f"{s:>6.2f}s {q:>3}" for s, q in measured)
    baseline = BASELINE.get((connection.vendor, round(grassroots / 1000) or 1))
    if baseline:
        line += f"\n{'  baseline':<21} " + " ".join(f"{b:>6.2f}s {'':>3}" if b else f"{'—':>7} {'':>3}"
                                                  for b in baseline)
        line += f"\n{'  ratio':<21} " + " ".join(f"{s / b:>6.2f}× {'':>3}" if b else f"{'—':>7} {'':>3}"
                                               for (s, _q), b in zip(measured, baseline, strict=True))
    if header:
        names = [f"{who} {what}" for who in ("province", "district") for what in (*FORMATS, "preview")]
        line = "documents (yearly review): seconds and queries\n" + \
            f"{'database':<10} {'grassroots':>10} " + " ".join(f"{name[:11]:>11}" for name in names) + "\n" + line
    return line


# --- what the files say ---------------------------------------------------------------------------

def docx_text(content: bytes) -> str:
    import docx

    word = docx.Document(io.BytesIO(content))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def xlsx_text(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            if any(value is not None for value in row):
                lines.append(" | ".join("" if value is None else str(value) for value in row))
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], check=True, capture_output=True).stdout
    # One line per printed line, blanks and page furniture (page numbers) left out.
    return "\n".join(" ".join(line.split()) for line in text.decode().splitlines()
                     if line.strip() and not line.strip().isdigit())


EXTRACT = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text}


def snapshot(directory: Path, year: int, view: str) -> None:
    from exports.writers import WRITERS

    directory.mkdir(parents=True, exist_ok=True)
    program = _program()
    for unit in _units():
        for kind, kind_year in (("yearly_review", year), ("term_review", program.term_end)):
            document = _build(program, unit, kind, kind_year, view)
            for fmt in FORMATS:
                text = EXTRACT[fmt](WRITERS[fmt].write(document))
                (directory / f"{unit.code}-{kind}-{kind_year}.{fmt}.txt").write_text(text + "\n")
                print(f"{directory}/{unit.code}-{kind}-{kind_year}.{fmt}.txt: {len(text.splitlines())} lines")


def compare(before: Path, after: Path) -> int:
    """Lines gone and lines new, file by file (as sets of lines: a table split differently
    across pages is the same figures)."""
    changed = 0
    for old in sorted(before.glob("*.txt")):
        new = after / old.name
        if not new.exists():
            print(f"{old.name}: missing after")
            changed += 1
            continue
        old_lines, new_lines = old.read_text().splitlines(), new.read_text().splitlines()
        gone = [line for line in old_lines if line not in set(new_lines)]
        added = [line for line in new_lines if line not in set(old_lines)]
        print(f"{old.name}: {len(old_lines)} → {len(new_lines)} lines, {len(gone)} gone, {len(added)} new")
        for line in gone[:40]:
            print(f"  - {line}")
        for line in added[:40]:
            print(f"  + {line}")
        changed += bool(gone)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description="Time the documents; keep or compare what they say.")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--header", action="store_true")
    parser.add_argument("--snapshot", type=Path, help="write the documents' text to this directory")
    parser.add_argument("--compare", type=Path, help="with --snapshot: compare with this earlier snapshot")
    parser.add_argument("--view", default="then")
    args = parser.parse_args()

    import django

    django.setup()
    if args.snapshot:
        snapshot(args.snapshot, args.year, args.view)
        return compare(args.compare, args.snapshot) and 1 if args.compare else 0
    print(bench(args.year, args.repeat, args.header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
