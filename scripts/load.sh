#!/usr/bin/env bash
# make load: the deadline-rush load test, on SQLite and then on PostgreSQL.
# Per database: a fresh database (migrate, setup_demo, loadtest/prepare.py), a real server on
# a free port of 127.0.0.1 (gunicorn when installed, else runserver), the Locust run
# (loadtest/run.py), the database checks (loadtest/verify.py), the server stopped. The server's
# log is var/load/server-DB.log; any traceback in it is printed and fails the run.
#
# Environment: LOAD_USERS officers (200), LOAD_VIEWERS province users (4), LOAD_RUN_TIME hard
# limit of the Locust run in seconds (300), LOAD_WORKERS server processes (5), LOAD_DATABASES
# ("sqlite postgres"), LOAD_GRASSROOTS demo grassroots unions (1,500, or officers + 100);
# LOAD_RAMP, LOAD_FILL, LOAD_SUBMIT_WINDOW shape the rush (see loadtest/locustfile.py);
# CONN_MAX_AGE and the other variables of tiendo/settings.py reach the server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
USERS=${LOAD_USERS:-200}
VIEWERS=${LOAD_VIEWERS:-4}
WORKERS=${LOAD_WORKERS:-5}
RUN_TIME=${LOAD_RUN_TIME:-300}
DATABASES=${LOAD_DATABASES:-sqlite postgres}
GRASSROOTS=${LOAD_GRASSROOTS:-$(( USERS + 100 > 1500 ? USERS + 100 : 1500 ))}

run_one() {  # $1 = label; DATABASE_URL says where
  local label=$1 port pid status=0 log=var/load/server-$1.log started=$SECONDS
  rm -f var/load/access-"$label".log "$log"
  echo "== [$label] preparing: migrate, setup_demo --grassroots $GRASSROOTS, $USERS officers" >&2
  $PY manage.py migrate -v0
  # The demo refuses to load with DEBUG off (its password is public): this database is throwaway.
  DEBUG=true $PY manage.py setup_demo --grassroots "$GRASSROOTS" >var/load/setup-"$label".log
  $PY loadtest/prepare.py --users "$USERS" --viewers "$VIEWERS" --out var/load/accounts-"$label".json
  port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # A production-like server: DEBUG off, but plain HTTP on the loopback (no TLS proxy in front):
  # no redirect to https, no HSTS, cookies without the Secure flag.
  export DEBUG=false SECRET_KEY=load-test-only-secret-key-0123456789abcdef LOG_LEVEL=WARNING \
    SECURE_COOKIES=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
  if [ -x .venv/bin/gunicorn ]; then
    echo "== [$label] gunicorn (gunicorn.conf.py), $WORKERS sync workers, on 127.0.0.1:$port" >&2
    # The production configuration; only the address, the worker count and the logs differ.
    .venv/bin/gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$port" --workers "$WORKERS" \
      --error-logfile "$log" --log-level warning \
      --access-logfile var/load/access-"$label".log --access-logformat '%(m)s %(U)s %(s)s %(M)s' &
  else
    echo "== [$label] gunicorn is not installed: runserver (threaded) on 127.0.0.1:$port" >&2
    $PY manage.py runserver --noreload "127.0.0.1:$port" >"$log" 2>&1 &
  fi
  pid=$!
  # The job worker beside the server, as in production: the submissions' recounts of their
  # districts run there during the rush, outside the requests (its log: var/load/worker-DB.log).
  $PY manage.py db_worker --no-reload -v 1 >var/load/worker-"$label".log 2>&1 &
  worker=$!
  trap 'kill $pid $worker 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fso /dev/null "http://127.0.0.1:$port/accounts/login/" && break
    kill -0 "$pid" 2>/dev/null || { echo "the server did not start; see $log" >&2; exit 1; }
    sleep 0.2
  done
  # Warm-up, not measured: each worker imports the views on its first request.
  local warm=()
  for _ in $(seq $(( WORKERS * 3 ))); do curl -fso /dev/null "http://127.0.0.1:$port/accounts/login/" & warm+=($!); done
  wait "${warm[@]}" || true
  LOAD_ACCOUNTS=var/load/accounts-"$label".json \
    $PY loadtest/run.py --host "http://127.0.0.1:$port" --label "$label" --run-time "$RUN_TIME" \
    --accounts var/load/accounts-"$label".json || status=1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  kill -TERM "$worker" 2>/dev/null || true  # it finishes the job in hand
  wait "$worker" 2>/dev/null || true
  trap - EXIT
  echo "  the job worker recounted during the rush: $($PY manage.py shell -v 0 -c "from django_tasks_db.models import DBTaskResult as R; print(R.objects.filter(task_path='indicators.rollups.refresh_marked', status='SUCCESSFUL').count(), 'jobs done,', R.objects.filter(task_path='indicators.rollups.refresh_marked').exclude(status='SUCCESSFUL').count(), 'waiting')" 2>&1 | tail -1)"
  unset DEBUG SECRET_KEY LOG_LEVEL SECURE_COOKIES SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS
  [ -f var/load/access-"$label".log ] && $PY loadtest/server_times.py var/load/access-"$label".log
  # What the worker had not done yet when the rush ended (issue #17), before the check that the
  # rolled-up values equal a recount.
  $PY manage.py db_worker --batch --no-reload -v 0 >/dev/null 2>&1 || status=1
  $PY loadtest/verify.py --accounts var/load/accounts-"$label".json --result var/load/result-"$label".json \
    || status=1
  local tracebacks
  tracebacks=$(cat "$log" var/load/worker-"$label".log | grep -c '^Traceback' || true)
  if [ "$tracebacks" != 0 ]; then
    echo "  FAIL the server logged $tracebacks traceback(s); the first one (all in $log):"
    awk '/^Traceback/{n++} n==1' "$log" | head -60 | sed 's/^/       /'
    status=1
  else
    echo "  ok   no traceback in the server's log"
  fi
  echo "== [$label] done in $(( SECONDS - started )) s"
  return $status
}

if [ "${1:-}" = "--inner" ]; then
  run_one "$2"
  exit $?
fi

mkdir -p var/load
status=0
for db in $DATABASES; do
  case $db in
    sqlite)
      rm -f var/load-sqlite.sqlite3 var/load-sqlite.sqlite3-wal var/load-sqlite.sqlite3-shm
      DATABASE_URL="sqlite:///$PWD/var/load-sqlite.sqlite3" "$0" --inner sqlite || status=1 ;;
    postgres)
      scripts/with_postgres.sh "$0" --inner postgres || status=1 ;;
    *) echo "unknown database $db (sqlite, postgres)" >&2; status=1 ;;
  esac
done
exit $status
