#!/usr/bin/env bash
# make bench: fill databases with demo data at several sizes (grassroots unions × the five
# yearly periods of the An Giang program) and print the indicator and dashboard timings.
# SQLite databases are kept in var/ between runs (filling is the slow part); PostgreSQL ones
# live in a throwaway cluster. Sizes: BENCH_SIZES (default "1500 15000 135000").
# BENCH_REORGANISE=1 also dissolves every district into a new commune union (rolled back
# afterwards) and prints the province's timings as it was and as it is now. At 1,500 it also
# times applying such a batch in bulk and one unit at a time (bench/reorganisation.py).
# bench/documents.py prints the documents' timings (.pdf/.docx/.xlsx and the preview, province
# and a district) beside the baseline measured before issue #17's changes. bench/registries.py
# fills the registries in proportion to the units (when empty: a kept SQLite database too) and
# prints the time of their counts (province, a district) and of a registry list page.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SIZES=${BENCH_SIZES:-1500 15000 135000}
REORGANISE=${BENCH_REORGANISE:+--reorganise}

fill() {  # $1 = number of grassroots unions; DATABASE_URL says where
  $PY manage.py migrate -v0
  $PY manage.py load_units >/dev/null
  $PY manage.py demo_data --grassroots "$1" --seed 1 >/dev/null
  $PY manage.py load_program >/dev/null
  $PY manage.py demo_accounts >/dev/null
  $PY manage.py demo_reports --no-plans | sed 's/^/  /'
  # Fresh statistics: right after a bulk load the planner knows nothing of the tables'
  # sizes (PostgreSQL's autovacuum would get there, minutes later).
  $PY manage.py shell -v 0 -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
}

if [ "${1:-}" = "--postgres-inner" ]; then
  header=--header
  for n in $SIZES; do
    createdb "bench_$n"
    export DATABASE_URL="postgres://postgres@${PGHOST//\//%2F}:$PGPORT/bench_$n"
    echo "filling PostgreSQL with $n grassroots unions" >&2
    fill "$n" >&2
    $PY bench/indicators.py $header $REORGANISE
    $PY bench/documents.py $header
    if [ "$n" = 1500 ]; then $PY bench/reorganisation.py; fi
    $PY bench/api.py $header
    $PY bench/registries.py $header
    header=
  done
  exit 0
fi

mkdir -p var
header=--header
for n in $SIZES; do
  db="var/bench-$n.sqlite3"
  export DATABASE_URL="sqlite:///$PWD/$db"
  if [ ! -f "$db" ]; then
    echo "filling $db with $n grassroots unions" >&2
    fill "$n" >&2
  fi
  $PY bench/indicators.py $header $REORGANISE
  $PY bench/documents.py $header
  # Applying a batch (every district dissolved, every grassroots union moved), at the smallest size.
  if [ "$n" = 1500 ]; then $PY bench/reorganisation.py; fi
  $PY bench/api.py $header
  $PY bench/registries.py $header
  header=
done
unset DATABASE_URL
scripts/with_postgres.sh "$0" --postgres-inner
