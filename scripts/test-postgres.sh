#!/bin/sh
# Runs the test suite against a throwaway PostgreSQL cluster on 127.0.0.1, stopped and removed afterwards.
# Required when CI=true; elsewhere skipped with a message when PostgreSQL is not installed.
set -eu
PYTEST=${PYTEST:-.venv/bin/pytest}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "${CI:-}" = "true" ]; then echo "PostgreSQL is required in CI but is not installed." >&2; exit 1; fi
  echo "PostgreSQL chưa được cài: bỏ qua lượt chạy kiểm thử trên PostgreSQL (cài gói 'postgresql' để chạy)."
  exit 0
fi
PGPORT=${PGPORT:-54329}
PGDATA=$(mktemp -d /tmp/hocvuso-pg.XXXXXX)
AS=""
if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PGDATA"; AS="runuser -u postgres --"; fi
cleanup() { $AS "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap cleanup EXIT INT TERM
$AS "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
$AS "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "PostgreSQL tạm thời chạy ở 127.0.0.1:$PGPORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/hocvuso" "$PYTEST" "$@"
