#!/usr/bin/env bash
# make bench: fill databases with demo data at several sizes (grassroots unions × the five
# yearly periods of the An Giang program) and print the indicator and dashboard timings.
# SQLite databases are kept in var/ between runs (filling is the slow part); PostgreSQL ones
# live in a throwaway cluster. Sizes: BENCH_SIZES (default "1500 15000"; add 135000 for the
# national scale: its fill takes about 12 minutes on PostgreSQL).
# Every district is also dissolved into a new commune union (rolled back afterwards) and the
# province timed as it was and as it is now, its dashboard in both views (BENCH_REORGANISE=0
# skips it). At 1,500 it also times applying such a batch in bulk and one unit at a time, and
# its undo (bench/reorganisation.py).
# At the end, bench/table.py prints issue #17's table (and #14's reorganised dashboard) from
# every figure the scripts kept in var/bench-results.jsonl: time, baseline, ratio, the figure
# before #17, the goal and whether it is met. bench/uploads.py times a 2,000-row spreadsheet
# upload on a database of its own; bench/pages.py the pages that list the units below (a
# target's page, completeness); bench/report_steps.py a submission and a period's closing.
# bench/documents.py prints the documents' timings (.pdf/.docx/.xlsx and the preview, province
# and a district) beside the baseline measured before issue #17's changes. bench/registries.py
# fills the registries in proportion to the units (when empty: a kept SQLite database too) and
# prints the time of their counts (province, a district) and of a registry list page.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SIZES=${BENCH_SIZES:-1500 15000}
REORGANISE=--reorganise
[ "${BENCH_REORGANISE:-1}" = 0 ] && REORGANISE=
export BENCH_RESULTS=${BENCH_RESULTS:-$PWD/var/bench-results.jsonl}

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

measure() {  # $1 = number of grassroots unions, $2 = --header or nothing; DATABASE_URL says where
  local header=${2:-}
  $PY bench/indicators.py $header $REORGANISE
  $PY bench/pages.py $header
  $PY bench/documents.py $header
  # Before the submission: it fills the registries, and a submission cross-checks them.
  $PY bench/registries.py $header
  $PY bench/report_steps.py
  if [ "$1" = 1500 ]; then $PY bench/reorganisation.py; $PY bench/reorganisation.py --undo; fi
  $PY bench/api.py $header
}

if [ "${1:-}" = "--postgres-inner" ]; then
  createdb bench_uploads
  DATABASE_URL="postgres://postgres@${PGHOST//\//%2F}:$PGPORT/bench_uploads" $PY bench/uploads.py
  header=--header
  for n in $SIZES; do
    createdb "bench_$n"
    export DATABASE_URL="postgres://postgres@${PGHOST//\//%2F}:$PGPORT/bench_$n"
    echo "filling PostgreSQL with $n grassroots unions" >&2
    fill "$n" >&2
    measure "$n" $header
    header=
  done
  exit 0
fi

mkdir -p var
rm -f "$BENCH_RESULTS"
DATABASE_URL= $PY bench/uploads.py
header=--header
for n in $SIZES; do
  db="var/bench-$n.sqlite3"
  export DATABASE_URL="sqlite:///$PWD/$db"
  if [ ! -f "$db" ]; then
    echo "filling $db with $n grassroots unions" >&2
    fill "$n" >&2
  else
    $PY manage.py migrate -v0  # a kept database gets the schema's later indexes
  fi
  measure "$n" $header
  header=
done
unset DATABASE_URL
scripts/with_postgres.sh "$0" --postgres-inner
echo
echo "Issue #17's table (and #14's reorganised dashboard), from $BENCH_RESULTS:"
$PY bench/table.py "$BENCH_RESULTS"
