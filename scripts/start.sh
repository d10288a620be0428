#!/usr/bin/env bash
# Serves the API on embedded defaults from a fresh clone: installs what is missing, starts a
# local PostgreSQL when none answers at DATABASE_URL, migrates, builds, and runs. libvirt's
# in-process test hypervisor (test:///default) is registered as a demo host.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .env ]; then set -a; . ./.env; set +a; fi
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/virtfleet}
bash scripts/install.sh
bash scripts/ensure-postgres.sh
node prisma/offline-migrate/migrate.mjs deploy
npx --no-install nest build
# libvirt calls run on libuv's worker threads, 4 by default: a handful of hosts that do not
# answer would hold them all (src/hypervisor/libvirt/libvirt-connection-pool.ts). Read once at
# start, so it is set here, not in code.
export UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE:-64}
exec node dist/main.js
