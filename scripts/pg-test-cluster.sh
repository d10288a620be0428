#!/usr/bin/env bash
# A second, throwaway PostgreSQL cluster for tests that restart the database under load
# (test/crash-safety.e2e-spec.ts): the main cluster is shared and must never be restarted.
#   scripts/pg-test-cluster.sh up        create (once) and start it; prints its URL (idempotent)
#   scripts/pg-test-cluster.sh restart   fast restart: every session is cut (57P01), as in an outage
#   scripts/pg-test-cluster.sh stop|start  fast stop (sessions cut, connections refused) / start again
#   scripts/pg-test-cluster.sh url       print its URL
# VIRTFLEET_PG_TEST_CLUSTER (default vftest) and VIRTFLEET_PG_TEST_PORT (default 5433) move it.
set -euo pipefail
NAME=${VIRTFLEET_PG_TEST_CLUSTER:-vftest}
PORT=${VIRTFLEET_PG_TEST_PORT:-5433}
URL="postgresql://postgres:postgres@127.0.0.1:$PORT/postgres"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
version() { ls /etc/postgresql | sort -V | tail -1; }

up() {
  local v; v=$(version)
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$v/$NAME"; then
    $SUDO pg_createcluster "$v" "$NAME" --port "$PORT" >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p "$PORT" -t 1; then
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" "$NAME" start
    for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.2; done
  fi
  if ! PGPASSWORD=postgres psql "$URL" -tAc 'select 1' >/dev/null 2>&1; then
    echo "ALTER ROLE postgres PASSWORD 'postgres';" | if [ "$(id -u)" = 0 ]; then su postgres -c "psql -q -p $PORT"; else sudo -u postgres psql -q -p "$PORT"; fi
  fi
  echo "$URL"
}

restart() {
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(version)" "$NAME" restart -m fast
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.2; done
}

case "${1:-up}" in
  up) up ;;
  restart) restart ;;
  stop) $SUDO pg_ctlcluster --skip-systemctl-redirect "$(version)" "$NAME" stop -m fast ;;
  start) $SUDO pg_ctlcluster --skip-systemctl-redirect "$(version)" "$NAME" start; for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.2; done ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 up|restart|url" >&2; exit 2 ;;
esac
