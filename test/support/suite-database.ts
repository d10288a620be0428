// Every e2e suite (test/*.e2e-spec.ts) runs on a database of its own, copied from a migrated
// template: suites share the machine's libvirt daemons but never each other's rows. On one
// shared database a suite saw the others' hosts in its placement snapshot and their plans and
// drains, and one daemon registered by two suites was one machine counted twice.
//
// Jest loads this file (setupFilesAfterEnv) before each test file. The name is set here, at
// load time, because test/support/test-app.ts reads DATABASE_URL when the suite imports it;
// the copy is made in a root beforeAll, which runs before the suite's own hooks. Databases are
// dropped by scripts/test.sh (before and after a run), not here: a suite's own root-level
// afterAll may still be closing its app when a hook of this file would run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

const base = process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/virtfleet_test';
const testPath = expect.getState().testPath ?? '';

if (path.relative(process.cwd(), testPath).startsWith(`test${path.sep}`)) {
  const baseName = new URL(base).pathname.slice(1);
  const suite = path
    .basename(testPath)
    .replace(/\.e2e-spec\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()
    .slice(0, 24);
  const name = `${baseName}_s_${suite}_${process.pid}`.slice(0, 63);
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();

  beforeAll(async () => {
    const server = new URL(base);
    server.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      const template = `${baseName}_template`;
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      }
      // No template (a single suite run by hand): migrate a fresh database instead.
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const migrated = spawnSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: url.toString() },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrations failed on ${name}: ${migrated.stderr}${migrated.stdout}`);
  }, 60_000);
}
