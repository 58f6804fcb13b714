"""Fill the registries of the bench database in proportion to its units, and time their counts.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/registries.py --header

When the registries are empty (a database `make bench` filled before they existed, or a new
one), they are filled first, in bulk and in chunks of units (memory stays flat at 135,000 units),
near the demo's proportions (demo/registries.py: 7,525 agreements, 830 houses, 50,529 initiatives
and 121 disputes over six years for 2,925 unions): for nine grassroots unions in ten a run of
agreements from 2019–2021 on, a new one every one to three years (the previous one expiring at
the end of the year before; about 3 a union), a house in about one year in twenty, 0–6
initiatives a year, and a dispute in about one year in a hundred and fifty, followed by the
union's upper-level union. The records are not made from the bench's reports (bench/ times the
counts, it does not compare them with the reports).

Then one line: the records per kind, and the median time and queries of
registries.counts.subtree_counts for the province and for the largest district, and of a
registry list page (the province's initiatives of the year, 50 a page, as the administrator).
Figures, not pass/fail; like bench/indicators.py a plain script outside the apps.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

YEARS = range(2021, 2026)
CHUNK = 2_000  # units per bulk write


def fill(seed: int = 1) -> dict[str, int]:
    """The registries for every grassroots union, written in chunks of units (nothing when they
    already hold records)."""
    from django.db import transaction

    from registries.models import CollectiveAgreement, Initiative, LabourDispute, UnionHome
    from units.models import ENTERPRISE_OWNERSHIPS, Unit, UnitKind

    models = (CollectiveAgreement, UnionHome, Initiative, LabourDispute)
    if any(model.objects.exists() for model in models):
        return {}
    rng = random.Random(seed)
    # A grassroots union's upper-level union is its parent: the path minus its last step.
    uppers = dict(Unit.objects.exclude(kind=UnitKind.GRASSROOTS).values_list("path", "id"))
    made = {model.__name__: 0 for model in models}
    grassroots = Unit.objects.grassroots().order_by("path").values_list("id", "path", "ownership", "workers")
    batch: list[tuple] = []

    def write(rows):
        agreements, homes, initiatives, disputes = [], [], [], []
        for unit_id, path, ownership, workers in rows:
            enterprise = ownership in ENTERPRISE_OWNERSHIPS
            if rng.random() < 0.9:  # a run of agreements, each expiring at the end of the year before the next
                year = rng.randint(2019, 2021)
                while year <= 2025:
                    signed = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
                    year += rng.randint(1, 3)
                    quality = rng.choice("AABBBCD")
                    agreements.append(CollectiveAgreement(
                        unit_id=unit_id, signed_on=signed, workers_covered=max(1, workers or 1), quality_class=quality,
                        classed_year=signed.year, more_favourable=quality in "AB", favourable_terms=["pay"]))
                    if year <= 2025:
                        agreements[-1].expires_on = datetime.date(year, 1, 1) - datetime.timedelta(days=1)
            for year in YEARS:
                if rng.random() < 0.05:
                    homes.append(UnionHome(unit_id=unit_id, beneficiary=f"Đoàn viên {unit_id}-{year}",
                                           cost=rng.randrange(120, 181, 5) * 1_000_000,
                                           union_support=rng.randrange(50, 61, 5) * 1_000_000,
                                           handed_over_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))))
                initiatives += [Initiative(unit_id=unit_id, title=f"Sáng kiến {n + 1} năm {year}", authors="Tác giả",
                                           field=Initiative.Field.PRODUCTION if enterprise
                                           else Initiative.Field.ADMINISTRATION,
                                           level=Initiative.Level.GRASSROOTS, year=year)
                                for n in range(rng.randint(0, 6))]
                if rng.random() < 0.007:
                    disputes.append(LabourDispute(
                        unit_id=uppers.get(path[:-Unit.steplen], unit_id), enterprise=f"Doanh nghiệp {unit_id}",
                        started_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                        workers_involved=rng.randint(30, 900), cause="Chậm trả lương",
                        union_took_part=rng.random() < 0.8))
        with transaction.atomic():
            for model, records in zip(models, (agreements, homes, initiatives, disputes), strict=True):
                model.objects.bulk_create(records, batch_size=1000)
                made[model.__name__] += len(records)

    for row in grassroots.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            write(batch)
            batch = []
    if batch:
        write(batch)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description="Fill the registries if empty; time their counts and a list page.")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--header", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    made = fill()
    if made:
        connection.cursor().execute("ANALYZE")
        print(f"registries filled in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{n:,} {name}" for name, n in made.items()), file=sys.stderr)
    print(bench(args.year, args.repeat, args.header))
    return 0


def bench(year: int, repeat: int, header: bool) -> str:
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.measuring import timed
    from registries.counts import subtree_counts
    from registries.models import CollectiveAgreement, Initiative, LabourDispute, UnionHome
    from reporting.models import Period
    from units.models import Unit, UnitKind

    period = Period.objects.get(kind=Period.Kind.YEAR, year=year)
    province = Unit.objects.get(depth=1)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("-numchild", "code").first()
    grassroots = Unit.objects.grassroots().count()
    records = [model.objects.count() for model in (CollectiveAgreement, UnionHome, Initiative, LabourDispute)]
    admin = User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(admin)
    list_url = f"/registries/initiatives/{province.code}/"

    def page():
        response = client.get(list_url, {"year": year}, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code

    province_time, province_queries = timed(lambda: subtree_counts(province, period), repeat)
    district_time, district_queries = timed(lambda: subtree_counts(district, period), repeat)
    page_time, page_queries = timed(page, repeat)
    line = (f"{connection.vendor:<10} {grassroots:>10,} {' / '.join(f'{n:,}' for n in records):>30} "
            f"{province_time * 1000:>8.0f}ms {province_queries:>2} "
            f"{district_time * 1000:>8.0f}ms {district_queries:>2} "
            f"{page_time * 1000:>8.0f}ms {page_queries:>3}")
    if header:
        line = (f"{'database':<10} {'grassroots':>10} {'agreements/houses/initiatives/disputes':>30} "
                f"{'province':>10} {'q':>2} {'district':>10} {'q':>2} {'list page':>10} {'q':>3}\n" + line)
    return line


if __name__ == "__main__":
    sys.exit(main())
