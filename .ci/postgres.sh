#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server's tests: `source .ci/postgres.sh` initialises one in a temporary
# folder as the postgres user, starts it on a loopback port, exports IMS_TEST_POSTGRES_URL and stops it (and removes
# the folder) when the calling shell exits. Debian 12: `apt-get install -y postgresql` gives PostgreSQL 15.
set -euo pipefail

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL binaries not found (apt-get install -y postgresql)" >&2
  return 1 2>/dev/null || exit 1
fi
IMS_PG_DIR="$(mktemp -d /tmp/ims-pg-XXXXXX)"
chown postgres:postgres "$IMS_PG_DIR"
IMS_PG_PORT="${IMS_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
runuser -u postgres -- "$PG_BIN/initdb" -D "$IMS_PG_DIR/data" -N -A trust -U postgres >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$IMS_PG_DIR/data" -l "$IMS_PG_DIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $IMS_PG_PORT -k $IMS_PG_DIR -c fsync=on -c max_connections=200" start >/dev/null
stop_test_postgres() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$IMS_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$IMS_PG_DIR"
}
trap stop_test_postgres EXIT
export IMS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$IMS_PG_PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests at $IMS_TEST_POSTGRES_URL" >&2
