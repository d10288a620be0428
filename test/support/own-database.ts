// A database of a suite's own on the test server, migrated like the main one: for suites whose
// assertions need rows no other suite touches (a fresh install's bootstrap key, a host no other
// suite places instances on). Dropped again by `drop()`.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { TEST_DATABASE_URL } from './test-app.js';

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });
  await db.connect();
  try {
    await db.query(sql);
  } finally {
    await db.end();
  }
}

async function templateExists(name: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });
  await db.connect();
  try {
    return ((await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await db.end();
  }
}

/** A fresh database `vf_<prefix>_<pid>`, with every migration applied unless `migrate` is false (copied from the template with `fromTemplate`). */
export async function ownDatabase(prefix: string, { migrate = true, fromTemplate = false } = {}): Promise<OwnDatabase> {
  const name = `vf_${prefix}_${process.pid}`;
  const url = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  // fromTemplate: a copy of the migrated template the test runners make (support/suite-database.ts)
  // takes a second, a migration run ten.
  const template = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_template`;
  if (migrate && fromTemplate && (await templateExists(template))) {
    await onServer(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    return { url, drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  await onServer(`CREATE DATABASE "${name}"`);
  if (migrate) {
    const r = spawnSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`migrations failed on ${name}: ${r.stderr}${r.stdout}`);
  }
  return { url, drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
