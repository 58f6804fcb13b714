#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary folder,
# pg_ctl start on a private port with a private socket folder (no TCP listener), point
# DATABASE_URL at it, run the command, stop the cluster and remove the folder.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
pg_bin=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n1 || true)")
if [ ! -x "$pg_bin/initdb" ]; then
  echo "SKIPPED: the PostgreSQL run needs initdb and pg_ctl, and this machine has none." >&2
  exit 0
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
fi
dir=$(mktemp -d /tmp/tiendo-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "$("$pg_bin/pg_ctl" --version) running on socket $dir, port $port"
export DATABASE_URL="postgres://postgres@${dir//\//%2F}:$port/postgres"
export PGHOST="$dir" PGPORT="$port" PGUSER=postgres
"$@"
