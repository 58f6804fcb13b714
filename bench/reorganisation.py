"""Time applying a reorganisation batch on the database DATABASE_URL names (filled as
scripts/bench.sh fills it): every district federation dissolved into a new commune union on
1 July (every grassroots union under it moves), applied in bulk (units.reorganisation._Applier,
what the loader does: the batch played in memory, written in a few statements) and the way it
was written before (_OneByOne with today's tree moved once at the end: links, units and audit
entries one unit at a time), each in a transaction rolled back afterwards. Prints seconds and
queries of each.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/reorganisation.py

--demo applies the demo's 2025 batch instead (demo.reorganisation.demo_batch(): a database
filled as setup_demo fills it before the batch: load_units, load_units kien_giang.yaml, demo_data).
--preview times what the reorganisation page's preview does: the dry run with every consequence
counted (reorganising.consequences.load_batch), in bulk only.
--undo times undoing the batch applied in bulk (units.reorganisation.do_undo_reorganisation).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measuring import RolledBack  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")



def every_district_dissolved() -> dict:
    from units.models import Unit, UnitKind

    province = Unit.objects.filter(depth=1, valid_to__isnull=True).order_by("path").first()
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to__isnull=True).order_by("code"))
    on = datetime.date(2025, 7, 1).isoformat()
    return {
        "batch": {"code": "bench-batch", "title": "bench: every district dissolved"},
        "units": [{"code": f"{d.code}.CX", "name": f"Công đoàn xã {d.name}", "kind": "commune",
                   "parent": province.code, "valid_from": on} for d in districts],
        "changes": [{"change": "dissolve", "unit": d.code, "on": on, "successor": f"{d.code}.CX"} for d in districts],
    }


def applied(batch: dict, in_bulk: bool, preview: bool = False, undo: bool = False) -> tuple[float, int, str]:
    from django.db import connection, transaction

    from reorganising import consequences
    from units.models import Reorganisation
    from units.reorganisation import _OneByOne, do_undo_reorganisation, load_batch

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    _OneByOne.tree_in_bulk = True  # as it was written before: only today's tree in bulk
    summary = ""
    try:
        with transaction.atomic():
            if undo:
                summary = load_batch(batch).lines()[0]
                record = Reorganisation.objects.get(code=batch["batch"]["code"])
            with connection.execute_wrapper(counting):
                started = time.perf_counter()
                if undo:
                    do_undo_reorganisation(record)
                elif preview:
                    summary = consequences.load_batch(batch, dry_run=True).lines()[0]
                else:
                    summary = load_batch(batch, one_by_one=not in_bulk).lines()[0]
                seconds = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    return seconds, count, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true", help="the demo's 2025 batch")
    parser.add_argument("--only-bulk", action="store_true", help="skip the one-by-one run (slow)")
    parser.add_argument("--preview", action="store_true", help="the page's preview (a dry run, consequences counted)")
    parser.add_argument("--undo", action="store_true", help="the undo of the batch applied in bulk")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from units.models import Unit, UnitKind

    if args.demo:
        from demo.reorganisation import demo_batch

        batch = demo_batch()
    else:
        batch = every_district_dissolved()
    grassroots = Unit.objects.filter(kind=UnitKind.GRASSROOTS).count()
    runs = [True] if args.only_bulk or args.preview or args.undo else [True, False]
    for in_bulk in runs:
        seconds, queries, summary = applied(batch, in_bulk, args.preview, args.undo)
        way = ("undo" if args.undo else "preview" if args.preview else "in bulk" if in_bulk
               else "one unit at a time")
        print(f"{connection.vendor:<10} {grassroots:>7,} grassroots  batch ({way:<18}) {seconds:7.1f} s "
              f"{queries:>7,}q  [{summary}]", flush=True)


if __name__ == "__main__":
    main()
