"""Keep every figure the engine computes on the database DATABASE_URL names, to check that an
optimisation changed none of them.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/results.py var/results-before.txt
    DATABASE_URL=... .venv/bin/python bench/results.py var/results-after.txt --compare var/results-before.txt

For every program, both views ("as it was", "as it is now") and both readings (approved
reports only, submitted ones too): the series of every target for the province, every
upper-level union and a few grassroots unions, and the breakdown series over the units below
each of them — one line per result, every field the pages and documents read. `--compare`
prints the lines that differ and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

FIELDS = ("value", "numerator", "denominator", "reported", "expected", "status", "projected", "share",
          "counts_plans")


def _line(where: str, result) -> str:
    return " ".join([where, result.target.code, str(result.year),
                     *(f"{name}={getattr(result, name, None)!r}" for name in FIELDS)])


def lines():
    from indicators.engine import Engine
    from programs.models import Program
    from units.models import UPPER_UNION_KINDS, Unit, UnitKind
    from units.placement import VIEWS

    roots = [*Unit.objects.filter(kind__in=[UnitKind.PROVINCE, *UPPER_UNION_KINDS]).order_by("path"),
             *Unit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path")[:5]]
    for program in Program.objects.order_by("code"):
        for view in VIEWS:
            for submitted in (False, True):
                engine = Engine(program, submitted, view)
                head = f"{program.code} {view} submitted={submitted}"
                for root in roots:
                    for by_year in engine.series(root).values():
                        for result in by_year.values():
                            yield _line(f"{head} {root.code}", result)
                    if root.is_grassroots:
                        continue
                    for rows in engine.breakdown_series(root).values():
                        for child, by_year in rows:
                            for result in by_year.values():
                                yield _line(f"{head} {root.code}>{child.code}", result)


def main() -> int:
    parser = argparse.ArgumentParser(description="Keep or compare every figure the engine computes.")
    parser.add_argument("file", type=Path, help="write the results here, one line each")
    parser.add_argument("--compare", type=Path, help="an earlier file to compare with")
    args = parser.parse_args()

    import django

    django.setup()
    with args.file.open("w", encoding="utf-8") as out:
        count = 0
        for line in lines():
            out.write(line + "\n")
            count += 1
    print(f"{args.file}: {count:,} results")
    if not args.compare:
        return 0
    before, after = args.compare.read_text().splitlines(), args.file.read_text().splitlines()
    differ = [(old, new) for old, new in zip(before, after, strict=False) if old != new]
    for old, new in differ[:20]:
        print(f"- {old}\n+ {new}")
    print(f"{len(differ):,} of {len(before):,} results differ" + (
        f"; {len(before)} lines before, {len(after)} after" if len(before) != len(after) else ""))
    return 1 if differ or len(before) != len(after) else 0


if __name__ == "__main__":
    sys.exit(main())
