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
# Each e2e suite copies "<db>_template" into a database of its own (test/support/suite-database.ts).
test_db=${DATABASE_URL##*/}; test_db=${test_db%%\?*}
drop_suite_databases() {
  psql "${DATABASE_URL%/*}/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE '${test_db}\\_s\\_%' OR datname = '${test_db}_template'" |
    while read -r name; do psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"; done
}
fresh_database() {
  step "fresh test database"
  drop_suite_databases
  psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$test_db\" WITH (FORCE)" -c "CREATE DATABASE \"$test_db\""
  node prisma/offline-migrate/migrate.mjs deploy >/dev/null
  psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"${test_db}_template\" TEMPLATE \"$test_db\""
}
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
# The virtfleet CLI (bin/virtfleet.mjs runs dist-cli/); test/cli.e2e-spec.ts drives it.
npx --no-install tsc -p cli/tsconfig.json
step "lint (ESLint, Prettier)"
npx --no-install eslint . --max-warnings 0
npx --no-install prettier --check . --log-level warn

# The suite runs on the machine's Node and on Node 22 LTS (package.json engines names both).
# VIRTFLEET_TEST_NODE22=0 skips the second run (quicker local iterations; CI runs both).
nodes=("$(command -v node)")
[ "${VIRTFLEET_TEST_NODE22:-1}" = 0 ] || nodes+=("$(bash scripts/node22.sh)")
reports=()
status=0
for node_bin in "${nodes[@]}"; do
  fresh_database
  step "jest on Node $("$node_bin" --version)"
  report=$(mktemp)
  reports+=("$report")
  set +e
  NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
    "$node_bin" node_modules/jest/bin/jest.js --json --outputFile="$report" "$@"
  run_status=$?
  set -e
  [ "$run_status" = 0 ] || status=$run_status
done
# One plain closing line that any CI reader understands: the runs added up.
node -e '
  const fs = require("fs");
  const runs = process.argv.slice(1).map((f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } });
  const sum = (k) => runs.reduce((n, r) => n + (r ? r[k] : 0), 0);
  console.log(`jest: ${sum("numPassedTests")} passed, ${sum("numFailedTests") + runs.filter((r) => !r).length} failed, ${sum("numPendingTests")} skipped`);
' "${reports[@]}" || true
rm -f "${reports[@]}"
drop_suite_databases
step "finished (exit $status)"
exit $status
