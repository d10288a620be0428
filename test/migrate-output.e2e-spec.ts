// `npm start` and the image apply migrations with prisma/offline-migrate/migrate.mjs on every
// start: its output is for operators, so it carries no warning that is ours to fix.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { TEST_DATABASE_URL } from './support/test-app.js';

const dbName = `vf_migrate_${process.pid}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`);
const adminDb = () => new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });

describe('offline migrations on start', () => {
  beforeAll(async () => {
    const db = adminDb();
    await db.connect();
    await db.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await db.query(`CREATE DATABASE "${dbName}"`);
    await db.end();
  });
  afterAll(async () => {
    const db = adminDb();
    await db.connect();
    await db.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await db.end();
  });

  it('apply every migration to a fresh database without warnings, and say so', () => {
    const r = spawnSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: dbUrl },
      encoding: 'utf8',
    });
    const output = r.stdout + r.stderr;
    expect(r.status).toBe(0);
    expect(output).toMatch(/All migrations have been successfully applied/);
    expect(output).not.toMatch(/warn/i);
  }, 60_000);
});
