#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what is missing (Debian packages, npm
# packages, native addons, PostgreSQL, a private libvirtd), type-checks, then runs Jest.
# Extra arguments go to Jest (e.g. `npm test -- src/placement`).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/virtfleet_test}
step() { printf '[test %4ss] %s\n' "$SECONDS" "$*"; }

bash scripts/install.sh --test
bash scripts/ensure-postgres.sh
step "fresh test database"
db=${DATABASE_URL##*/}; db=${db%%\?*}
psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
node prisma/offline-migrate/migrate.mjs deploy >/dev/null
step "second PostgreSQL cluster (port 5433) for the outage tests"
bash scripts/pg-test-cluster.sh up >/dev/null
step "private libvirtd"
bash scripts/libvirtd.sh up
export VIRTFLEET_TEST_QEMU_URI VIRTFLEET_TEST_LXC_URI
VIRTFLEET_TEST_QEMU_URI=$(bash scripts/libvirtd.sh uri)
VIRTFLEET_TEST_LXC_URI=${VIRTFLEET_TEST_QEMU_URI/qemu+unix/lxc+unix}
step "simulated hosts (5 libvirtd in network namespaces)"
bash scripts/lvhosts.sh up 5
export VIRTFLEET_TEST_LVHOSTS
VIRTFLEET_TEST_LVHOSTS=$(bash scripts/lvhosts.sh uris 5 | tr '\n' ' ')

step "type-check"
npx --no-install nest build
npx --no-install tsc --noEmit -p tsconfig.json

step "jest"
report=$(mktemp)
set +e
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  node node_modules/jest/bin/jest.js --json --outputFile="$report" "$@"
status=$?
set -e
# One plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
rm -f "$report"
step "finished (exit $status)"
exit $status
