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
exec node dist/main.js
