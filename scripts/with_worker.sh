#!/usr/bin/env bash
# Runs a server command with the job worker (manage.py db_worker) beside it: `make run` uses it.
# The worker starts first, in a process group of its own, so that Ctrl-C reaches the server
# only; when the server ends, however it ends, the whole group is stopped (the worker finishes
# the job it is running; with DEBUG on, its autoreloader's child process goes too).
# WORKER_ARGS adds options to the worker, e.g. WORKER_ARGS=--no-reload.
set -uo pipefail
PY=${PY:-.venv/bin/python}
set -m
# shellcheck disable=SC2086
"$PY" manage.py db_worker --verbosity 1 ${WORKER_ARGS:-} &
worker=$!
set +m
echo "job worker started (process group $worker); it stops with the server" >&2
# The worker finishes the job in hand on SIGTERM; one that has not stopped after
# WORKER_STOP_SECONDS (default 10) is killed, so that the server's end is always the worker's.
stop_worker() {
  kill -TERM -- "-$worker" 2>/dev/null || true
  local tenths=$(( ${WORKER_STOP_SECONDS:-10} * 10 ))
  for (( i = 0; i < tenths; i++ )); do
    kill -0 -- "-$worker" 2>/dev/null || { wait "$worker" 2>/dev/null; return 0; }
    sleep 0.1
  done
  echo "job worker did not stop within ${WORKER_STOP_SECONDS:-10} s: killed" >&2
  kill -KILL -- "-$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM
"$@"
