#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the city server's tests and prints its connection
# string (export it as CITY_TEST_PG_URL). Needs Debian's `postgresql` package. As root, the cluster
# runs as the `postgres` user (initdb refuses root). Usage: scripts/pg-test-cluster.sh [PORT]
set -euo pipefail
PORT="${1:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
DIR="$(mktemp -d /tmp/chengyun-pg-XXXXXX)"
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
run "$BIN/initdb" -D "$DIR/data" -U city --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1
# The first free port from PORT on (a cluster left by an earlier run keeps its port).
for p in $(seq "$PORT" $((PORT + 50))); do
  if run "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o "-p $p -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null 2>&1; then
    echo "postgres://city@127.0.0.1:$p/postgres"
    exit 0
  fi
done
echo "pg-test-cluster: could not start PostgreSQL (see $DIR/server.log)" >&2
exit 1
